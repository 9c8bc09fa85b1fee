using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// Keeps every line a server logs, with its structured fields and the fields of the scopes open
/// when it was logged, so tests can assert on them. Thread-safe; lines come from any thread.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLogLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLogLine> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    fields[key] = value;
                }
            }

            var scopes = new Dictionary<string, object?>(StringComparer.Ordinal);
            provider._scopes.ForEachScope(static (scope, into) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> items)
                {
                    foreach (var (key, value) in items)
                    {
                        into[key] = value;
                    }
                }
            }, scopes);
            provider._lines.Enqueue(new CapturedLogLine(logLevel, eventId.Id, category, formatter(state, exception), fields, scopes));
        }
    }
}

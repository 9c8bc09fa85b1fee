using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>
/// Wraps a logger provider (the console, a test's capture) so lines below the server's level
/// pass only when the current logging scope is a <see cref="CallLogScope"/> whose call, room or
/// user is raised in the <see cref="LogDebugSwitch"/>. The host lets every level of the
/// MediaServer categories reach this wrapper; the server's level is applied here instead.
/// With nothing raised a Debug check is one comparison and one array read.
/// </summary>
internal sealed class DebugLevelLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ILoggerProvider _inner;
    private readonly bool _ownsInner;
    private IExternalScopeProvider? _scopes;

    public DebugLevelLoggerProvider(ILoggerProvider inner, bool ownsInner, LogDebugSwitch debug, LogLevel minimum)
    {
        _inner = inner;
        _ownsInner = ownsInner;
        Debug = debug;
        Minimum = minimum;
    }

    public LogDebugSwitch Debug { get; }

    public LogLevel Minimum { get; }

    public ILogger CreateLogger(string categoryName) => new DebugLevelLogger(this, _inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        _scopes = scopeProvider;
        if (_inner is ISupportExternalScope inner)
        {
            inner.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose()
    {
        if (_ownsInner)
        {
            _inner.Dispose();
        }
    }

    /// <summary>The lowest level raised for any call scope open on this async flow; None when none is.</summary>
    private LogLevel ScopeLevel()
    {
        if (_scopes is null)
        {
            return LogLevel.None;
        }

        var probe = new ScopeProbe(Debug);
        _scopes.ForEachScope(static (scope, probe) =>
        {
            if (scope is CallLogScope call)
            {
                var level = probe.Debug.LevelFor(call);
                if (level < probe.Level)
                {
                    probe.Level = level;
                }
            }
        }, probe);
        return probe.Level;
    }

    /// <summary>Carries the result out of ForEachScope; made only while something is raised.</summary>
    private sealed class ScopeProbe(LogDebugSwitch debug)
    {
        public LogDebugSwitch Debug { get; } = debug;

        public LogLevel Level { get; set; } = LogLevel.None;
    }

    private sealed class DebugLevelLogger(DebugLevelLoggerProvider provider, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel)
        {
            if (logLevel >= provider.Minimum)
            {
                return inner.IsEnabled(logLevel);
            }

            return logLevel != LogLevel.None && provider.Debug.Any && provider.ScopeLevel() <= logLevel && inner.IsEnabled(logLevel);
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}

using Microsoft.Extensions.Logging;

namespace MediaServer.Tests.Infrastructure;

/// <summary>One line a server logged: its own fields and those of the scopes around it (callId, room, ...).</summary>
public sealed record CapturedLogLine(LogLevel Level, int EventId, string Category, string Message, IReadOnlyDictionary<string, object?> Fields, IReadOnlyDictionary<string, object?> Scope)
{
    public string? ScopeValue(string name) => Scope.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

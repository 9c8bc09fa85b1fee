using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>One entry of <see cref="LogDebugSwitch"/>: lines of this target at <paramref name="Level"/> or above are logged until <paramref name="ExpiresMs"/> (Environment.TickCount64).</summary>
internal sealed record DebugTarget(DebugTargetKind Kind, string Value, LogLevel Level, long ExpiresMs);

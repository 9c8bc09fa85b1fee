using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>Log lines about logging itself (event ids 7001-7099): who raised whose level.</summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Admin {Uid} set the log level of {Kind} {Target} to {Level} for {Seconds} s")]
    public static partial void DebugRaised(ILogger logger, string uid, string kind, string target, string level, int seconds);
}

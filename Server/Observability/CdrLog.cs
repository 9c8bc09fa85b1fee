using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>Log lines of call detail records and their admin export: never per packet, at most one per record.</summary>
internal static partial class CdrLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Call record of {CallId} not stored: {Reason}")]
    public static partial void StoreFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Call record of {CallId} dropped: {Pending} records wait for the database")]
    public static partial void QueueFull(ILogger logger, string callId, int pending);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Admin request from {Address} refused: {Reason}")]
    public static partial void AdminRefused(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Admin {Uid} exported {Count} call records as {Format}")]
    public static partial void Exported(ILogger logger, string uid, int count, string format);
}

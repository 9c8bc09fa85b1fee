using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>Log lines of the media endpoint. Packet-level problems are counted in /metrics, not logged.</summary>
internal static partial class MediaLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Media packet dispatch failed")]
    public static partial void DispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Media on UDP {Address}:{Port}, candidate address {Candidate}, SRTP by {Srtp}")]
    public static partial void Listening(ILogger logger, string address, int port, string candidate, string srtp);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Call {CallId}: ICE check from {Remote} answered (use-candidate {UseCandidate}, known path {KnownPath})")]
    public static partial void IceCheckAnswered(ILogger logger, string callId, string remote, bool useCandidate, bool knownPath);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Call {CallId}: DTLS connected, SRTP profile {Profile}")]
    public static partial void DtlsConnected(ILogger logger, string callId, string profile);
}

using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>Log lines of call control: one per call event, never per packet.</summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Call {CallId} from {Uid} to '{Destination}'")]
    public static partial void Created(ILogger logger, string callId, string uid, string destination);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Call {CallId} routed to {Route}")]
    public static partial void Routed(ILogger logger, string callId, string route);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Call {CallId} bridged with {PeerCallId}")]
    public static partial void Bridged(ILogger logger, string callId, string peerCallId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Call {CallId} ended: {Cause}")]
    public static partial void Ended(ILogger logger, string callId, string cause);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Call {CallId} media secure ({Profile})")]
    public static partial void MediaReady(ILogger logger, string callId, string profile);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Call {CallId} media failed: {Reason}")]
    public static partial void MediaFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Call {CallId} detached; kept for {Seconds} s for a reconnect")]
    public static partial void Detached(ILogger logger, string callId, int seconds);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Call {CallId} offered again to sessid {SessionId} (verto.attach)")]
    public static partial void Reattaching(ILogger logger, string callId, string sessionId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Call {CallId} re-attached")]
    public static partial void Reattached(ILogger logger, string callId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Call {CallId} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string callId, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Call {CallId} SDP offer [{Offer}] answered [{Answer}]")]
    public static partial void SdpAnswered(ILogger logger, string callId, string offer, string answer);
}

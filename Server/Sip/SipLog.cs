using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>SIP log messages (event ids 5001-5099). Nothing is logged per packet; a flood is counted in /metrics instead.</summary>
internal static partial class SipLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "SIP listening on UDP and TCP {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "SIP message from {Source} refused: {Reason}")]
    public static partial void Malformed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "SIP send to {Destination} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, string destination, string error);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "SIP work item failed")]
    public static partial void WorkFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "SIP TCP peer {Remote} stopped reading; connection closed")]
    public static partial void SlowTcpPeer(ILogger logger, string remote);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "SIP call {CallId} from {From} ({Source}) to '{Destination}'")]
    public static partial void Invite(ILogger logger, string callId, string from, string source, string destination);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "SIP registration of {User} at {Contact} for {Expires} s")]
    public static partial void Registered(ILogger logger, string user, string contact, int expires);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "SIP authentication failed for '{User}' from {Source}")]
    public static partial void AuthFailed(ILogger logger, string user, string source);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "SIP outbound call {CallId} to {Target}: {Status}")]
    public static partial void Outbound(ILogger logger, string callId, string target, string status);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "SIP trunk {Trunk}: {Status}")]
    public static partial void Trunk(ILogger logger, string trunk, string status);
}

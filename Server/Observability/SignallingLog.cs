using System.Net;
using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>Log lines of the Verto endpoint. Nothing here is logged per message.</summary>
internal static partial class SignallingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Login {Uid} from {Address} (sessid {SessionId})")]
    public static partial void LoggedIn(ILogger logger, string uid, IPAddress address, string sessionId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Login failed for '{Login}' from {Address}: {Reason}")]
    public static partial void LoginFailed(ILogger logger, string login, IPAddress address, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Account {Account} locked out for {Seconds} s after repeated failed logins (last from {Address})")]
    public static partial void LockedOut(ILogger logger, string account, IPAddress address, int seconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Punted the older connection of sessid {SessionId} ({Uid})")]
    public static partial void Punted(ILogger logger, string sessionId, string uid);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Dropping connection {ConnectionId} from {Address}: {Reason}")]
    public static partial void Dropped(ILogger logger, long connectionId, IPAddress address, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Handler for {Method} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Refused WebSocket from origin '{Origin}' (host '{Host}')")]
    public static partial void OriginRefused(ILogger logger, string origin, string host);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Could not persist live array {Channel}/{Name}")]
    public static partial void PersistFailed(ILogger logger, Exception exception, string channel, string name);
}

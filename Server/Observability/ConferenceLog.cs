using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>Log lines of conferences: rooms made and dropped, members in and out, refusals, moderator actions.</summary>
internal static partial class ConferenceLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Conference {Room} created (profile {Profile})")]
    public static partial void Created(ILogger logger, string room, string profile);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Conference {Room} destroyed: last member left")]
    public static partial void Destroyed(ILogger logger, string room);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Call {CallId} joined conference {Room} as member {MemberId} ({Role})")]
    public static partial void Joined(ILogger logger, string callId, string room, int memberId, string role);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Member {MemberId} left conference {Room}")]
    public static partial void Left(ILogger logger, string room, int memberId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Call {CallId} refused by conference {Room}: {Reason}")]
    public static partial void Refused(ILogger logger, string callId, string room, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Conference {Room}: {Uid} ran '{Command}': {Response}")]
    public static partial void Command(ILogger logger, string room, string uid, string command, string response);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Conference {Room}: {Uid} may not run '{Command}' (not a moderator)")]
    public static partial void Forbidden(ILogger logger, string room, string uid, string command);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Conference {Room}: recording to {Path}")]
    public static partial void RecordingStarted(ILogger logger, string room, string path);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Conference {Room}: recording {Path} finished, {Seconds:F1} s recorded")]
    public static partial void RecordingFinished(ILogger logger, string room, string path, double seconds);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Conference {Room}: recording {Path} failed")]
    public static partial void RecordingFailed(ILogger logger, Exception exception, string room, string path);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Overload: mixer ticks run late (p99 {Lateness} over the last second, limit {LimitMs} ms); level {Level}: Opus complexity -{Reduction}, canvases at {FpsShare} of their fps{Refusing}")]
    public static partial void OverloadRaised(ILogger logger, string lateness, int limitMs, int level, int reduction, string fpsShare, string refusing);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Overload easing: mixer ticks on time again (p99 {Lateness} over the last second); level {Level}{Restored}")]
    public static partial void OverloadLowered(ILogger logger, string lateness, int level, string restored);
}

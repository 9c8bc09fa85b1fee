namespace MediaServer.Configuration;

/// <summary>Limits of the Verto endpoint (conf/server.json "limits").</summary>
public sealed record SignallingLimits
{
    /// <summary>Largest text frame accepted; a larger one closes the socket with 1009 (the reference server takes 1,000,000 bytes).</summary>
    public int MaxFrameBytes { get; init; } = 1_000_000;

    /// <summary>Messages a connection may have waiting to be sent before it counts as not reading and is dropped.</summary>
    public int SendQueueMessages { get; init; } = 4096;

    /// <summary>Bytes a connection may have waiting to be sent before it is dropped.</summary>
    public int SendQueueBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>A single WebSocket send blocked this long means the peer stopped reading.</summary>
    public int SendTimeoutSeconds { get; init; } = 20;

    /// <summary>A socket that has not logged in by then is closed.</summary>
    public int LoginTimeoutSeconds { get; init; } = 60;

    /// <summary>Inbound idle time after which the server sends verto.ping (§1.6).</summary>
    public int KeepaliveSeconds { get; init; } = 30;

    /// <summary>Sustained JSON messages per second per connection (token bucket rate).</summary>
    public int MessagesPerSecond { get; init; } = 100;

    /// <summary>Messages a connection may send at once above the rate (token bucket size).</summary>
    public int MessageBurst { get; init; } = 200;

    /// <summary>Failed logins to one account (user@domain) within the window before it is locked out for everyone.</summary>
    public int LoginFailuresPerAccount { get; init; } = 10;

    /// <summary>Failed logins per second one IP address may make (token bucket); attempts beyond it are refused, not counted.</summary>
    public int LoginFailuresPerSecondPerIp { get; init; } = 20;

    public int LoginFailureWindowSeconds { get; init; } = 300;

    public int LockoutSeconds { get; init; } = 300;

    /// <summary>Application live arrays the server keeps at most (conference arrays do not count).</summary>
    public int MaxLiveArrays { get; init; } = 1000;

    /// <summary>Rows one application live array may hold.</summary>
    public int MaxLiveArrayRows { get; init; } = 10_000;

    /// <summary>How long a session's answered calls wait for the client to come back (§6.6).</summary>
    public int DetachTimeoutSeconds { get; init; } = 120;

    /// <summary>Call legs the server carries at most (Verto and SIP together); a new call past it is refused. 0 = unlimited.</summary>
    public int MaxCalls { get; init; }

    /// <summary>Conference members over all rooms at most; a join past it is refused. 0 = unlimited.</summary>
    public int MaxConferenceMembers { get; init; }

    /// <summary>
    /// p99 mixer tick lateness (ms, over the last second) above which the overload governor
    /// sheds work: two such seconds in a row raise its level, ten seconds under half of it lower it.
    /// </summary>
    public int OverloadLatenessMs { get; init; } = 10;

    /// <summary>Whether new calls are refused while the governor is at its highest level (SWITCH_CONGESTION, SIP 503).</summary>
    public bool RefuseJoinsWhenOverloaded { get; init; } = true;
}

namespace MediaServer.Sip;

/// <summary>
/// RFC 3261 §17 timer values. T1 is the round-trip estimate, T2 the cap on non-INVITE
/// retransmission intervals, T4 how long the network may hold a message. Tests shorten them.
/// </summary>
internal sealed record SipTimers(int T1Ms = 500, int T2Ms = 4000, int T4Ms = 5000)
{
    /// <summary>Timers B, F, H and J: 64*T1, how long a transaction waits before it gives up.</summary>
    public int TimeoutMs => 64 * T1Ms;

    /// <summary>Timer D: at least 32 s on UDP so retransmitted final responses still get their ACK.</summary>
    public int TimerDMs => Math.Max(32_000, TimeoutMs);
}

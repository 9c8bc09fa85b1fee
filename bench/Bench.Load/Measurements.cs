namespace MediaServer.Bench.Load;

/// <summary>
/// What every client shares: the measured window and the sinks for latencies and errors.
/// The window is set once, before any broadcast is sent, and only read afterwards.
/// </summary>
internal sealed class Measurements
{
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;

    public LatencyHistogram Latency { get; } = new();

    public ErrorTally Errors { get; } = new();

    public long WindowStart => Volatile.Read(ref _windowStart);

    public long WindowEnd => Volatile.Read(ref _windowEnd);

    public void SetWindow(long start, long end)
    {
        Volatile.Write(ref _windowEnd, end);
        Volatile.Write(ref _windowStart, start);
    }

    /// <summary>True when a broadcast stamped with <paramref name="timestamp"/> counts.</summary>
    public bool InWindow(long timestamp) => timestamp >= WindowStart && timestamp < WindowEnd;
}

using System.Diagnostics;

namespace MediaServer.Bench.Load;

/// <summary>
/// The run's latency markers, each by its send time: the delay found, or missed (no chirp
/// above the threshold in the listener's capture). Written by the probes' correlations on the
/// thread pool, read when a window is summarised; one lock, taken once per marker.
/// </summary>
internal sealed class AudioLatency
{
    private readonly Lock _lock = new();
    private readonly List<(long SentAt, double Milliseconds)> _markers = [];

    /// <summary>A marker sent at <paramref name="sentAt"/> (Stopwatch ticks): its delay, or null when it was not found.</summary>
    public void Add(long sentAt, double? milliseconds)
    {
        lock (_lock)
        {
            _markers.Add((sentAt, milliseconds ?? double.NaN));
        }
    }

    /// <summary>The delays (ms, in send order) and the missed count of the markers sent from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public (List<double> Delays, int Missed) Between(long start, long end)
    {
        var delays = new List<double>();
        int missed = 0;
        lock (_lock)
        {
            foreach ((long sentAt, double milliseconds) in _markers)
            {
                if (sentAt < start || sentAt > end)
                {
                    continue;
                }
                if (double.IsNaN(milliseconds))
                {
                    missed++;
                }
                else
                {
                    delays.Add(milliseconds);
                }
            }
        }
        return (delays, missed);
    }

    /// <summary>Stopwatch ticks to milliseconds.</summary>
    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

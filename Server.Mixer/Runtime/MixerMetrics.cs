using System.Diagnostics;

namespace MediaServer.Mixer.Runtime;

/// <summary>
/// What the media plane counts, for /metrics: ticks and how late they started (a histogram,
/// so p99 lateness can be read), decode and encode counts with the time spent in them, and
/// concealment. Plain fields updated with Interlocked from the mixer threads; readers take
/// a consistent-enough view at any moment.
/// </summary>
public sealed class MixerMetrics
{
    /// <summary>Upper bounds of the lateness buckets in microseconds; the last bucket is open-ended.</summary>
    public static readonly long[] LatenessBoundsUs = [250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

    private readonly long[] _latenessBuckets = new long[LatenessBoundsUs.Length + 1];

    public long Ticks;
    public long TickOverruns;
    public long LatenessSumUs;
    public long TickWorkTicks;
    public long Decodes;
    public long DecodeTicks;
    public long DecodeErrors;
    public long Concealed;
    public long FecRecovered;
    public long Encodes;
    public long EncodeTicks;
    public long SharedEncodeDeliveries;
    public long Mixers;
    public long Members;
    public long Canvases;
    public long CanvasFrames;
    public long CanvasComposeTicks;
    public long VideoEncodes;
    public long VideoEncodeTicks;
    public long VideoDecodes;
    public long VideoDecodeTicks;
    public long VideoDecodeErrors;

    /// <summary>How many ticks fell into each lateness bucket (cumulative counts are computed by the reader).</summary>
    public ReadOnlySpan<long> LatenessBuckets => _latenessBuckets;

    public void RecordLateness(long latenessUs)
    {
        Interlocked.Increment(ref Ticks);
        Interlocked.Add(ref LatenessSumUs, latenessUs);
        var bucket = 0;
        while (bucket < LatenessBoundsUs.Length && latenessUs > LatenessBoundsUs[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _latenessBuckets[bucket]);
    }

    /// <summary>The lateness (µs, bucket upper bound) under which <paramref name="quantile"/> of ticks started; 0 before any tick.</summary>
    public long LatenessQuantileUs(double quantile)
    {
        long total = 0;
        foreach (var count in _latenessBuckets)
        {
            total += Interlocked.Read(in count);
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(total * quantile);
        long seen = 0;
        for (var i = 0; i < _latenessBuckets.Length; i++)
        {
            seen += Interlocked.Read(ref _latenessBuckets[i]);
            if (seen >= rank)
            {
                return i < LatenessBoundsUs.Length ? LatenessBoundsUs[i] : long.MaxValue;
            }
        }

        return long.MaxValue;
    }

    /// <summary>Seconds from Stopwatch ticks, for the *_seconds_total counters.</summary>
    public static double Seconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;
}

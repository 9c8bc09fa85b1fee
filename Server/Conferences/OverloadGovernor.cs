using MediaServer.Mixer.Runtime;

namespace MediaServer.Conferences;

/// <summary>
/// Decides how much media work to shed when the mixer threads run late. Fed once a second
/// with the cumulative tick-lateness histogram of <see cref="MixerMetrics"/>; it takes the
/// difference from the previous second, so only the last window counts (an hour of good
/// ticks must not hide a bad second, nor a bad minute an hour ago keep the server degraded).
/// Hysteresis keeps it from flapping: a level is raised after <see cref="RaiseAfterSeconds"/>
/// seconds in a row with p99 lateness above the threshold, and lowered after
/// <see cref="LowerAfterSeconds"/> seconds in a row under half of it; seconds in between
/// reset both runs. Level 0 is normal, 1 sheds some work, <see cref="MaxLevel"/> sheds all it
/// can. Owned by the conference registry and called from the 1 s watchdog thread only.
/// </summary>
internal sealed class OverloadGovernor
{
    public const int MaxLevel = 2;

    public const int RaiseAfterSeconds = 2;

    public const int LowerAfterSeconds = 10;

    private readonly long _thresholdUs;
    private readonly long[] _previous = new long[MixerMetrics.LatenessBoundsUs.Length + 1];
    private readonly long[] _window = new long[MixerMetrics.LatenessBoundsUs.Length + 1];
    private int _secondsOver;
    private int _secondsUnder;

    public OverloadGovernor(int thresholdMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholdMs, 1);
        _thresholdUs = thresholdMs * 1000L;
    }

    /// <summary>0 normal, 1 reduced, 2 minimal.</summary>
    public int Level { get; private set; }

    /// <summary>The p99 lateness (µs, a bucket's upper bound) of the window last evaluated.</summary>
    public long LastP99Us { get; private set; }

    /// <summary>
    /// One second passed: reads the ticks recorded since the previous call from the cumulative
    /// <paramref name="buckets"/> and returns the new level when it changed, else null.
    /// </summary>
    public int? Evaluate(ReadOnlySpan<long> buckets)
    {
        if (buckets.Length != _previous.Length)
        {
            throw new ArgumentException($"The lateness histogram has {_previous.Length} buckets, not {buckets.Length}.", nameof(buckets));
        }

        for (var i = 0; i < buckets.Length; i++)
        {
            var now = Interlocked.Read(in buckets[i]);
            _window[i] = Math.Max(0, now - _previous[i]);
            _previous[i] = now;
        }

        return Observe(WindowP99Us(_window));
    }

    /// <summary>One second passed with <paramref name="p99Us"/> as its p99 tick lateness; returns the new level when it changed, else null.</summary>
    public int? Observe(long p99Us)
    {
        LastP99Us = p99Us;
        // Past the histogram's last bound (long.MaxValue) says only "later than that bound": over a
        // threshold at or below it, unknown against a higher one (a test box's 1 s threshold must not
        // read a 60 ms hiccup as a 1 s one), and never quiet.
        var pastLastBound = p99Us == long.MaxValue;
        if (pastLastBound && _thresholdUs >= MixerMetrics.LatenessBoundsUs[^1])
        {
            _secondsOver = 0;
            _secondsUnder = 0;
            return null;
        }

        if (p99Us > _thresholdUs)
        {
            _secondsUnder = 0;
            _secondsOver++;
            if (_secondsOver >= RaiseAfterSeconds && Level < MaxLevel)
            {
                // A fresh run is needed for the next level: the shed work gets time to show.
                _secondsOver = 0;
                return ++Level;
            }

            return null;
        }

        _secondsOver = 0;
        if (p99Us * 2 >= _thresholdUs)
        {
            _secondsUnder = 0;
            return null;
        }

        _secondsUnder++;
        if (_secondsUnder >= LowerAfterSeconds && Level > 0)
        {
            _secondsUnder = 0;
            return --Level;
        }

        return null;
    }

    /// <summary>The upper bound of the bucket holding the 99th percentile of one window's counts; 0 for an empty window.</summary>
    public static long WindowP99Us(ReadOnlySpan<long> window)
    {
        long total = 0;
        foreach (var count in window)
        {
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(total * 0.99);
        long seen = 0;
        for (var i = 0; i < window.Length; i++)
        {
            seen += window[i];
            if (seen >= rank)
            {
                return i < MixerMetrics.LatenessBoundsUs.Length ? MixerMetrics.LatenessBoundsUs[i] : long.MaxValue;
            }
        }

        return long.MaxValue;
    }
}

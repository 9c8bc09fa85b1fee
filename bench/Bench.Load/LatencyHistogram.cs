using System.Numerics;

namespace MediaServer.Bench.Load;

/// <summary>
/// Latency histogram in microseconds, shared by all receive loops. Exact below 2,048 µs,
/// then 1,024 buckets per power of two (under 0.1 % error), so millions of samples cost a
/// fixed quarter megabyte and percentiles need no sorting.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 10;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int LinearLimit = 2 * SubBucketCount;
    // Shifts 1..MaxShift cover values up to 2^(SubBucketBits + MaxShift + 1) µs, about 24 days.
    private const int MaxShift = 30;

    private readonly long[] _counts = new long[LinearLimit + MaxShift * SubBucketCount];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    public long Count => Volatile.Read(ref _count);

    public long MaxMicros => Volatile.Read(ref _maxMicros);

    public double MeanMicros
    {
        get
        {
            long count = Count;
            return count == 0 ? 0 : (double)Volatile.Read(ref _sumMicros) / count;
        }
    }

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }
        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, micros);
        long max = Volatile.Read(ref _maxMicros);
        while (micros > max)
        {
            long seen = Interlocked.CompareExchange(ref _maxMicros, micros, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>The value at or below which <paramref name="percent"/> of the samples fall, in µs.</summary>
    public long PercentileMicros(double percent)
    {
        long count = Count;
        if (count == 0)
        {
            return 0;
        }
        long rank = (long)Math.Ceiling(percent / 100.0 * count);
        rank = Math.Clamp(rank, 1, count);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(ValueOf(i), MaxMicros);
            }
        }
        return MaxMicros;
    }

    private static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }
        int highestBit = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = highestBit - SubBucketBits;
        if (shift > MaxShift)
        {
            return LinearLimit + MaxShift * SubBucketCount - 1;
        }
        int top = (int)(value >> shift);
        return LinearLimit + (shift - 1) * SubBucketCount + (top - SubBucketCount);
    }

    // The middle of the bucket, so the quantisation error is symmetric.
    private static long ValueOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }
        int offset = index - LinearLimit;
        int shift = offset / SubBucketCount + 1;
        long top = offset % SubBucketCount + SubBucketCount;
        return (top << shift) + (1L << shift) / 2;
    }
}

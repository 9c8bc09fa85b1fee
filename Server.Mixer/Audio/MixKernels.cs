using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MediaServer.Mixer.Audio;

/// <summary>
/// The conference mixer's per-sample work on <see cref="MixerFormat"/> frames: sum members into
/// an int accumulator, write the (N-1) mix back to 16 bits with saturation, scale by a volume
/// gain, and score a frame's energy. Stateless and thread-agnostic; the mixer thread calls them
/// once per member per 20 ms tick, so they never allocate.
/// </summary>
/// <remarks>
/// Each kernel picks Vector256 when the hardware has it, else Vector128, then finishes the tail
/// with the scalar loop. The <c>...Scalar</c> twins are the reference the tests hold the vector
/// paths to; the <c>...Vector128</c>/<c>...Vector256</c> entry points force one width so a test
/// on an AVX2 machine still proves the 128-bit path (they run in software where unaccelerated).
/// The accumulator is int: 32768 members at full scale still fit, so sums never saturate until
/// the final store, which is what makes <c>sum - own</c> exact.
/// </remarks>
public static class MixKernels
{
    /// <summary>The Q12 gain that leaves samples unchanged.</summary>
    public const int UnityGainQ12 = 4096;

    /// <summary>
    /// The largest gain accepted (x16, +24 dB): 32767 x 65536 still fits an int, so the vector
    /// multiply cannot wrap before the shift.
    /// </summary>
    public const int MaxGainQ12 = 65536;

    private const int GainShift = 12;

    // MeanAbsolute adds two |sample| values (<= 65536) per int lane per Vector256 step; flushing
    // to the long total every 2048 steps keeps a lane under 2^27 and the 8-lane sum under 2^31.
    private const int EnergyFlushSteps = 2048;

    /// <summary><c>accumulator[i] += samples[i]</c>.</summary>
    public static void Accumulate(Span<int> accumulator, ReadOnlySpan<short> samples)
    {
        CheckLengths(accumulator.Length, samples.Length);
        var done = Vector256.IsHardwareAccelerated ? Accumulate256(accumulator, samples)
            : Vector128.IsHardwareAccelerated ? Accumulate128(accumulator, samples)
            : 0;
        AccumulateTail(accumulator, samples, done);
    }

    /// <summary><c>output[i] = saturate(accumulator[i])</c>: the mix everyone who contributes nothing hears.</summary>
    public static void Store(ReadOnlySpan<int> accumulator, Span<short> output)
    {
        CheckLengths(accumulator.Length, output.Length);
        var done = Vector256.IsHardwareAccelerated ? Store256(accumulator, output)
            : Vector128.IsHardwareAccelerated ? Store128(accumulator, output)
            : 0;
        StoreTail(accumulator, output, done);
    }

    /// <summary><c>output[i] = saturate(accumulator[i] - own[i])</c>: a contributing member's N-1 mix.</summary>
    public static void StoreMinus(ReadOnlySpan<int> accumulator, ReadOnlySpan<short> own, Span<short> output)
    {
        CheckLengths(accumulator.Length, own.Length);
        CheckLengths(accumulator.Length, output.Length);
        var done = Vector256.IsHardwareAccelerated ? StoreMinus256(accumulator, own, output)
            : Vector128.IsHardwareAccelerated ? StoreMinus128(accumulator, own, output)
            : 0;
        StoreMinusTail(accumulator, own, output, done);
    }

    /// <summary>
    /// <c>samples[i] = saturate((samples[i] * gainQ12) &gt;&gt; 12)</c>, in place; 4096 is unity.
    /// The shift floors (rounds toward minus infinity), as the scalar twin does.
    /// </summary>
    public static void ApplyGain(Span<short> samples, int gainQ12)
    {
        CheckGain(gainQ12);
        if (gainQ12 == UnityGainQ12)
        {
            return;
        }

        var done = Vector256.IsHardwareAccelerated ? ApplyGain256(samples, gainQ12)
            : Vector128.IsHardwareAccelerated ? ApplyGain128(samples, gainQ12)
            : 0;
        ApplyGainTail(samples, gainQ12, done);
    }

    /// <summary>The frame's energy score: the mean of |sample| (|-32768| counts as 32768), truncated; 0 for an empty span.</summary>
    public static int MeanAbsolute(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        long total = 0;
        var done = Vector256.IsHardwareAccelerated ? SumAbsolute256(samples, ref total)
            : Vector128.IsHardwareAccelerated ? SumAbsolute128(samples, ref total)
            : 0;
        return MeanAbsoluteTail(samples, total, done);
    }

    public static void AccumulateScalar(Span<int> accumulator, ReadOnlySpan<short> samples)
    {
        CheckLengths(accumulator.Length, samples.Length);
        AccumulateTail(accumulator, samples, 0);
    }

    public static void StoreScalar(ReadOnlySpan<int> accumulator, Span<short> output)
    {
        CheckLengths(accumulator.Length, output.Length);
        StoreTail(accumulator, output, 0);
    }

    public static void StoreMinusScalar(ReadOnlySpan<int> accumulator, ReadOnlySpan<short> own, Span<short> output)
    {
        CheckLengths(accumulator.Length, own.Length);
        CheckLengths(accumulator.Length, output.Length);
        StoreMinusTail(accumulator, own, output, 0);
    }

    public static void ApplyGainScalar(Span<short> samples, int gainQ12)
    {
        CheckGain(gainQ12);
        ApplyGainTail(samples, gainQ12, 0);
    }

    public static int MeanAbsoluteScalar(ReadOnlySpan<short> samples) =>
        samples.IsEmpty ? 0 : MeanAbsoluteTail(samples, 0, 0);

    public static void AccumulateVector128(Span<int> accumulator, ReadOnlySpan<short> samples)
    {
        CheckLengths(accumulator.Length, samples.Length);
        AccumulateTail(accumulator, samples, Accumulate128(accumulator, samples));
    }

    public static void AccumulateVector256(Span<int> accumulator, ReadOnlySpan<short> samples)
    {
        CheckLengths(accumulator.Length, samples.Length);
        AccumulateTail(accumulator, samples, Accumulate256(accumulator, samples));
    }

    public static void StoreVector128(ReadOnlySpan<int> accumulator, Span<short> output)
    {
        CheckLengths(accumulator.Length, output.Length);
        StoreTail(accumulator, output, Store128(accumulator, output));
    }

    public static void StoreVector256(ReadOnlySpan<int> accumulator, Span<short> output)
    {
        CheckLengths(accumulator.Length, output.Length);
        StoreTail(accumulator, output, Store256(accumulator, output));
    }

    public static void StoreMinusVector128(ReadOnlySpan<int> accumulator, ReadOnlySpan<short> own, Span<short> output)
    {
        CheckLengths(accumulator.Length, own.Length);
        CheckLengths(accumulator.Length, output.Length);
        StoreMinusTail(accumulator, own, output, StoreMinus128(accumulator, own, output));
    }

    public static void StoreMinusVector256(ReadOnlySpan<int> accumulator, ReadOnlySpan<short> own, Span<short> output)
    {
        CheckLengths(accumulator.Length, own.Length);
        CheckLengths(accumulator.Length, output.Length);
        StoreMinusTail(accumulator, own, output, StoreMinus256(accumulator, own, output));
    }

    public static void ApplyGainVector128(Span<short> samples, int gainQ12)
    {
        CheckGain(gainQ12);
        ApplyGainTail(samples, gainQ12, ApplyGain128(samples, gainQ12));
    }

    public static void ApplyGainVector256(Span<short> samples, int gainQ12)
    {
        CheckGain(gainQ12);
        ApplyGainTail(samples, gainQ12, ApplyGain256(samples, gainQ12));
    }

    public static int MeanAbsoluteVector128(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        long total = 0;
        var done = SumAbsolute128(samples, ref total);
        return MeanAbsoluteTail(samples, total, done);
    }

    public static int MeanAbsoluteVector256(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        long total = 0;
        var done = SumAbsolute256(samples, ref total);
        return MeanAbsoluteTail(samples, total, done);
    }

    // ---- scalar loops, also the vector paths' tails (start at `from`) ----

    private static void AccumulateTail(Span<int> accumulator, ReadOnlySpan<short> samples, int from)
    {
        for (var i = from; i < accumulator.Length; i++)
        {
            accumulator[i] += samples[i];
        }
    }

    private static void StoreTail(ReadOnlySpan<int> accumulator, Span<short> output, int from)
    {
        for (var i = from; i < accumulator.Length; i++)
        {
            output[i] = Saturate(accumulator[i]);
        }
    }

    private static void StoreMinusTail(ReadOnlySpan<int> accumulator, ReadOnlySpan<short> own, Span<short> output, int from)
    {
        for (var i = from; i < accumulator.Length; i++)
        {
            output[i] = Saturate(accumulator[i] - own[i]);
        }
    }

    private static void ApplyGainTail(Span<short> samples, int gainQ12, int from)
    {
        for (var i = from; i < samples.Length; i++)
        {
            samples[i] = Saturate((samples[i] * gainQ12) >> GainShift);
        }
    }

    private static int MeanAbsoluteTail(ReadOnlySpan<short> samples, long total, int from)
    {
        for (var i = from; i < samples.Length; i++)
        {
            total += Math.Abs((int)samples[i]);
        }

        return (int)(total / samples.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static short Saturate(int value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);

    // ---- Vector256: 16 samples per step; each returns how many samples it covered ----

    private static int Accumulate256(Span<int> accumulator, ReadOnlySpan<short> samples)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        ref var src = ref MemoryMarshal.GetReference(samples);
        var i = 0;
        for (; i <= samples.Length - Vector256<short>.Count; i += Vector256<short>.Count)
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
            (Vector256.LoadUnsafe(ref acc, (nuint)i) + lower).StoreUnsafe(ref acc, (nuint)i);
            (Vector256.LoadUnsafe(ref acc, (nuint)i + 8) + upper).StoreUnsafe(ref acc, (nuint)i + 8);
        }

        return i;
    }

    private static int Store256(ReadOnlySpan<int> accumulator, Span<short> output)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var i = 0;
        for (; i <= accumulator.Length - Vector256<short>.Count; i += Vector256<short>.Count)
        {
            var lower = Vector256.LoadUnsafe(ref acc, (nuint)i);
            var upper = Vector256.LoadUnsafe(ref acc, (nuint)i + 8);
            NarrowSaturate(lower, upper).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    private static int StoreMinus256(ReadOnlySpan<int> accumulator, ReadOnlySpan<short> own, Span<short> output)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        ref var mine = ref MemoryMarshal.GetReference(own);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var i = 0;
        for (; i <= accumulator.Length - Vector256<short>.Count; i += Vector256<short>.Count)
        {
            var (ownLower, ownUpper) = Vector256.Widen(Vector256.LoadUnsafe(ref mine, (nuint)i));
            var lower = Vector256.LoadUnsafe(ref acc, (nuint)i) - ownLower;
            var upper = Vector256.LoadUnsafe(ref acc, (nuint)i + 8) - ownUpper;
            NarrowSaturate(lower, upper).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    private static int ApplyGain256(Span<short> samples, int gainQ12)
    {
        ref var data = ref MemoryMarshal.GetReference(samples);
        var gain = Vector256.Create(gainQ12);
        var i = 0;
        for (; i <= samples.Length - Vector256<short>.Count; i += Vector256<short>.Count)
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref data, (nuint)i));
            lower = Vector256.ShiftRightArithmetic(lower * gain, GainShift);
            upper = Vector256.ShiftRightArithmetic(upper * gain, GainShift);
            NarrowSaturate(lower, upper).StoreUnsafe(ref data, (nuint)i);
        }

        return i;
    }

    private static int SumAbsolute256(ReadOnlySpan<short> samples, ref long total)
    {
        ref var src = ref MemoryMarshal.GetReference(samples);
        var i = 0;
        while (i <= samples.Length - Vector256<short>.Count)
        {
            var sum = Vector256<int>.Zero;
            var end = Math.Min(samples.Length - Vector256<short>.Count, i + ((EnergyFlushSteps - 1) * Vector256<short>.Count));
            for (; i <= end; i += Vector256<short>.Count)
            {
                // Widen before Abs: |-32768| does not fit a short.
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
                sum += Vector256.Abs(lower) + Vector256.Abs(upper);
            }

            total += Vector256.Sum(sum);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> NarrowSaturate(Vector256<int> lower, Vector256<int> upper)
    {
        if (Avx2.IsSupported)
        {
            // vpackssdw packs per 128-bit lane, giving lower[0..3] upper[0..3] lower[4..7] upper[4..7];
            // vpermq 0b11_01_10_00 swaps the middle quarters back into element order.
            var packed = Avx2.PackSignedSaturate(lower, upper);
            return Avx2.Permute4x64(packed.AsInt64(), 0b11_01_10_00).AsInt16();
        }

        var min = Vector256.Create((int)short.MinValue);
        var max = Vector256.Create((int)short.MaxValue);
        return Vector256.Narrow(Vector256.Clamp(lower, min, max), Vector256.Clamp(upper, min, max));
    }

    // ---- Vector128: 8 samples per step ----

    private static int Accumulate128(Span<int> accumulator, ReadOnlySpan<short> samples)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        ref var src = ref MemoryMarshal.GetReference(samples);
        var i = 0;
        for (; i <= samples.Length - Vector128<short>.Count; i += Vector128<short>.Count)
        {
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref src, (nuint)i));
            (Vector128.LoadUnsafe(ref acc, (nuint)i) + lower).StoreUnsafe(ref acc, (nuint)i);
            (Vector128.LoadUnsafe(ref acc, (nuint)i + 4) + upper).StoreUnsafe(ref acc, (nuint)i + 4);
        }

        return i;
    }

    private static int Store128(ReadOnlySpan<int> accumulator, Span<short> output)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var i = 0;
        for (; i <= accumulator.Length - Vector128<short>.Count; i += Vector128<short>.Count)
        {
            var lower = Vector128.LoadUnsafe(ref acc, (nuint)i);
            var upper = Vector128.LoadUnsafe(ref acc, (nuint)i + 4);
            NarrowSaturate(lower, upper).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    private static int StoreMinus128(ReadOnlySpan<int> accumulator, ReadOnlySpan<short> own, Span<short> output)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        ref var mine = ref MemoryMarshal.GetReference(own);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var i = 0;
        for (; i <= accumulator.Length - Vector128<short>.Count; i += Vector128<short>.Count)
        {
            var (ownLower, ownUpper) = Vector128.Widen(Vector128.LoadUnsafe(ref mine, (nuint)i));
            var lower = Vector128.LoadUnsafe(ref acc, (nuint)i) - ownLower;
            var upper = Vector128.LoadUnsafe(ref acc, (nuint)i + 4) - ownUpper;
            NarrowSaturate(lower, upper).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    private static int ApplyGain128(Span<short> samples, int gainQ12)
    {
        ref var data = ref MemoryMarshal.GetReference(samples);
        var gain = Vector128.Create(gainQ12);
        var i = 0;
        for (; i <= samples.Length - Vector128<short>.Count; i += Vector128<short>.Count)
        {
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref data, (nuint)i));
            lower = Vector128.ShiftRightArithmetic(lower * gain, GainShift);
            upper = Vector128.ShiftRightArithmetic(upper * gain, GainShift);
            NarrowSaturate(lower, upper).StoreUnsafe(ref data, (nuint)i);
        }

        return i;
    }

    private static int SumAbsolute128(ReadOnlySpan<short> samples, ref long total)
    {
        ref var src = ref MemoryMarshal.GetReference(samples);
        var i = 0;
        while (i <= samples.Length - Vector128<short>.Count)
        {
            var sum = Vector128<int>.Zero;
            var end = Math.Min(samples.Length - Vector128<short>.Count, i + ((EnergyFlushSteps - 1) * Vector128<short>.Count));
            for (; i <= end; i += Vector128<short>.Count)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref src, (nuint)i));
                sum += Vector128.Abs(lower) + Vector128.Abs(upper);
            }

            total += Vector128.Sum(sum);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> NarrowSaturate(Vector128<int> lower, Vector128<int> upper)
    {
        if (Sse2.IsSupported)
        {
            // packssdw: no lane crossing at 128 bits, so the order is already right.
            return Sse2.PackSignedSaturate(lower, upper);
        }

        var min = Vector128.Create((int)short.MinValue);
        var max = Vector128.Create((int)short.MaxValue);
        return Vector128.Narrow(Vector128.Clamp(lower, min, max), Vector128.Clamp(upper, min, max));
    }

    private static void CheckLengths(int expected, int actual)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Spans differ in length ({expected} and {actual}); the kernels work on whole frames.");
        }
    }

    private static void CheckGain(int gainQ12)
    {
        if (gainQ12 is < 0 or > MaxGainQ12)
        {
            throw new ArgumentOutOfRangeException(nameof(gainQ12), gainQ12, $"A Q12 gain is 0..{MaxGainQ12} (4096 = unity).");
        }
    }
}

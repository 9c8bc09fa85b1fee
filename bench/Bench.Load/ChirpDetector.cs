using System.Numerics;
using System.Runtime.InteropServices;

namespace MediaServer.Bench.Load;

/// <summary>
/// Finds the <see cref="ChirpMarker"/> in decoded audio by normalised cross-correlation: the
/// score at each offset is the cosine between the chirp and the stretch of signal under it,
/// 1 for the chirp alone, lower as other talkers' speech is mixed in, near 0 for speech alone.
/// The search runs at 12 kHz (a quarter of the rate, which still holds the whole 1-3 kHz
/// sweep), about 6 M multiply-adds for half a second of audio, and then refines the best
/// offset at 48 kHz. Stateless; callers bring the scratch so a probe correlates without allocating.
/// </summary>
internal static class ChirpDetector
{
    /// <summary>
    /// The score that counts as found. Speech alone scores well under it (its energy sits
    /// mostly below 1 kHz and it never sweeps); the chirp under a talker at the same level
    /// still scores well above it.
    /// </summary>
    public const double Threshold = 0.5;

    private const int Decimation = 4;

    private static readonly float[] Reference = ToFloat(ChirpMarker.CreatePcm());
    private static readonly float[] CoarseReference = Decimate(Reference);
    private static readonly double ReferenceNorm = Math.Sqrt(Dot(Reference, Reference));
    private static readonly double CoarseNorm = Math.Sqrt(Dot(CoarseReference, CoarseReference));

    /// <summary>Floats of scratch <see cref="TryFind(ReadOnlySpan{short}, Span{float}, out int, out double)"/> needs for a signal of this length.</summary>
    public static int ScratchLength(int signalSamples) => signalSamples + signalSamples / Decimation;

    /// <summary>
    /// The sample at which the chirp starts in <paramref name="signal"/> (48 kHz mono) and its
    /// score; true when the score reaches <see cref="Threshold"/>. With no room for the chirp,
    /// false with score 0.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<short> signal, Span<float> scratch, out int offset, out double score)
    {
        offset = 0;
        score = 0;
        int n = signal.Length;
        if (n < Reference.Length)
        {
            return false;
        }
        Span<float> full = scratch[..n];
        for (int i = 0; i < n; i++)
        {
            full[i] = signal[i];
        }
        int m = n / Decimation;
        Span<float> coarse = scratch.Slice(n, m);
        for (int i = 0; i < m; i++)
        {
            int j = i * Decimation;
            coarse[i] = (full[j] + full[j + 1] + full[j + 2] + full[j + 3]) * (1f / Decimation);
        }

        int bestCoarse = Best(coarse, CoarseReference, CoarseNorm, 0, m - CoarseReference.Length, out _);
        int from = Math.Max(0, bestCoarse * Decimation - Decimation);
        int to = Math.Min(n - Reference.Length, bestCoarse * Decimation + Decimation);
        offset = Best(full, Reference, ReferenceNorm, from, to, out score);
        return score >= Threshold;
    }

    /// <summary>Allocating form, for tests and one-off use.</summary>
    public static bool TryFind(short[] signal, out int offset, out double score) =>
        TryFind(signal, new float[ScratchLength(signal.Length)], out offset, out score);

    /// <summary>The offset in [<paramref name="from"/>, <paramref name="to"/>] with the highest score.</summary>
    private static int Best(ReadOnlySpan<float> signal, ReadOnlySpan<float> reference, double referenceNorm, int from, int to, out double best)
    {
        best = double.NegativeInfinity;
        int at = from;
        for (int k = from; k <= to; k++)
        {
            ReadOnlySpan<float> window = signal.Slice(k, reference.Length);
            double energy = Dot(window, window);
            // Digital silence has no direction to compare with.
            if (energy <= 1)
            {
                continue;
            }
            double s = Dot(window, reference) / (Math.Sqrt(energy) * referenceNorm);
            if (s > best)
            {
                best = s;
                at = k;
            }
        }
        if (double.IsNegativeInfinity(best))
        {
            best = 0;
        }
        return at;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
        ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
        Vector<float> sum = Vector<float>.Zero;
        for (int i = 0; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }
        double total = Vector.Sum(sum);
        for (int i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }
        return total;
    }

    private static float[] ToFloat(short[] pcm) => Array.ConvertAll(pcm, s => (float)s);

    private static float[] Decimate(float[] pcm)
    {
        var coarse = new float[pcm.Length / Decimation];
        for (int i = 0; i < coarse.Length; i++)
        {
            int j = i * Decimation;
            coarse[i] = (pcm[j] + pcm[j + 1] + pcm[j + 2] + pcm[j + 3]) * (1f / Decimation);
        }
        return coarse;
    }
}

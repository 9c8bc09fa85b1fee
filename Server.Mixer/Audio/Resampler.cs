using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Audio;

/// <summary>
/// Streaming sample-rate converter for mono 16-bit PCM between rates with a small rational
/// ratio L/M (8, 16, 24, 32 and 48 kHz with each other). Polyphase FIR: conceptually the input
/// is upsampled by L (zeros between samples), low-pass filtered at the prototype rate
/// in × L, and every M-th sample kept; only the taps that meet non-zero input are computed.
/// <code>
///   output n  ->  position t = n·M at the prototype rate
///                 newest input i = ⌊t / L⌋, phase p = t mod L
///   y[n] = Σ_k h[p + k·L] · x[i − k]        k = 0 .. T−1   (T taps per phase)
/// </code>
/// The prototype is a Kaiser-windowed sinc (β for 75 dB stopband) whose −6 dB point sits at
/// 90 % of the lower rate's Nyquist frequency, with the stopband starting at that Nyquist
/// frequency, so nothing above it folds back. The last T−1 input samples are kept between
/// calls, so 20 ms frames join without clicks and any chunking gives the same output.
/// Owned by one codec instance and used by one thread; <see cref="Process"/> never allocates.
/// </summary>
public sealed class Resampler
{
    /// <summary>Stopband attenuation the filter is designed for, in dB.</summary>
    public const double StopbandDb = 75;

    /// <summary>Input samples converted per pass; longer inputs are split, which changes nothing but the loop count.</summary>
    private const int ChunkSamples = 960;

    /// <summary>Largest L or M accepted: keeps the phase table small (48 kHz from 8 kHz is 6).</summary>
    private const int MaxFactor = 12;

    private readonly int _up;
    private readonly int _down;
    private readonly int _taps;

    /// <summary>L phases of <see cref="_taps"/> coefficients each, oldest sample's tap first, so a phase is a plain dot product with the history window.</summary>
    private readonly float[] _coefficients;

    /// <summary>The last T−1 input samples, then the current chunk, as floats.</summary>
    private readonly float[] _history;

    /// <summary>Position of the next output at the prototype rate, counted from the first sample of the next chunk.</summary>
    private int _position;

    public Resampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        var divisor = Gcd(inputRate, outputRate);
        _up = outputRate / divisor;
        _down = inputRate / divisor;
        if (_up > MaxFactor || _down > MaxFactor)
        {
            throw new ArgumentException($"{inputRate} Hz to {outputRate} Hz is not a small integer ratio.", nameof(outputRate));
        }

        InputRate = inputRate;
        OutputRate = outputRate;

        // Kaiser's estimates (Oppenheim & Schafer §7.6): length for the stopband and transition,
        // β for the stopband. Transition: 80 % to 100 % of the lower Nyquist frequency.
        var prototypeRate = (double)inputRate * _up;
        var lowerNyquist = Math.Min(inputRate, outputRate) / 2.0;
        var transition = 2 * Math.PI * (0.2 * lowerNyquist) / prototypeRate;
        var length = (int)Math.Ceiling((StopbandDb - 7.95) / (2.285 * transition)) + 1;
        var beta = 0.1102 * (StopbandDb - 8.7);

        // Round taps per phase up to whole vectors so the dot product needs no scalar tail.
        var lanes = Vector<float>.Count;
        _taps = (((length + _up - 1) / _up) + lanes - 1) / lanes * lanes;
        _coefficients = Design(_up, _taps, 0.9 * lowerNyquist / prototypeRate, beta);
        _history = new float[_taps - 1 + ChunkSamples];
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Filter taps per output sample (per polyphase branch).</summary>
    public int TapsPerPhase => _taps;

    /// <summary>Group delay of the filter, in output samples: a tone comes out this much later.</summary>
    public double Delay => (_taps * _up - 1) / 2.0 / _down;

    /// <summary>The exact number of samples the next <see cref="Process"/> of <paramref name="inputLength"/> samples writes.</summary>
    public int GetOutputLength(int inputLength)
    {
        // Outputs at positions _position, _position + M, ... below inputLength · L.
        var end = (long)inputLength * _up;
        return end <= _position ? 0 : (int)((end - _position + _down - 1) / _down);
    }

    /// <summary>
    /// Converts <paramref name="input"/> and returns the samples written to
    /// <paramref name="output"/> (exactly <see cref="GetOutputLength"/>: 960 → 160 for
    /// 48 → 8 kHz, 160 → 960 back). Values beyond the 16-bit range saturate.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <see cref="GetOutputLength"/>.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var total = GetOutputLength(input.Length);
        if (output.Length < total)
        {
            throw new ArgumentException($"{input.Length} input samples make {total} output samples.", nameof(output));
        }

        var written = 0;
        var keep = _taps - 1;
        var history = _history;
        while (!input.IsEmpty)
        {
            var chunk = Math.Min(ChunkSamples, input.Length);
            var fresh = history.AsSpan(keep, chunk);
            for (var i = 0; i < chunk; i++)
            {
                fresh[i] = input[i];
            }

            written += FilterChunk(chunk, output[written..]);
            history.AsSpan(chunk, keep).CopyTo(history);
            input = input[chunk..];
        }

        return written;
    }

    /// <summary>Forgets the history, as at construction (a new stream, e.g. after a long gap).</summary>
    public void Reset()
    {
        Array.Clear(_history);
        _position = 0;
    }

    /// <summary>Σ a[i]·b[i] one element at a time: the reference the vector path is tested against.</summary>
    internal static float DotScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// Σ a[i]·b[i] with <see cref="Vector{T}"/>: fused multiply-add where the CPU has it (plain
    /// multiply and add where not, hence "estimate"), two accumulators to hide its latency, any tail scalar.
    /// </summary>
    internal static float DotVector(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b);
        var length = Math.Min(a.Length, b.Length);
        var lanes = Vector<float>.Count;
        var first = Vector<float>.Zero;
        var second = Vector<float>.Zero;
        var i = 0;
        for (; i <= length - (2 * lanes); i += 2 * lanes)
        {
            first = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref left, (nuint)i), Vector.LoadUnsafe(ref right, (nuint)i), first);
            second = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref left, (nuint)(i + lanes)), Vector.LoadUnsafe(ref right, (nuint)(i + lanes)), second);
        }

        for (; i <= length - lanes; i += lanes)
        {
            first = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref left, (nuint)i), Vector.LoadUnsafe(ref right, (nuint)i), first);
        }

        var sum = Vector.Sum(first + second);
        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref left, i) * Unsafe.Add(ref right, i);
        }

        return sum;
    }

    private int FilterChunk(int chunk, Span<short> output)
    {
        var taps = _taps;
        var coefficients = _coefficients.AsSpan();
        var history = _history.AsSpan();
        var vector = Vector.IsHardwareAccelerated;
        var end = chunk * _up;
        var n = 0;
        var position = _position;
        for (; position < end; position += _down)
        {
            var newest = position / _up;
            var phase = position - (newest * _up);

            // The window ends at input sample `newest`, which sits at history[taps − 1 + newest].
            var window = history.Slice(newest, taps);
            var weights = coefficients.Slice(phase * taps, taps);
            var value = vector ? DotVector(weights, window) : DotScalar(weights, window);
            output[n++] = Saturate(value);
        }

        _position = position - end;
        return n;
    }

    private static short Saturate(float value)
    {
        var rounded = MathF.Round(value);
        return rounded >= short.MaxValue ? short.MaxValue : rounded <= short.MinValue ? short.MinValue : (short)rounded;
    }

    /// <summary>
    /// The prototype low-pass of <paramref name="up"/> × <paramref name="taps"/> coefficients,
    /// cutoff given as a fraction of the prototype rate, split into phases with each phase's
    /// taps reversed (oldest input first) and scaled to sum to 1, so every phase passes DC at
    /// unity gain and an upsampler shows no ripple at the input rate.
    /// </summary>
    private static float[] Design(int up, int taps, double cutoff, double beta)
    {
        var length = up * taps;
        var prototype = new double[length];
        var middle = (length - 1) / 2.0;
        var denominator = BesselI0(beta);
        for (var k = 0; k < length; k++)
        {
            var x = k - middle;
            var sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            var r = x / middle;
            var window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / denominator;
            prototype[k] = sinc * window;
        }

        var coefficients = new float[length];
        for (var phase = 0; phase < up; phase++)
        {
            var sum = 0.0;
            for (var k = 0; k < taps; k++)
            {
                sum += prototype[phase + (k * up)];
            }

            for (var k = 0; k < taps; k++)
            {
                coefficients[(phase * taps) + (taps - 1 - k)] = (float)(prototype[phase + (k * up)] / sum);
            }
        }

        return coefficients;
    }

    /// <summary>Zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var half = x / 2;
        for (var k = 1; k < 50; k++)
        {
            term *= half / k * (half / k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}

using FsCheck;
using FsCheck.Fluent;
using MediaServer.Mixer.Audio;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>
/// Every vector width equals the scalar reference on random frames of any length (odd ones and
/// the lengths around the vector sizes included) and on full-scale extremes; saturation and the
/// N-1 subtraction are checked with exact numbers.
/// </summary>
public class MixKernelsTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true);

    private static readonly Gen<int> Length = Gen.Frequency(
        (3, Gen.Choose(0, 2000)),
        (2, Gen.Choose(0, 40)),
        (1, Gen.Constant(MixerFormat.FrameSamples)));

    // FsCheck picks the length, a seed and how often extremes appear; the samples themselves come
    // from a seeded Random, which is far cheaper than generating thousands of values one by one.
    private static readonly Gen<Case> Cases =
        from length in Length
        from seed in Gen.Choose(0, int.MaxValue)
        from extremesPercent in Gen.Elements(0, 10, 50, 100)
        select new Case(length, seed, extremesPercent);

    private static readonly Gen<int> Gain = Gen.Frequency(
        (3, Gen.Choose(0, MixKernels.MaxGainQ12)),
        (1, Gen.Elements(0, 1, 4095, MixKernels.UnityGainQ12, 4097, 16306, MixKernels.MaxGainQ12)));

    private static readonly short[] ExtremeSamples = [short.MinValue, short.MaxValue, 0, -1, 1];

    // Accumulators reach past the 16-bit range, up to the sum of 300 full-scale members, and sit at the clamp edges.
    private static readonly int[] ExtremeSums = [int.MinValue / 2, int.MaxValue / 2, 32767, 32768, -32768, -32769, 0, 300 * 32767];

    public static TheoryData<string> Widths => ["dispatch", "128", "256"];

    [Theory]
    [MemberData(nameof(Widths))]
    public void AccumulateEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(Cases.ToArbitrary(), input =>
        {
            var expected = input.Accumulator();
            var actual = (int[])expected.Clone();
            var samples = input.Samples();
            MixKernels.AccumulateScalar(expected, samples);
            Accumulate(width, actual, samples);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void StoreEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(Cases.ToArbitrary(), input =>
        {
            var accumulator = input.Accumulator();
            var expected = new short[input.Length];
            var actual = new short[input.Length];
            MixKernels.StoreScalar(accumulator, expected);
            Store(width, accumulator, actual);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void StoreMinusEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(Cases.ToArbitrary(), input =>
        {
            var accumulator = input.Accumulator();
            var own = input.Samples();
            var expected = new short[input.Length];
            var actual = new short[input.Length];
            MixKernels.StoreMinusScalar(accumulator, own, expected);
            StoreMinus(width, accumulator, own, actual);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void ApplyGainEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(Cases.ToArbitrary(), Gain.ToArbitrary(), (input, gain) =>
        {
            var frame = input.Samples();
            var expected = (short[])frame.Clone();
            var actual = (short[])frame.Clone();
            MixKernels.ApplyGainScalar(expected, gain);
            ApplyGain(width, actual, gain);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void MeanAbsoluteEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(Cases.ToArbitrary(), input =>
        {
            var frame = input.Samples();
            return MixKernels.MeanAbsoluteScalar(frame) == MeanAbsolute(width, frame);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void MeanAbsoluteOfLongFullScaleInputsDoesNotOverflow(string width)
    {
        // 100,000 samples of -32768: past the point where one int lane would wrap without the periodic flush.
        var frame = new short[100_001];
        frame.AsSpan().Fill(short.MinValue);
        Assert.Equal(32768, MeanAbsolute(width, frame));
        Assert.Equal(32768, MixKernels.MeanAbsoluteScalar(frame));
    }

    [Fact]
    public void MeanAbsoluteIsTheAverageMagnitude()
    {
        Assert.Equal(0, MixKernels.MeanAbsolute([]));
        Assert.Equal(2, MixKernels.MeanAbsolute([1, -2, 3, -3]));
        Assert.Equal(32768, MixKernels.MeanAbsolute([short.MinValue]));
    }

    [Fact]
    public void ThreeLoudMembersSaturateExactly()
    {
        foreach (var length in new[] { 1, 7, 8, 15, 16, 17, 33, MixerFormat.FrameSamples })
        {
            var acc = new int[length];
            var loud = Filled(length, 30000);
            var quiet = Filled(length, -30000);
            for (var i = 0; i < 3; i++)
            {
                MixKernels.Accumulate(acc, loud);
            }

            var output = new short[length];
            MixKernels.Store(acc, output);
            Assert.All(output, s => Assert.Equal(short.MaxValue, s));
            MixKernels.StoreMinus(acc, loud, output);
            Assert.All(output, s => Assert.Equal(short.MaxValue, s));

            acc.AsSpan().Clear();
            for (var i = 0; i < 3; i++)
            {
                MixKernels.Accumulate(acc, quiet);
            }

            MixKernels.Store(acc, output);
            Assert.All(output, s => Assert.Equal(short.MinValue, s));
        }
    }

    [Fact]
    public void EachMemberHearsTheOthers()
    {
        var random = new Random(1234);
        const int members = 5;
        var frames = new short[members][];
        for (var m = 0; m < members; m++)
        {
            // Small enough that no partial sum saturates: the N-1 mix must then be exact.
            frames[m] = new short[MixerFormat.FrameSamples];
            for (var i = 0; i < frames[m].Length; i++)
            {
                frames[m][i] = (short)random.Next(-8000, 8001);
            }
        }

        var acc = new int[MixerFormat.FrameSamples];
        foreach (var frame in frames)
        {
            MixKernels.Accumulate(acc, frame);
        }

        var output = new short[MixerFormat.FrameSamples];
        for (var m = 0; m < members; m++)
        {
            MixKernels.StoreMinus(acc, frames[m], output);
            for (var i = 0; i < output.Length; i++)
            {
                var others = 0;
                for (var o = 0; o < members; o++)
                {
                    others += o == m ? 0 : frames[o][i];
                }

                Assert.Equal(others, output[i]);
            }
        }
    }

    [Fact]
    public void GainScalesAndSaturates()
    {
        short[] samples = [1000, -1000, 20000, -20000, short.MinValue, short.MaxValue, 0, 1, -1];
        MixKernels.ApplyGain(samples, 2 * MixKernels.UnityGainQ12);
        Assert.Equal([2000, -2000, short.MaxValue, short.MinValue, short.MinValue, short.MaxValue, 0, 2, -2], samples);

        short[] halved = [1000, -1000, 1, -1, short.MinValue];
        MixKernels.ApplyGain(halved, MixKernels.UnityGainQ12 / 2);
        Assert.Equal([500, -500, 0, -1, -16384], halved);
    }

    [Fact]
    public void MismatchedLengthsAndBadGainsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => MixKernels.Accumulate(new int[4], new short[5]));
        Assert.Throws<ArgumentException>(() => MixKernels.Store(new int[4], new short[3]));
        Assert.Throws<ArgumentException>(() => MixKernels.StoreMinus(new int[4], new short[4], new short[5]));
        Assert.Throws<ArgumentException>(() => MixKernels.StoreMinus(new int[4], new short[3], new short[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MixKernels.ApplyGain(new short[4], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MixKernels.ApplyGain(new short[4], MixKernels.MaxGainQ12 + 1));
    }

    private static short[] Filled(int length, short value)
    {
        var frame = new short[length];
        frame.AsSpan().Fill(value);
        return frame;
    }

    private static void Accumulate(string width, int[] acc, short[] samples)
    {
        switch (width)
        {
            case "128": MixKernels.AccumulateVector128(acc, samples); break;
            case "256": MixKernels.AccumulateVector256(acc, samples); break;
            default: MixKernels.Accumulate(acc, samples); break;
        }
    }

    private static void Store(string width, int[] acc, short[] output)
    {
        switch (width)
        {
            case "128": MixKernels.StoreVector128(acc, output); break;
            case "256": MixKernels.StoreVector256(acc, output); break;
            default: MixKernels.Store(acc, output); break;
        }
    }

    private static void StoreMinus(string width, int[] acc, short[] own, short[] output)
    {
        switch (width)
        {
            case "128": MixKernels.StoreMinusVector128(acc, own, output); break;
            case "256": MixKernels.StoreMinusVector256(acc, own, output); break;
            default: MixKernels.StoreMinus(acc, own, output); break;
        }
    }

    private static void ApplyGain(string width, short[] samples, int gain)
    {
        switch (width)
        {
            case "128": MixKernels.ApplyGainVector128(samples, gain); break;
            case "256": MixKernels.ApplyGainVector256(samples, gain); break;
            default: MixKernels.ApplyGain(samples, gain); break;
        }
    }

    private static int MeanAbsolute(string width, short[] samples) => width switch
    {
        "128" => MixKernels.MeanAbsoluteVector128(samples),
        "256" => MixKernels.MeanAbsoluteVector256(samples),
        _ => MixKernels.MeanAbsolute(samples),
    };

    /// <summary>One generated input: its frames are rebuilt from the seed, so a failure reproduces from the printed case.</summary>
    public sealed record Case(int Length, int Seed, int ExtremesPercent)
    {
        public short[] Samples()
        {
            var random = new Random(Seed);
            var samples = new short[Length];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = random.Next(100) < ExtremesPercent
                    ? ExtremeSamples[random.Next(ExtremeSamples.Length)]
                    : (short)random.Next(short.MinValue, short.MaxValue + 1);
            }

            return samples;
        }

        public int[] Accumulator()
        {
            var random = new Random(~Seed);
            var sums = new int[Length];
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] = random.Next(100) < ExtremesPercent
                    ? ExtremeSums[random.Next(ExtremeSums.Length)]
                    : random.Next(-300 * 32768, (300 * 32767) + 1);
            }

            return sums;
        }
    }
}

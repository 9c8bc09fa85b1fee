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

    // Extremes often, anything else otherwise: saturation is where vector and scalar could part.
    private static readonly Gen<short> Sample = Gen.Frequency(
        (1, Gen.Elements(short.MinValue, short.MaxValue, (short)0, (short)-1, (short)1)),
        (3, Gen.Choose(short.MinValue, short.MaxValue).Select(x => (short)x)));

    private static readonly Gen<int> Length = Gen.Frequency(
        (3, Gen.Choose(0, 2000)),
        (2, Gen.Choose(0, 40)),
        (1, Gen.Constant(MixerFormat.FrameSamples)));

    private static readonly Gen<short[]> Frame = Length.SelectMany(n => Gen.ArrayOf(Sample, n));

    /// <summary>Two frames of one length: a signal and a second member.</summary>
    private static readonly Gen<(short[] A, short[] B)> FramePair =
        Length.SelectMany(n => Gen.ArrayOf(Sample, n).SelectMany(a => Gen.ArrayOf(Sample, n).Select(b => (a, b))));

    /// <summary>Accumulators that reach past the 16-bit range: the sum of up to 300 members.</summary>
    private static readonly Gen<(int[] Accumulator, short[] Own)> AccumulatorAndOwn =
        Length.SelectMany(n =>
            Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(-300 * 32768, 300 * 32767)), (1, Gen.Elements(int.MinValue / 2, int.MaxValue / 2, 32767, 32768, -32768, -32769, 0))), n)
                .SelectMany(acc => Gen.ArrayOf(Sample, n).Select(own => (acc, own))));

    private static readonly Gen<int> Gain = Gen.Frequency(
        (3, Gen.Choose(0, MixKernels.MaxGainQ12)),
        (1, Gen.Elements(0, 1, 4095, MixKernels.UnityGainQ12, 4097, 16306, MixKernels.MaxGainQ12)));

    public static TheoryData<string> Widths => ["dispatch", "128", "256"];

    [Theory]
    [MemberData(nameof(Widths))]
    public void AccumulateEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(AccumulatorAndOwn.ToArbitrary(), input =>
        {
            var expected = (int[])input.Accumulator.Clone();
            var actual = (int[])input.Accumulator.Clone();
            MixKernels.AccumulateScalar(expected, input.Own);
            Accumulate(width, actual, input.Own);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void StoreEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(AccumulatorAndOwn.ToArbitrary(), input =>
        {
            var expected = new short[input.Own.Length];
            var actual = new short[input.Own.Length];
            MixKernels.StoreScalar(input.Accumulator, expected);
            Store(width, input.Accumulator, actual);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void StoreMinusEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(AccumulatorAndOwn.ToArbitrary(), input =>
        {
            var expected = new short[input.Own.Length];
            var actual = new short[input.Own.Length];
            MixKernels.StoreMinusScalar(input.Accumulator, input.Own, expected);
            StoreMinus(width, input.Accumulator, input.Own, actual);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void ApplyGainEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(Frame.ToArbitrary(), Gain.ToArbitrary(), (frame, gain) =>
        {
            var expected = (short[])frame.Clone();
            var actual = (short[])frame.Clone();
            MixKernels.ApplyGainScalar(expected, gain);
            ApplyGain(width, actual, gain);
            return expected.AsSpan().SequenceEqual(actual);
        }));

    [Theory]
    [MemberData(nameof(Widths))]
    public void MeanAbsoluteEqualsScalar(string width) =>
        Check.One(Config, Prop.ForAll(Frame.ToArbitrary(), frame => MixKernels.MeanAbsoluteScalar(frame) == MeanAbsolute(width, frame)));

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
}

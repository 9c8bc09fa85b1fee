using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Tests.Codecs;

namespace MediaServer.Mixer.Tests.Audio;

public sealed class ResamplerTests
{
    [Theory]
    [InlineData(48000, 8000)]
    [InlineData(8000, 48000)]
    [InlineData(48000, 16000)]
    [InlineData(16000, 48000)]
    [InlineData(16000, 8000)]
    [InlineData(8000, 16000)]
    public void OneKilohertzKeepsFrequencyAndLevel(int from, int to)
    {
        var resampler = new Resampler(from, to);
        var input = CodecSignals.Sine(from, 1000, 10000, from / 10);
        var output = Run(resampler, input, from / 50);

        // After the filter delay, 40 ms of output (whole cycles at any of these rates).
        var block = output.AsSpan(to / 50, to / 25);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(block, to, 1000) / 10000), -0.5, 0.5);
        Assert.True(CodecSignals.ResidualDb(block, to, 1000) < -60, $"{CodecSignals.ResidualDb(block, to, 1000):F1} dB");
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void RoundTripThroughTheLowerRateKeepsTheTone(int lower)
    {
        var down = new Resampler(48000, lower);
        var up = new Resampler(lower, 48000);
        var input = CodecSignals.Sine(48000, 1000, 10000, 48000 / 5);
        var narrow = Run(down, input, 960);
        var output = Run(up, narrow, lower / 50);

        Assert.Equal(input.Length, output.Length);
        var block = output.AsSpan(960 * 2, 960 * 4);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(block, 48000, 1000) / 10000), -0.5, 0.5);
        Assert.True(CodecSignals.ResidualDb(block, 48000, 1000) < -55, $"{CodecSignals.ResidualDb(block, 48000, 1000):F1} dB");
    }

    [Theory]
    [InlineData(48000, 8000, 6000)] // would fold to 2 kHz
    [InlineData(48000, 8000, 4400)] // just past the stopband edge, would fold to 3.6 kHz
    [InlineData(48000, 16000, 12000)] // would fold to 4 kHz
    [InlineData(16000, 8000, 5000)] // would fold to 3 kHz
    public void AliasesAreRejected(int from, int to, int frequency)
    {
        var resampler = new Resampler(from, to);
        var input = CodecSignals.Sine(from, frequency, 20000, from / 5);
        var output = Run(resampler, input, from / 50);

        var block = output.AsSpan(to / 50);
        var attenuation = CodecSignals.Db(CodecSignals.Rms(block) / (20000 / Math.Sqrt(2)));
        Assert.True(attenuation <= -50, $"{frequency} Hz only {attenuation:F1} dB down");
    }

    [Theory]
    [InlineData(8000, 48000, 3400)] // the top of the telephone band
    [InlineData(48000, 8000, 3400)]
    [InlineData(48000, 16000, 7000)] // the top of the wideband
    public void PassbandEdgeLosesLittle(int from, int to, int frequency)
    {
        // 3400 and 7000 Hz make whole cycles in 100 ms (the block below) at each rate.
        var resampler = new Resampler(from, to);
        var input = CodecSignals.Sine(from, frequency, 10000, from / 2);
        var output = Run(resampler, input, from / 50);
        var block = output.AsSpan(to / 10, to / 10);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(block, to, frequency) / 10000), -3, 0.5);
    }

    [Theory]
    [InlineData(48000, 8000)]
    [InlineData(8000, 48000)]
    [InlineData(16000, 48000)]
    [InlineData(48000, 16000)]
    public void ChunkingDoesNotChangeTheOutput(int from, int to)
    {
        var input = Noise(from / 2, seed: from + to);
        var whole = new short[new Resampler(from, to).GetOutputLength(input.Length)];
        Assert.Equal(whole.Length, new Resampler(from, to).Process(input, whole));

        var chunked = new Resampler(from, to);
        var output = new short[whole.Length + 16];
        var random = new Random(3);
        var written = 0;
        for (var offset = 0; offset < input.Length;)
        {
            var length = Math.Min(input.Length - offset, random.Next(0, 1500));
            written += chunked.Process(input.AsSpan(offset, length), output.AsSpan(written));
            offset += length;
        }

        Assert.Equal(whole.Length, written);
        Assert.Equal(whole, output[..written]);
    }

    [Fact]
    public void FramesMapToExactFrames()
    {
        var down = new Resampler(48000, 8000);
        var up = new Resampler(8000, 48000);
        var wide = new short[960];
        var narrow = new short[160];
        for (var frame = 0; frame < 10; frame++)
        {
            Assert.Equal(160, down.GetOutputLength(960));
            Assert.Equal(160, down.Process(wide, narrow));
            Assert.Equal(960, up.Process(narrow, wide));
        }

        // 7 samples at 48 kHz straddle output positions: the fractions carry over, nothing is lost.
        var odd = new Resampler(48000, 8000);
        var total = 0;
        for (var chunk = 0; chunk < 86; chunk++)
        {
            total += odd.Process(new short[7], narrow);
        }

        Assert.Equal(101, total); // ⌈602 / 6⌉
    }

    [Fact]
    public void FullScaleOvershootSaturates()
    {
        // A full-scale 100 Hz square wave rings past full scale after low-pass filtering (Gibbs).
        var input = new short[8000 / 5];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i / 40 % 2) == 0 ? short.MaxValue : short.MinValue;
        }

        var output = Run(new Resampler(8000, 48000), input, 160);
        Assert.Contains(output, sample => sample == short.MaxValue);
        Assert.Contains(output, sample => sample == short.MinValue);

        // The band-limited edges take several 48 kHz samples; wrap-around would be a jump of nearly 65536 instead.
        for (var i = 1; i < output.Length; i++)
        {
            Assert.True(Math.Abs(output[i] - output[i - 1]) < 40000, $"jump at {i}");
        }
    }

    [Fact]
    public void OutputTooShortThrowsBeforeConsumingInput()
    {
        var resampler = new Resampler(8000, 48000);
        Assert.Throws<ArgumentException>(() => resampler.Process(new short[160], new short[959]));
        Assert.Equal(960, resampler.GetOutputLength(160));
    }

    [Fact]
    public void RatesWithoutASmallRatioAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new Resampler(44100, 48000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(0, 48000));
    }

    [Fact]
    public void VectorDotEqualsScalarDot()
    {
        var random = new Random(11);
        foreach (var length in new[] { 0, 1, 7, 8, 15, 16, 17, 48, 144, 280, 283 })
        {
            var a = new float[length];
            var b = new float[length];
            for (var i = 0; i < length; i++)
            {
                a[i] = (float)(random.NextDouble() - 0.5);
                b[i] = random.Next(short.MinValue, short.MaxValue);
            }

            var scalar = Resampler.DotScalar(a, b);
            var vector = Resampler.DotVector(a, b);
            Assert.True(Math.Abs(scalar - vector) <= 1e-3 * (1 + Math.Abs(scalar)), $"length {length}: {scalar} against {vector}");
        }
    }

    [Theory]
    [InlineData(48000, 8000, 960)]
    [InlineData(8000, 48000, 160)]
    [InlineData(16000, 48000, 320)]
    public void ProcessAllocatesNothing(int from, int to, int frame)
    {
        var resampler = new Resampler(from, to);
        var input = Noise(frame, seed: 1);
        var output = new short[resampler.GetOutputLength(frame)];
        AllocationProbe.AssertNoAllocation(() => resampler.Process(input, output));
    }

    private static short[] Run(Resampler resampler, short[] input, int chunk)
    {
        var output = new short[resampler.GetOutputLength(input.Length)];
        var written = 0;
        for (var offset = 0; offset < input.Length; offset += chunk)
        {
            written += resampler.Process(input.AsSpan(offset, Math.Min(chunk, input.Length - offset)), output.AsSpan(written));
        }

        Assert.Equal(output.Length, written);
        return output;
    }

    private static short[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (short)random.Next(-20000, 20000);
        }

        return samples;
    }
}

using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Mixer.Tests.Codecs;

/// <summary>PCMU and PCMA through our encoder and decoder, resampling included.</summary>
public sealed class G711AudioCodecTests
{
    private const int Rate = MixerFormat.SampleRate;
    private const int Frame = MixerFormat.FrameSamples;

    [Theory]
    [InlineData(AudioCodecKind.Pcmu, 10000)]
    [InlineData(AudioCodecKind.Pcma, 10000)]
    [InlineData(AudioCodecKind.Pcmu, 300)]
    [InlineData(AudioCodecKind.Pcma, 300)]
    public void ToneKeepsFrequencyAndLevel(AudioCodecKind kind, int amplitude)
    {
        using var encoder = new G711AudioEncoder(kind);
        using var decoder = new G711AudioDecoder(kind);
        var input = CodecSignals.Sine(Rate, 1000, amplitude, Frame * 12);
        var output = new short[input.Length];
        var payload = new byte[G711AudioEncoder.FrameBytes];
        for (var frame = 0; frame < 12; frame++)
        {
            Assert.Equal(160, encoder.Encode(input.AsSpan(frame * Frame, Frame), payload));
            Assert.Equal(Frame, decoder.Decode(payload, output.AsSpan(frame * Frame, Frame)));
        }

        // Skip the two filters' delay; then every 20 ms frame holds the tone, 20 whole cycles.
        for (var frame = 2; frame < 12; frame++)
        {
            var block = output.AsSpan(frame * Frame, Frame);
            Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(block, Rate, 1000) / amplitude), -1, 1);

            // G.711 is about 35 dB SNR when loud; quiet tones sit in smaller steps, so the bound is loose.
            Assert.True(CodecSignals.ResidualDb(block, Rate, 1000) < -25, $"frame {frame}: {CodecSignals.ResidualDb(block, Rate, 1000):F1} dB");
        }
    }

    [Fact]
    public void AnyPayloadLengthDecodesToSixSamplesPerByte()
    {
        using var decoder = new G711AudioDecoder(AudioCodecKind.Pcmu);
        var pcm = new short[Frame * 6];
        Assert.Equal(1440, decoder.Decode(new byte[240], pcm));
        Assert.Equal(480, decoder.Decode(new byte[80], pcm));
        Assert.Equal(5760, decoder.Decode(new byte[960], pcm));
        Assert.Equal(0, decoder.Decode([], pcm));
        Assert.Equal(-1, decoder.Decode(new byte[240], new short[Frame]));
    }

    [Theory]
    [InlineData(AudioCodecKind.Pcmu)]
    [InlineData(AudioCodecKind.Pcma)]
    public void ConcealmentContinuesTheToneThenFadesToSilence(AudioCodecKind kind)
    {
        using var encoder = new G711AudioEncoder(kind);
        using var decoder = new G711AudioDecoder(kind);
        var input = CodecSignals.Sine(Rate, 1000, 10000, Frame * 6);
        var pcm = new short[Frame];
        var payload = new byte[G711AudioEncoder.FrameBytes];
        for (var frame = 0; frame < 6; frame++)
        {
            encoder.Encode(input.AsSpan(frame * Frame, Frame), payload);
            decoder.Decode(payload, pcm);
        }

        var concealed = new short[Frame * 5];
        for (var frame = 0; frame < 5; frame++)
        {
            Assert.Equal(Frame, decoder.Conceal(concealed.AsSpan(frame * Frame, Frame)));
        }

        // The first 10 ms repeat the tone at full level; by 60 ms it has faded out.
        var first = concealed.AsSpan(0, Frame / 2);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(first, Rate, 1000) / 10000), -1.5, 1);
        Assert.True(CodecSignals.ResidualDb(first, Rate, 1000) < -20);
        var thirdFrame = concealed.AsSpan(Frame * 2, Frame);
        Assert.True(CodecSignals.Rms(thirdFrame) < CodecSignals.Rms(first) / 2);
        Assert.True(CodecSignals.Rms(concealed.AsSpan(Frame * 4, Frame)) < 10);

        // A good frame after the loss comes back at full level.
        encoder.Encode(input.AsSpan(0, Frame), payload);
        decoder.Decode(payload, pcm);
        decoder.Decode(payload, pcm);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(pcm, Rate, 1000) / 10000), -1, 1);
    }

    [Fact]
    public void ConcealmentAfterAShortLossBlendsBackWithoutAStep()
    {
        using var encoder = new G711AudioEncoder(AudioCodecKind.Pcmu);
        using var decoder = new G711AudioDecoder(AudioCodecKind.Pcmu);
        var input = CodecSignals.Sine(Rate, 1000, 10000, Frame * 8);
        var output = new short[input.Length];
        var payload = new byte[G711AudioEncoder.FrameBytes];
        for (var frame = 0; frame < 8; frame++)
        {
            encoder.Encode(input.AsSpan(frame * Frame, Frame), payload);
            var target = output.AsSpan(frame * Frame, Frame);
            Assert.Equal(Frame, frame == 5 ? decoder.Conceal(target) : decoder.Decode(payload, target));
        }

        // A 1 kHz tone of amplitude 10000 moves at most 1309 per 48 kHz sample; allow a little more, not a click.
        for (var i = (Frame * 4) + 1; i < Frame * 8; i++)
        {
            Assert.True(Math.Abs(output[i] - output[i - 1]) < 2000, $"step of {output[i] - output[i - 1]} at {i}");
        }
    }

    [Fact]
    public void ThereIsNoFec()
    {
        using var decoder = new G711AudioDecoder(AudioCodecKind.Pcma);
        Assert.False(decoder.TryDecodeFec(new byte[160], new short[Frame], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void EncoderRefusesWrongSizes()
    {
        using var encoder = new G711AudioEncoder(AudioCodecKind.Pcmu);
        Assert.Throws<ArgumentException>(() => encoder.Encode(new short[480], new byte[160]));
        Assert.Throws<ArgumentException>(() => encoder.Encode(new short[Frame], new byte[100]));
        Assert.Throws<ArgumentException>(() => new G711AudioEncoder(AudioCodecKind.Opus));
    }
}

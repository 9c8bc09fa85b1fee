using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Tests.Codecs;

/// <summary>Opus through our encoder and decoder: tones survive, bad packets are refused, losses are covered.</summary>
public sealed class OpusAudioCodecTests
{
    private const int Rate = MixerFormat.SampleRate;
    private const int Frame = MixerFormat.FrameSamples;

    /// <summary>Frames skipped before measuring: the encoder's delay and its rate control settle.</summary>
    private const int SettleFrames = 10;

    [Fact]
    public void LibOpusIsAvailableAndNamesItsVersion()
    {
        LibOpus.EnsureAvailable();
        Assert.StartsWith("libopus", LibOpus.Version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SineKeepsItsLevelAndNothingElseIsAdded(int channels)
    {
        var input = CodecSignals.Sine(Rate, 1000, 10000, Frame * 30);
        var output = RoundTrip(input, channels);

        for (var frame = SettleFrames; frame < 30; frame++)
        {
            var block = output.AsSpan(frame * Frame, Frame);
            var level = CodecSignals.Db(CodecSignals.Amplitude(block, Rate, 1000) / 10000);
            Assert.InRange(level, -1.5, 1.5);
            Assert.True(CodecSignals.ResidualDb(block, Rate, 1000) < -20, $"frame {frame}: residual {CodecSignals.ResidualDb(block, Rate, 1000):F1} dB");
        }
    }

    [Theory]
    [InlineData(OpusApplication.Audio)]
    [InlineData(OpusApplication.LowDelay)]
    public void TheOtherApplicationsKeepTheToneToo(OpusApplication application)
    {
        var input = CodecSignals.Sine(Rate, 1000, 10000, Frame * 30);
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, 5) with { Application = application, Fec = false });
        using var decoder = new OpusAudioDecoder(1);
        var output = RoundTrip(input, encoder, decoder);

        var block = output.AsSpan(SettleFrames * Frame, Frame * 10);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(block, Rate, 1000) / 10000), -1.5, 1.5);
        Assert.True(CodecSignals.ResidualDb(block, Rate, 1000) < -20);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TwoTonesKeepTheirLevels(int channels)
    {
        var input = CodecSignals.Tones(Rate, Frame * 30, (700, 6000), (1900, 4000));
        var output = RoundTrip(input, channels);

        var block = output.AsSpan(SettleFrames * Frame, Frame * 10);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(block, Rate, 700) / 6000), -2, 2);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(block, Rate, 1900) / 4000), -2, 2);

        // At 32 kbit/s libopus codes this in SILK (wideband) or hybrid mode; about -13 dB of coding noise is what it leaves.
        var residual = CodecSignals.ResidualDb(block, Rate, 700, 1900);
        Assert.True(residual < -10, $"residual {residual:F1} dB");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WaveformComesBackAfterTheEncoderLookahead(int channels)
    {
        // A sweep matches itself at one lag only, so the best lag is the codec's delay.
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(channels, 32000, 5));
        using var decoder = new OpusAudioDecoder(channels);
        var input = CodecSignals.Chirp(Rate, 300, 3000, 8000, Frame * 30);
        var output = RoundTrip(input, encoder, decoder);

        var correlation = CodecSignals.BestCorrelation(input, output, SettleFrames * Frame, Frame * 10, 1000, out var lag);
        Assert.True(correlation > 0.95, $"correlation {correlation:F3} at lag {lag}");

        // libopus 1.3.1 measures 309 samples against a reported lookahead of 312 (6.5 ms).
        Assert.InRange(lag, encoder.Lookahead - 4, encoder.Lookahead + 4);
    }

    [Theory]
    [InlineData(2880)]
    [InlineData(480)]
    [InlineData(5760)]
    public void LongerAndShorterPacketsDecodeToTheirLength(int frameSize)
    {
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, 5));
        using var decoder = new OpusAudioDecoder(1);
        var input = CodecSignals.Sine(Rate, 1000, 8000, frameSize);
        var packet = EncodeRaw(encoder, input, frameSize);
        var pcm = new short[OpusAudioDecoder.MaxPacketSamples];

        Assert.Equal(frameSize, decoder.Decode(packet, pcm));
        Assert.Equal(-1, decoder.Decode(packet, pcm.AsSpan(0, frameSize - 120)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("FFFF")] // code 3 with 63 frames of 20 ms: far over 120 ms.
    [InlineData("7B")] // code 3 without its frame-count byte.
    [InlineData("7900")] // code 1 (two equal frames) with an odd remainder: 1 byte cannot split in two.
    [InlineData("7A05")] // code 2 whose first frame claims 5 bytes of a 0-byte remainder.
    [InlineData("FB80")] // code 3 with zero frames.
    public void MalformedPacketsAreMinusOne(string hex)
    {
        using var decoder = new OpusAudioDecoder(1);
        Assert.Equal(-1, decoder.Decode(Convert.FromHexString(hex), new short[OpusAudioDecoder.MaxPacketSamples]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomBytesNeverThrow(int channels)
    {
        using var decoder = new OpusAudioDecoder(channels);
        var random = new Random(7);
        var payload = new byte[1500];
        var pcm = new short[Frame];
        for (var i = 0; i < 2000; i++)
        {
            var length = random.Next(0, payload.Length);
            random.NextBytes(payload.AsSpan(0, length));

            // Random bytes are often a well-formed packet of noise: either answer is fine, an exception is not.
            var decoded = decoder.Decode(payload.AsSpan(0, length), pcm);
            Assert.True(decoded == -1 || (decoded > 0 && decoded <= pcm.Length), $"{decoded} from {length} bytes");
        }
    }

    [Fact]
    public void ConcealmentFillsTheLengthAndFadesOut()
    {
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, 5));
        using var decoder = new OpusAudioDecoder(1);
        var input = CodecSignals.Sine(Rate, 1000, 10000, Frame * 20);
        RoundTrip(input, encoder, decoder);

        var concealed = new short[Frame * 10];
        for (var frame = 0; frame < 10; frame++)
        {
            Assert.Equal(Frame, decoder.Conceal(concealed.AsSpan(frame * Frame, Frame)));
        }

        // The first lost frame continues the tone; libopus fades a run of losses towards silence.
        var first = concealed.AsSpan(0, Frame);
        var last = concealed.AsSpan(Frame * 9, Frame);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(first, Rate, 1000) / 10000), -10, 1);
        Assert.True(CodecSignals.Rms(last) < CodecSignals.Rms(first) / 4, $"last {CodecSignals.Rms(last):F0}, first {CodecSignals.Rms(first):F0}");

        Assert.Equal(2880, decoder.Conceal(new short[2880]));
        Assert.Throws<ArgumentException>(() => decoder.Conceal(new short[100]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FecRebuildsTheLostFrameFromTheNextPacket(int channels)
    {
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(channels, 32000, 5));
        using var decoder = new OpusAudioDecoder(channels);
        var input = CodecSignals.Sine(Rate, 1000, 10000, Frame * 30);
        var packets = Encode(input, encoder);
        var pcm = new short[Frame];

        const int Lost = 20;
        for (var i = 0; i < Lost; i++)
        {
            Assert.Equal(Frame, decoder.Decode(packets[i], pcm));
        }

        Assert.True(OpusAudioDecoder.HasFec(packets[Lost + 1]));
        Assert.True(decoder.TryDecodeFec(packets[Lost + 1], pcm, out var written));
        Assert.Equal(Frame, written);
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(pcm, Rate, 1000) / 10000), -3, 3);
        Assert.True(CodecSignals.ResidualDb(pcm, Rate, 1000) < -10);

        Assert.Equal(Frame, decoder.Decode(packets[Lost + 1], pcm));
        Assert.InRange(CodecSignals.Db(CodecSignals.Amplitude(pcm, Rate, 1000) / 10000), -3, 3);
    }

    [Fact]
    public void WithoutFecThereIsNothingToRebuild()
    {
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, 5) with { Fec = false });
        using var decoder = new OpusAudioDecoder(1);
        var packets = Encode(CodecSignals.Sine(Rate, 1000, 10000, Frame * 10), encoder);

        Assert.All(packets, packet => Assert.False(OpusAudioDecoder.HasFec(packet)));
        Assert.False(decoder.TryDecodeFec(packets[^1], new short[Frame], out var written));
        Assert.Equal(0, written);
        Assert.False(decoder.TryDecodeFec([], new short[Frame], out _));
    }

    [Fact]
    public void DtxSendsTinyPacketsDuringSilence()
    {
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, 5) with { Dtx = true });
        var payload = new byte[1275];
        var silence = new short[Frame];
        var lengths = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            lengths.Add(encoder.Encode(silence, payload));
        }

        Assert.All(lengths, length => Assert.True(length > 0));
        Assert.Contains(lengths, length => length <= 2);
    }

    [Fact]
    public void BitrateAndComplexityChangeAtRunTime()
    {
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 64000, 10));
        var input = CodecSignals.Tones(Rate, Frame * 20, (700, 6000), (1900, 4000));
        var large = Encode(input, encoder).Skip(SettleFrames).Sum(packet => packet.Length);

        encoder.Bitrate = 12000;
        encoder.Complexity = 2;
        Assert.Equal(AudioCodecSettings.Opus(1, 12000, 2), encoder.Settings);
        var small = Encode(input, encoder).Skip(SettleFrames).Sum(packet => packet.Length);

        Assert.True(small < large / 3, $"{small} bytes at 12 kbit/s against {large} at 64 kbit/s");
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Complexity = 11);
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Bitrate = 100);
    }

    [Fact]
    public void WrongFrameLengthOrDisposedEncoderThrows()
    {
        var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, 5));
        Assert.Throws<ArgumentException>(() => encoder.Encode(new short[480], new byte[1275]));
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new short[Frame], new byte[1275]));
    }

    internal static List<byte[]> Encode(short[] input, IAudioEncoder encoder)
    {
        var packets = new List<byte[]>();
        var payload = new byte[1275];
        for (var offset = 0; offset + Frame <= input.Length; offset += Frame)
        {
            var length = encoder.Encode(input.AsSpan(offset, Frame), payload);
            packets.Add(payload[..length]);
        }

        return packets;
    }

    private static short[] RoundTrip(short[] input, int channels)
    {
        using var encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(channels, 32000, 5));
        using var decoder = new OpusAudioDecoder(channels);
        return RoundTrip(input, encoder, decoder);
    }

    private static short[] RoundTrip(short[] input, IAudioEncoder encoder, IAudioDecoder decoder)
    {
        var output = new short[input.Length];
        var offset = 0;
        foreach (var packet in Encode(input, encoder))
        {
            Assert.Equal(Frame, decoder.Decode(packet, output.AsSpan(offset, Frame)));
            offset += Frame;
        }

        return output;
    }

    /// <summary>A packet of any duration, straight from libopus on our encoder's state (our Encode takes 20 ms only).</summary>
    private static unsafe byte[] EncodeRaw(OpusAudioEncoder encoder, short[] input, int frameSize)
    {
        var payload = new byte[1275];
        int length;
        fixed (short* pcm = input)
        fixed (byte* data = payload)
        {
            length = LibOpusNative.Encode(encoder.Handle, pcm, frameSize, data, payload.Length);
        }

        Assert.True(length > 0, $"opus_encode: {length}");
        return payload[..length];
    }
}

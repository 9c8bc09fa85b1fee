using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>The decoder faces the network: bad data is reported, never thrown, and the stream may change size.</summary>
public sealed class Vp8DecoderTests
{
    private const int FrameTicks = Vp8Encoder.ClockRate / 30;

    [Fact]
    public void GarbageIsCorrupt()
    {
        using var decoder = new Vp8Decoder();
        var random = new Random(11);
        foreach (var length in new[] { 1, 2, 3, 9, 10, 64, 1000, 20000 })
        {
            var garbage = new byte[length];
            random.NextBytes(garbage);
            Assert.Equal(Vp8DecodeResult.Corrupt, decoder.Decode(garbage, out var picture));
            Assert.Null(picture);
        }

        Assert.Equal(Vp8DecodeResult.Corrupt, decoder.Decode([], out _));

        // A keyframe header that promises a 640x360 picture, followed by noise.
        var fake = new byte[3000];
        random.NextBytes(fake);
        fake[0] = 0x50; // P = 0 (key), version 0, show_frame = 1
        fake[1] = 0x20;
        fake[2] = 0x00;
        fake[3] = 0x9D;
        fake[4] = 0x01;
        fake[5] = 0x2A;
        fake[6] = 0x80;
        fake[7] = 0x02;
        fake[8] = 0x68;
        fake[9] = 0x01;
        Assert.Equal(Vp8DecodeResult.Corrupt, decoder.Decode(fake, out var noisePicture));
        Assert.Null(noisePicture);

        // Whatever came before, a real keyframe decodes.
        var stream = Encode(320, 180, 1);
        Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(stream[0], out var good));
        decoder.Release(good!);
    }

    [Fact]
    public void TruncatedFramesAreCorrupt()
    {
        var stream = Encode(640, 360, 3);
        using var decoder = new Vp8Decoder();
        foreach (var cut in new[] { 5, 20, stream[0].Length / 4, stream[0].Length / 2 })
        {
            Assert.Equal(Vp8DecodeResult.Corrupt, decoder.Decode(stream[0].AsSpan(0, cut), out var picture));
            Assert.Null(picture);
        }

        // A delta frame with no keyframe before it has nothing to predict from.
        using var fresh = new Vp8Decoder();
        Assert.Equal(Vp8DecodeResult.Corrupt, fresh.Decode(stream[1], out _));

        // A keyframe, then a truncated delta: the delta after it predicts from the broken
        // picture, so it is reported corrupt too rather than shown smeared.
        Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(stream[0], out var key));
        decoder.Release(key!);
        Assert.Equal(Vp8DecodeResult.Corrupt, decoder.Decode(stream[1].AsSpan(0, stream[1].Length / 2), out _));
        Assert.Equal(Vp8DecodeResult.Corrupt, decoder.Decode(stream[2], out var after));
        Assert.Null(after);

        // And the next keyframe heals it.
        Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(stream[0], out var healed));
        decoder.Release(healed!);
    }

    [Fact]
    public void ResolutionChangesMidStream()
    {
        var large = Encode(640, 360, 4);
        var small = Encode(320, 180, 4);
        using var decoder = new Vp8Decoder();
        foreach (var (stream, width, height) in new[] { (large, 640, 360), (small, 320, 180), (large, 640, 360) })
        {
            foreach (var frame in stream)
            {
                Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(frame, out var picture));
                Assert.Equal((width, height), (picture!.Width, picture.Height));
                Assert.Equal((width, height), (decoder.Width, decoder.Height));
                decoder.Release(picture);
            }
        }
    }

    [Fact]
    public void PicturesNotReleasedRunThePoolDryWithoutGrowingIt()
    {
        var stream = Encode(320, 180, 5);
        using var decoder = new Vp8Decoder(poolCapacity: 2);
        Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(stream[0], out var first));
        Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(stream[1], out var second));
        Assert.NotSame(first, second);
        Assert.Equal(Vp8DecodeResult.NoPicture, decoder.Decode(stream[2], out var none));
        Assert.Null(none);
        Assert.Equal(2, decoder.PicturesOutstanding);

        decoder.Release(first!);
        Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(stream[3], out var reused));
        Assert.Same(first, reused);
    }

    /// <summary>A keyframe then deltas of the moving pattern.</summary>
    internal static byte[][] Encode(int width, int height, int frames)
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(width, height, 30, 600) { AllowFrameDropping = false });
        var output = new byte[encoder.MaxFrameLength];
        var source = new I420Frame(width, height);
        var stream = new byte[frames][];
        for (var i = 0; i < frames; i++)
        {
            Vp8TestPattern.Draw(source, i);
            stream[i] = output.AsSpan(0, encoder.Encode(source, (long)i * FrameTicks, false, output, out _)).ToArray();
        }

        return stream;
    }
}

using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>Our VP8 encoder into our VP8 decoder: the picture survives, keyframes and bitrate obey.</summary>
public sealed class Vp8CodecTests
{
    private const int FrameTicks = Vp8Encoder.ClockRate / 30;

    [Theory]
    [InlineData(640, 360, 800)]
    [InlineData(1280, 720, 2000)]
    public void MovingPatternSurvivesTheRoundTrip(int width, int height, int kbps)
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(width, height, 30, kbps));
        using var decoder = new Vp8Decoder();
        var output = new byte[encoder.MaxFrameLength];
        var source = new I420Frame(width, height);
        var psnr = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            Vp8TestPattern.Draw(source, i);
            var length = encoder.Encode(source, (long)i * FrameTicks, false, output, out var keyframe);
            if (i == 0)
            {
                Assert.True(keyframe, "the first frame is a keyframe");
                Assert.Equal(0, output[0] & 1);
                Assert.True(MediaServer.Protocol.Payload.Vp8PayloadDescriptor.TryGetKeyFrameSize(output.AsSpan(0, length), out var w, out var h));
                Assert.Equal((width, height), (w, h));
            }

            if (length == 0)
            {
                continue;
            }

            Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(output.AsSpan(0, length), out var picture));
            Assert.Equal((width, height), (picture!.Width, picture.Height));
            psnr.Add(Vp8TestPattern.PsnrY(source, picture));
            decoder.Release(picture);
        }

        Assert.True(psnr.Count >= 25, $"only {psnr.Count} of 30 frames were encoded");
        Assert.True(psnr.Average() > 35, $"average PSNR {psnr.Average():F1} dB");
        Assert.True(psnr.Min() > 30, $"worst PSNR {psnr.Min():F1} dB");
        Assert.Equal(0, decoder.PicturesOutstanding);
    }

    [Fact]
    public void ForcedKeyframeIsAKeyframeAndOthersAreNot()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(320, 180, 30, 500));
        var output = new byte[encoder.MaxFrameLength];
        var source = new I420Frame(320, 180);
        for (var i = 0; i < 12; i++)
        {
            Vp8TestPattern.Draw(source, i);
            var length = encoder.Encode(source, (long)i * FrameTicks, forceKeyframe: i == 7, output, out var keyframe);
            Assert.True(length > 0);
            Assert.Equal(i is 0 or 7, keyframe);
            Assert.Equal(keyframe, (output[0] & 1) == 0);
        }
    }

    [Fact]
    public void LoweringTheBitrateShrinksTheFrames()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(640, 360, 30, 1500) { AllowFrameDropping = false });
        var output = new byte[encoder.MaxFrameLength];
        var source = new I420Frame(640, 360);
        var sizes = new int[60];
        for (var i = 0; i < sizes.Length; i++)
        {
            if (i == 30)
            {
                encoder.BitrateKbps = 200;
                Assert.Equal(200, encoder.Settings.BitrateKbps);
            }

            Vp8TestPattern.Draw(source, i);
            sizes[i] = encoder.Encode(source, (long)i * FrameTicks, false, output, out _);
        }

        // Skip each half's first frames, where the keyframe and the rate buffer settle.
        var high = sizes[10..30].Average();
        var low = sizes[40..60].Average();
        Assert.True(low < high * 0.5, $"{high:F0} bytes per frame at 1500 kbit/s, {low:F0} at 200 kbit/s");

        // And roughly on target: 200 kbit/s at 30 fps is 833 bytes a frame.
        Assert.InRange(low, 300, 1500);
    }

    [Fact]
    public void AFrameOfAnotherSizeOrATooShortOutputIsRefused()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(320, 180, 30, 500));
        Assert.Throws<ArgumentException>(() => encoder.Encode(new I420Frame(640, 360), 0, false, new byte[encoder.MaxFrameLength], out _));
        Assert.Throws<ArgumentException>(() => encoder.Encode(Vp8TestPattern.Create(320, 180, 0), 0, false, new byte[10], out _));
    }

    [Fact]
    public void OddSizesEncodeAndDecode()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(333, 185, 30, 500));
        using var decoder = new Vp8Decoder();
        var output = new byte[encoder.MaxFrameLength];
        var source = Vp8TestPattern.Create(333, 185, 3);
        var length = encoder.Encode(source, 0, false, output, out _);
        Assert.Equal(Vp8DecodeResult.Decoded, decoder.Decode(output.AsSpan(0, length), out var picture));
        Assert.Equal((333, 185), (picture!.Width, picture.Height));
        Assert.True(Vp8TestPattern.PsnrY(source, picture) > 28);
    }
}

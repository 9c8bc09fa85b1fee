using System.Runtime.InteropServices;
using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>
/// The libvpx structs we pass by pointer must match libvpx 1.12 byte for byte. Expected sizes
/// and offsets were printed by a C program (sizeof/offsetof) compiled with gcc against the
/// Debian libvpx-dev 1.12.0-1+deb12u5 headers on x86-64; the library itself then confirms the
/// layout by filling the structs (config defaults, vpx_img_wrap).
/// </summary>
public sealed unsafe class Vp8InteropLayoutTests
{
    [Fact]
    public void LibVpxIsAvailableAndNamesItsVersion()
    {
        LibVpx.EnsureAvailable();
        Assert.StartsWith("v1.", LibVpx.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void StructSizesMatchTheHeaders()
    {
        Assert.Equal(504, sizeof(VpxEncoderConfig));   // sizeof(vpx_codec_enc_cfg_t)
        Assert.Equal(136, sizeof(VpxImage));           // sizeof(vpx_image_t)
        Assert.Equal(136, sizeof(VpxEncodedPacket));   // sizeof(vpx_codec_cx_pkt_t)
        Assert.Equal(56, sizeof(VpxCodecContext));     // sizeof(vpx_codec_ctx_t)
        Assert.Equal(12, sizeof(VpxDecoderConfig));    // sizeof(vpx_codec_dec_cfg_t)
    }

    [Theory]
    [InlineData(nameof(VpxEncoderConfig.Threads), 4)]
    [InlineData(nameof(VpxEncoderConfig.Width), 12)]
    [InlineData(nameof(VpxEncoderConfig.TimebaseNumerator), 28)]
    [InlineData(nameof(VpxEncoderConfig.ErrorResilient), 36)]
    [InlineData(nameof(VpxEncoderConfig.LagInFrames), 44)]
    [InlineData(nameof(VpxEncoderConfig.EndUsage), 72)]
    [InlineData(nameof(VpxEncoderConfig.TwoPassStatsBuffer), 80)]
    [InlineData(nameof(VpxEncoderConfig.TargetBitrate), 112)]
    [InlineData(nameof(VpxEncoderConfig.MinQuantizer), 116)]
    [InlineData(nameof(VpxEncoderConfig.BufferSize), 132)]
    [InlineData(nameof(VpxEncoderConfig.KeyframeMode), 160)]
    [InlineData(nameof(VpxEncoderConfig.KeyframeMaxDistance), 168)]
    [InlineData(nameof(VpxEncoderConfig.SpatialLayerCount), 172)]
    [InlineData(nameof(VpxEncoderConfig.TemporalLayerCount), 216)]
    [InlineData(nameof(VpxEncoderConfig.LayerTargetBitrate), 328)]
    [InlineData(nameof(VpxEncoderConfig.TemporalLayeringMode), 376)]
    [InlineData(nameof(VpxEncoderConfig.UseVizierRateControlParams), 380)]
    [InlineData(nameof(VpxEncoderConfig.VizierFactors), 384)]
    public void EncoderConfigOffsetsMatchTheHeaders(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<VpxEncoderConfig>(field));

    [Theory]
    [InlineData(nameof(VpxImage.DisplayWidth), 24)]
    [InlineData(nameof(VpxImage.ChromaShiftX), 40)]
    [InlineData(nameof(VpxImage.PlaneY), 48)]
    [InlineData(nameof(VpxImage.Stride), 80)]
    [InlineData(nameof(VpxImage.BitsPerSample), 96)]
    [InlineData(nameof(VpxImage.UserPrivate), 104)]
    [InlineData(nameof(VpxImage.ImageData), 112)]
    [InlineData(nameof(VpxImage.FrameBufferPrivate), 128)]
    public void ImageOffsetsMatchTheHeaders(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<VpxImage>(field));

    [Theory]
    [InlineData(nameof(VpxEncodedPacket.FrameBuffer), 8)]
    [InlineData(nameof(VpxEncodedPacket.FrameSize), 16)]
    [InlineData(nameof(VpxEncodedPacket.FramePts), 24)]
    [InlineData(nameof(VpxEncodedPacket.FrameDuration), 32)]
    [InlineData(nameof(VpxEncodedPacket.FrameFlags), 40)]
    [InlineData(nameof(VpxEncodedPacket.FramePartitionId), 44)]
    [InlineData(nameof(VpxEncodedPacket.FrameWidth), 48)]
    [InlineData(nameof(VpxEncodedPacket.FrameSpatialLayerEncoded), 88)]
    public void EncodedPacketOffsetsMatchTheHeaders(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<VpxEncodedPacket>(field));

    [Fact]
    public void TheLibraryFillsTheEncoderConfigWhereWeReadIt()
    {
        LibVpx.EnsureAvailable();
        VpxEncoderConfig config = default;
        Assert.Equal(LibVpxNative.Ok, LibVpxNative.EncoderConfigDefault(LibVpxNative.Vp8EncoderInterface(), &config, 0));

        // libvpx 1.12's VP8 defaults (vp8_cx_iface.c), each read at a different offset.
        Assert.Equal(320u, config.Width);
        Assert.Equal(240u, config.Height);
        Assert.Equal(1, config.TimebaseNumerator);
        Assert.Equal(30, config.TimebaseDenominator);
        Assert.Equal(256u, config.TargetBitrate);
        Assert.Equal(4u, config.MinQuantizer);
        Assert.Equal(63u, config.MaxQuantizer);
        Assert.Equal(6000u, config.BufferSize);
        Assert.Equal(4000u, config.BufferInitialSize);
        Assert.Equal(5000u, config.BufferOptimalSize);
        Assert.Equal(1, config.KeyframeMode);
        Assert.Equal(128u, config.KeyframeMaxDistance);
    }

    [Fact]
    public void TheLibraryFillsTheImageWhereWeReadIt()
    {
        LibVpx.EnsureAvailable();
        var buffer = new byte[64 * 48 * 3 / 2];
        VpxImage image = default;
        fixed (byte* data = buffer)
        {
            Assert.True(LibVpxNative.ImageWrap(&image, LibVpxNative.ImageFormatI420, 64, 48, 1, data) == &image);
            Assert.Equal(LibVpxNative.ImageFormatI420, image.Format);
            Assert.Equal(64u, image.DisplayWidth);
            Assert.Equal(48u, image.DisplayHeight);
            Assert.Equal(8u, image.BitDepth);
            Assert.Equal(1u, image.ChromaShiftX);
            Assert.Equal(1u, image.ChromaShiftY);
            Assert.Equal(12, image.BitsPerSample);
            Assert.True(image.PlaneY == data);
            Assert.True(image.PlaneU == data + (64 * 48));
            Assert.True(image.PlaneV == data + (64 * 48) + (32 * 24));
            Assert.Equal(64, image.Stride[0]);
            Assert.Equal(32, image.Stride[1]);
            Assert.Equal(32, image.Stride[2]);
        }
    }
}

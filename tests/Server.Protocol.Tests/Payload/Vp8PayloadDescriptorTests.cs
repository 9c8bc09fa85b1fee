using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Payload;

public class Vp8PayloadDescriptorTests
{
    /// <summary>
    /// The simplest descriptor (RFC 7741 §4.2, X = 0): S = 1, PID = 0, then the first bytes of a
    /// 640x480 key frame (§4.3 payload header, RFC 6386 §9.1 start code and size).
    /// </summary>
    private static readonly byte[] KeyFrameStart = Hex.Parse("""
        10           // X=0 R=0 N=0 S=1 R=0 PID=0
        50 42 00     // frame tag: size0=2 H=1 (show) VER=0 P=0 (key frame) | size1 | size2
        9d 01 2a     // key frame start code
        80 02 e0 01  // width 640, height 480 (14 bits each, little-endian, scale 0)
        """);

    /// <summary>All extensions (RFC 7741 §4.2): 15-bit PictureID, TL0PICIDX, TID/Y/KEYIDX.</summary>
    private static readonly byte[] AllExtensions = Hex.Parse("""
        b0           // X=1 R=0 N=1 S=1 R=0 PID=0
        f0           // I=1 L=1 T=1 K=1 RSV=0
        92 34        // M=1, PictureID 0x1234
        05           // TL0PICIDX 5
        a3           // TID=2 Y=1 KEYIDX=3
        51           // VP8 payload: P=1, an inter frame
        """);

    /// <summary>7-bit PictureID (M = 0), continuation of partition 1.</summary>
    private static readonly byte[] ShortPictureId = Hex.Parse("""
        81           // X=1 S=0 PID=1
        80           // I=1
        2a           // M=0, PictureID 42
        """);

    [Fact]
    public void KeyFrameWithoutExtensions()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(KeyFrameStart, out var d));
        Assert.False(d.HasExtension);
        Assert.True(d.IsStartOfPartition);
        Assert.True(d.IsStartOfFrame);
        Assert.False(d.IsNonReference);
        Assert.Equal(0, d.PartitionIndex);
        Assert.False(d.HasPictureId);
        Assert.Equal(1, d.HeaderLength);

        var vp8 = KeyFrameStart.AsSpan(d.HeaderLength);
        Assert.True(Vp8PayloadDescriptor.IsKeyFrame(vp8));
        Assert.True(Vp8PayloadDescriptor.TryGetKeyFrameSize(vp8, out var width, out var height));
        Assert.Equal(640, width);
        Assert.Equal(480, height);
        Assert.False(Vp8PayloadDescriptor.TryGetKeyFrameSize(vp8[..9], out _, out _));

        Span<byte> written = stackalloc byte[8];
        Assert.True(Vp8PayloadDescriptor.TryWrite(written, true, 0, false, null, out var length));
        Assert.Equal("10", Hex.Format(written[..length]));
    }

    [Fact]
    public void AllExtensionFields()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(AllExtensions, out var d));
        Assert.True(d.HasExtension);
        Assert.True(d.IsNonReference);
        Assert.True(d.IsStartOfFrame);
        Assert.True(d.HasPictureId);
        Assert.True(d.IsPictureId15Bit);
        Assert.Equal(0x1234, d.PictureId);
        Assert.True(d.HasTl0PicIdx);
        Assert.Equal(5, d.Tl0PicIdx);
        Assert.True(d.HasTemporalLayerIndex);
        Assert.Equal(2, d.TemporalLayerIndex);
        Assert.True(d.LayerSync);
        Assert.True(d.HasKeyIndex);
        Assert.Equal(3, d.KeyIndex);
        Assert.Equal(6, d.HeaderLength);
        Assert.False(Vp8PayloadDescriptor.IsKeyFrame(AllExtensions.AsSpan(d.HeaderLength)));

        Span<byte> written = stackalloc byte[8];
        Assert.True(d.TryWrite(written, out var length));
        Assert.Equal(Hex.Format(AllExtensions.AsSpan(0, 6)), Hex.Format(written[..length]));
    }

    [Fact]
    public void SevenBitPictureId()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(ShortPictureId, out var d));
        Assert.False(d.IsStartOfPartition);
        Assert.False(d.IsStartOfFrame);
        Assert.Equal(1, d.PartitionIndex);
        Assert.True(d.HasPictureId);
        Assert.False(d.IsPictureId15Bit);
        Assert.Equal(42, d.PictureId);
        Assert.Equal(3, d.HeaderLength);

        Span<byte> written = stackalloc byte[8];
        Assert.True(d.TryWrite(written, out var length));
        Assert.Equal(Hex.Format(ShortPictureId), Hex.Format(written[..length]));
    }

    [Fact]
    public void ChromeStyleDescriptor()
    {
        Span<byte> written = stackalloc byte[8];
        Assert.True(Vp8PayloadDescriptor.TryWrite(written, true, 0, false, 0x1234, out var length));
        Assert.Equal("90809234", Hex.Format(written[..length]));
        Assert.False(Vp8PayloadDescriptor.TryWrite(written[..3], true, 0, false, 0x1234, out _));
    }

    [Fact]
    public void ExtensionByteWithNoFieldsStillCounts()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse([0x90, 0x00, 0x50], out var d));
        Assert.True(d.HasExtension);
        Assert.Equal(2, d.HeaderLength);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x90 })]
    [InlineData(new byte[] { 0x90, 0x80 })]
    [InlineData(new byte[] { 0x90, 0x80, 0x80 })]
    [InlineData(new byte[] { 0x90, 0x40 })]
    [InlineData(new byte[] { 0x90, 0x20 })]
    [InlineData(new byte[] { 0x90, 0xf0, 0x92, 0x34, 0x05 })]
    public void TruncatedDescriptorsAreRefused(byte[] payload)
    {
        Assert.False(Vp8PayloadDescriptor.TryParse(payload, out _));
    }

    [Fact]
    public void EveryTruncationOfTheLongestDescriptorIsRefused()
    {
        for (var length = 0; length < 6; length++)
        {
            Assert.False(Vp8PayloadDescriptor.TryParse(AllExtensions.AsSpan(0, length), out _));
        }
    }
}

using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Rtp;

public class RtpPacketTests
{
    [Fact]
    public void PlainHeader()
    {
        Assert.True(RtpPacket.TryParse(RtpVectors.Pcmu, out var rtp));
        Assert.False(rtp.Marker);
        Assert.Equal(0, rtp.PayloadType);
        Assert.Equal(12345, rtp.SequenceNumber);
        Assert.Equal(1000u, rtp.Timestamp);
        Assert.Equal(0x11223344u, rtp.Ssrc);
        Assert.Equal(0, rtp.CsrcCount);
        Assert.False(rtp.HasExtension);
        Assert.Equal(0, rtp.ExtensionProfile);
        Assert.True(rtp.ExtensionData.IsEmpty);
        Assert.Equal(12, rtp.HeaderLength);
        Assert.Equal(0, rtp.PaddingLength);
        Assert.Equal("ffffffff", Hex.Format(rtp.Payload));

        var written = new byte[16];
        Assert.True(RtpHeader.TryWrite(written, false, 0, 12345, 1000, 0x11223344, out var length));
        Assert.Equal(12, length);
        RtpVectors.Pcmu.AsSpan(12).CopyTo(written.AsSpan(12));
        Assert.Equal(Hex.Format(RtpVectors.Pcmu), Hex.Format(written));
    }

    [Fact]
    public void OneByteExtensions()
    {
        Assert.True(RtpPacket.TryParse(RtpVectors.OpusWithOneByteExtensions, out var rtp));
        Assert.Equal(111, rtp.PayloadType);
        Assert.Equal(0x1a2b, rtp.SequenceNumber);
        Assert.Equal(123456u, rtp.Timestamp);
        Assert.True(rtp.HasExtension);
        Assert.Equal(RtpPacket.OneByteExtensionProfile, rtp.ExtensionProfile);
        Assert.Equal(8, rtp.ExtensionData.Length);
        Assert.Equal(24, rtp.HeaderLength);

        Assert.True(rtp.TryGetExtension(1, out var level));
        Assert.Equal("aa", Hex.Format(level));
        Assert.True(rtp.TryGetExtension(3, out var sendTime));
        Assert.Equal("123456", Hex.Format(sendTime));
        Assert.False(rtp.TryGetExtension(2, out _));
        Assert.False(rtp.TryGetExtension(15, out _));
        Assert.False(rtp.TryGetExtension(0, out _));
        Assert.Equal("f8fffe", Hex.Format(rtp.Payload));
    }

    [Fact]
    public void CsrcsTwoByteExtensionAndPadding()
    {
        Assert.True(RtpPacket.TryParse(RtpVectors.VideoWithCsrcsTwoByteExtensionAndPadding, out var rtp));
        Assert.True(rtp.Marker);
        Assert.Equal(96, rtp.PayloadType);
        Assert.Equal(65534, rtp.SequenceNumber);
        Assert.Equal(0xdeadbeefu, rtp.Timestamp);
        Assert.Equal(0xcafebabeu, rtp.Ssrc);
        Assert.Equal(2, rtp.CsrcCount);
        Assert.Equal(1u, rtp.GetCsrc(0));
        Assert.Equal(2u, rtp.GetCsrc(1));
        Assert.Equal(0x1000, rtp.ExtensionProfile);
        Assert.True(rtp.TryGetExtension(5, out var value));
        Assert.Equal("abc"u8.ToArray(), value.ToArray());
        Assert.False(rtp.TryGetExtension(6, out _));
        Assert.Equal(32, rtp.HeaderLength);
        Assert.Equal(3, rtp.PaddingLength);
        Assert.Equal("1002009d", Hex.Format(rtp.Payload));
    }

    [Fact]
    public void HeaderRewritesInPlace()
    {
        var packet = (byte[])RtpVectors.VideoWithCsrcsTwoByteExtensionAndPadding.Clone();
        RtpHeader.SetSequenceNumber(packet, 7);
        RtpHeader.SetTimestamp(packet, 90000);
        RtpHeader.SetSsrc(packet, 0x01020304);
        RtpHeader.SetPayloadType(packet, 100);

        Assert.True(RtpPacket.TryParse(packet, out var rtp));
        Assert.Equal(7, rtp.SequenceNumber);
        Assert.Equal(90000u, rtp.Timestamp);
        Assert.Equal(0x01020304u, rtp.Ssrc);
        Assert.Equal(100, rtp.PayloadType);
        Assert.True(rtp.Marker);
        Assert.Equal("1002009d", Hex.Format(rtp.Payload));

        RtpHeader.SetMarker(packet, false);
        Assert.True(RtpPacket.TryParse(packet, out rtp));
        Assert.False(rtp.Marker);
        Assert.Equal(100, rtp.PayloadType);
    }

    public static TheoryData<int> VectorIndexes => new() { 0, 1, 2 };

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void TruncationInsideTheHeaderIsRefused(int index)
    {
        var vector = RtpVectors.All[index];
        Assert.True(RtpPacket.TryParse(vector, out var whole));
        var headerLength = whole.HeaderLength;
        for (var length = 0; length < vector.Length; length++)
        {
            var parsed = RtpPacket.TryParse(vector.AsSpan(0, length), out var rtp);
            if (length < headerLength)
            {
                Assert.False(parsed, $"length {length}");
            }
            else if (parsed)
            {
                Assert.True(rtp.HeaderLength + rtp.PaddingLength <= length);
            }
        }
    }

    [Theory]
    [InlineData("40 00 00 00 00 00 00 00 00 00 00 00")] // version 1
    [InlineData("c0 00 00 00 00 00 00 00 00 00 00 00")] // version 3
    [InlineData("81 00 00 00 00 00 00 00 00 00 00 00")] // CC=1 with no CSRC
    [InlineData("90 00 00 00 00 00 00 00 00 00 00 00 be de 00 01")] // extension length past the end
    [InlineData("a0 00 00 00 00 00 00 00 00 00 00 00 00")] // padding count 0
    [InlineData("a0 00 00 00 00 00 00 00 00 00 00 00 01 02 04")] // padding count larger than the payload
    public void RefusesMalformedHeaders(string hex)
    {
        Assert.False(RtpPacket.TryParse(Hex.Parse(hex), out _));
    }

    [Fact]
    public void OneByteElementsStopAtIdFifteenAndSkipPadding()
    {
        var packet = Hex.Parse("""
            90 00 00 01  // X=1
            00 00 00 00  // timestamp
            00 00 00 00  // SSRC
            be de 00 02  // one-byte profile, 2 words
            00 00 20 01  // two padding bytes, ID 2 L=0: 0x01
            f0 40 99 00  // ID 15 stops parsing: the ID 4 after it is not seen
            """);
        Assert.True(RtpPacket.TryParse(packet, out var rtp));
        Assert.True(rtp.TryGetExtension(2, out var value));
        Assert.Equal("01", Hex.Format(value));
        Assert.False(rtp.TryGetExtension(4, out _));
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(0, 1, false)]
    [InlineData(0, 65535, true)]
    [InlineData(65535, 0, false)]
    [InlineData(32767, 0, true)]
    [InlineData(32768, 0, false)]
    [InlineData(0, 32768, false)]
    [InlineData(5, 5, false)]
    public void SequenceNewerAcrossWraparound(int a, int b, bool newer)
    {
        Assert.Equal(newer, RtpSequence.IsNewer((ushort)a, (ushort)b));
    }

    [Theory]
    [InlineData(2, 65535, 3)]
    [InlineData(65535, 2, -3)]
    [InlineData(100, 100, 0)]
    [InlineData(32767, 0, 32767)]
    [InlineData(32768, 0, -32768)]
    public void SequenceDifference(int a, int b, int difference)
    {
        Assert.Equal(difference, RtpSequence.Difference((ushort)a, (ushort)b));
    }
}

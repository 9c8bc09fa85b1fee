using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Tests.Stun;

namespace MediaServer.Protocol.Tests.Rtp;

public class PacketClassifierTests
{
    [Fact]
    public void KnownPackets()
    {
        Assert.Equal(PacketKind.Stun, PacketClassifier.Classify(StunVectors.SampleRequest));
        Assert.Equal(PacketKind.Rtp, PacketClassifier.Classify(RtpVectors.OpusWithOneByteExtensions));
        Assert.Equal(PacketKind.Rtp, PacketClassifier.Classify(RtpVectors.VideoWithCsrcsTwoByteExtensionAndPadding));
        Assert.Equal(PacketKind.Rtcp, PacketClassifier.Classify(Rtcp.RtcpVectors.SenderReportWithOneBlock));
        Assert.Equal(PacketKind.Rtcp, PacketClassifier.Classify(Rtcp.RtcpVectors.PictureLossIndication));
        Assert.True(PacketClassifier.IsStun(StunVectors.Ipv4Response));
        Assert.True(PacketClassifier.IsRtp(RtpVectors.Pcmu));
        Assert.True(PacketClassifier.IsRtcp(Rtcp.RtcpVectors.Goodbye));
    }

    [Theory]
    [InlineData(0, 20, PacketKind.Stun)]
    [InlineData(3, 20, PacketKind.Stun)]
    [InlineData(3, 19, PacketKind.Unknown)]
    [InlineData(4, 100, PacketKind.Unknown)]
    [InlineData(15, 100, PacketKind.Unknown)]
    [InlineData(16, 12, PacketKind.Zrtp)]
    [InlineData(19, 100, PacketKind.Zrtp)]
    [InlineData(20, 13, PacketKind.Dtls)]
    [InlineData(22, 12, PacketKind.Unknown)]
    [InlineData(63, 100, PacketKind.Dtls)]
    [InlineData(64, 4, PacketKind.TurnChannel)]
    [InlineData(79, 3, PacketKind.Unknown)]
    [InlineData(80, 100, PacketKind.Unknown)]
    [InlineData(127, 100, PacketKind.Unknown)]
    [InlineData(128, 12, PacketKind.Rtp)]
    [InlineData(128, 11, PacketKind.Unknown)]
    [InlineData(191, 100, PacketKind.Rtp)]
    [InlineData(192, 100, PacketKind.Unknown)]
    [InlineData(255, 100, PacketKind.Unknown)]
    public void FirstByteRanges(int first, int length, PacketKind kind)
    {
        var packet = new byte[length];
        packet[0] = (byte)first;
        packet[1] = 96;
        Assert.Equal(kind, PacketClassifier.Classify(packet));
    }

    [Theory]
    [InlineData(191, 8, PacketKind.Unknown)] // RTP marker + PT 63: RTP but too short
    [InlineData(192, 8, PacketKind.Rtcp)]
    [InlineData(RtcpPacketType.SenderReport, 8, PacketKind.Rtcp)]
    [InlineData(RtcpPacketType.PayloadFeedback, 7, PacketKind.Unknown)]
    [InlineData(223, 8, PacketKind.Rtcp)]
    [InlineData(224, 12, PacketKind.Rtp)] // marker + PT 96
    public void SecondByteSplitsRtpFromRtcp(int second, int length, PacketKind kind)
    {
        var packet = new byte[length];
        packet[0] = 0x80;
        packet[1] = (byte)second;
        Assert.Equal(kind, PacketClassifier.Classify(packet));
    }

    [Fact]
    public void EmptyAndOneByte()
    {
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([]));
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([0x80]));
    }
}

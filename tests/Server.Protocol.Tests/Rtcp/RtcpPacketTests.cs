using System.Text;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Rtcp;

public class RtcpPacketTests
{
    private static readonly RtcpReportBlock SampleBlock = new(0x9abcdef0, 10, -2, 0x0001002a, 48, 0x2a388000, 0x00018000);

    private static RtcpPacket Single(byte[] vector)
    {
        var reader = new RtcpCompoundReader(vector);
        Assert.True(reader.TryReadNext(out var packet));
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);
        return packet;
    }

    [Fact]
    public void SenderReportWithOneBlock()
    {
        var packet = Single(RtcpVectors.SenderReportWithOneBlock);
        Assert.Equal(RtcpPacketType.SenderReport, packet.PacketType);
        Assert.Equal(1, packet.Count);
        Assert.False(packet.Padding);
        Assert.Equal(48, packet.Body.Length);

        Assert.True(RtcpSenderReport.TryParse(packet, out var sr));
        Assert.Equal(0x12345678u, sr.Ssrc);
        Assert.Equal(0xe86c2a3880000000ul, sr.NtpTimestamp);
        Assert.Equal(123456u, sr.RtpTimestamp);
        Assert.Equal(1000u, sr.PacketCount);
        Assert.Equal(160000u, sr.OctetCount);
        Assert.Equal(1, sr.ReportCount);
        Assert.True(sr.ProfileExtension.IsEmpty);
        var block = sr.GetReport(0);
        Assert.Equal(SampleBlock, block);
        Assert.Equal(-2, block.CumulativeLost);
        Assert.Equal(10, block.FractionLost);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadReport(RtcpVectors.SenderReportWithOneBlock, 1));
        Assert.False(RtcpReceiverReport.TryParse(packet, out _));

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteSenderReport(0x12345678, 0xe86c2a3880000000, 123456, 1000, 160000, [SampleBlock]));
        Assert.Equal(Hex.Format(RtcpVectors.SenderReportWithOneBlock), Hex.Format(writer.Written));
    }

    private static RtcpReportBlock ReadReport(byte[] vector, int index)
    {
        RtcpPacket.TryRead(vector, out var packet);
        RtcpSenderReport.TryParse(packet, out var sr);
        return sr.GetReport(index);
    }

    [Fact]
    public void CompoundSenderReportAndSdes()
    {
        var reader = new RtcpCompoundReader(RtcpVectors.SenderReportAndSdes);
        Assert.True(reader.TryReadNext(out var first));
        Assert.True(RtcpSenderReport.TryParse(first, out var sr));
        Assert.Equal(0, sr.ReportCount);
        Assert.Equal(10u, sr.PacketCount);
        Assert.Equal(1600u, sr.OctetCount);

        Assert.True(reader.TryReadNext(out var second));
        Assert.True(RtcpSourceDescription.TryParse(second, out var sdes));
        Assert.Equal(1, sdes.ChunkCount);
        Assert.True(sdes.TryGetCname(out var ssrc, out var cname));
        Assert.Equal(0x12345678u, ssrc);
        Assert.Equal("abcdefghijklmnop", Encoding.ASCII.GetString(cname));
        var items = 0;
        foreach (var item in sdes.GetItems())
        {
            Assert.Equal(RtcpSdesItemType.Cname, item.Type);
            items++;
        }

        Assert.Equal(1, items);
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteSenderReport(0x12345678, 0xe86c2a3880000000, 123456, 10, 1600, []));
        Assert.True(writer.TryWriteSdesCname(0x12345678, "abcdefghijklmnop"u8));
        Assert.Equal(Hex.Format(RtcpVectors.SenderReportAndSdes), Hex.Format(writer.Written));
    }

    [Fact]
    public void ReceiverReport()
    {
        var packet = Single(RtcpVectors.ReceiverReport);
        Assert.True(RtcpReceiverReport.TryParse(packet, out var rr));
        Assert.Equal(0x9abcdef0u, rr.Ssrc);
        Assert.Equal(1, rr.ReportCount);
        var block = rr.GetReport(0);
        Assert.Equal(0x12345678u, block.Ssrc);
        Assert.Equal(5000u, block.ExtendedHighestSequence);
        Assert.Equal(5u, block.Jitter);
        Assert.False(RtcpSenderReport.TryParse(packet, out _));

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteReceiverReport(0x9abcdef0, [new RtcpReportBlock(0x12345678, 0, 0, 5000, 5, 0, 0)]));
        Assert.Equal(Hex.Format(RtcpVectors.ReceiverReport), Hex.Format(writer.Written));
    }

    [Fact]
    public void GoodbyeWithReason()
    {
        var packet = Single(RtcpVectors.Goodbye);
        Assert.True(RtcpGoodbye.TryParse(packet, out var bye));
        Assert.Equal(1, bye.SourceCount);
        Assert.Equal(0x12345678u, bye.GetSsrc(0));
        Assert.Equal("closed", Encoding.ASCII.GetString(bye.Reason));

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteBye(0x12345678, "closed"u8));
        Assert.Equal(Hex.Format(RtcpVectors.Goodbye), Hex.Format(writer.Written));
    }

    [Fact]
    public void GoodbyeWithoutReason()
    {
        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteBye(7, default));
        Assert.Equal("81cb000100000007", Hex.Format(writer.Written));
        Assert.True(RtcpPacket.TryRead(writer.Written, out var packet));
        Assert.True(RtcpGoodbye.TryParse(packet, out var bye));
        Assert.True(bye.Reason.IsEmpty);
        Assert.Equal(7u, bye.GetSsrc(0));
    }

    [Fact]
    public void PictureLossIndication()
    {
        var packet = Single(RtcpVectors.PictureLossIndication);
        Assert.True(RtcpFeedback.TryParse(packet, out var fb));
        Assert.Equal(RtcpPacketType.PayloadFeedback, fb.PacketType);
        Assert.Equal(1, fb.Format);
        Assert.Equal(0x12345678u, fb.SenderSsrc);
        Assert.Equal(0x9abcdef0u, fb.MediaSsrc);
        Assert.True(fb.Fci.IsEmpty);
        Assert.True(fb.IsPictureLossIndication);
        Assert.False(fb.IsFullIntraRequest);
        Assert.False(fb.IsGenericNack);
        Assert.False(fb.IsRemb);

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWritePictureLossIndication(0x12345678, 0x9abcdef0));
        Assert.Equal(Hex.Format(RtcpVectors.PictureLossIndication), Hex.Format(writer.Written));
    }

    [Fact]
    public void FullIntraRequest()
    {
        var packet = Single(RtcpVectors.FullIntraRequest);
        Assert.True(RtcpFeedback.TryParse(packet, out var fb));
        Assert.True(fb.IsFullIntraRequest);
        Assert.False(fb.IsPictureLossIndication);
        Assert.Equal(0u, fb.MediaSsrc);
        var entries = new List<RtcpFirEntry>();
        foreach (var entry in fb.GetFullIntraRequests())
        {
            entries.Add(entry);
        }

        Assert.Equal([new RtcpFirEntry(0x9abcdef0, 5)], entries);

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteFullIntraRequest(0x12345678, 0x9abcdef0, 5));
        Assert.Equal(Hex.Format(RtcpVectors.FullIntraRequest), Hex.Format(writer.Written));
    }

    [Fact]
    public void GenericNack()
    {
        var packet = Single(RtcpVectors.GenericNack);
        Assert.True(RtcpFeedback.TryParse(packet, out var fb));
        Assert.True(fb.IsGenericNack);
        Assert.Equal(RtcpPacketType.TransportFeedback, fb.PacketType);
        var lost = new List<ushort>();
        foreach (var sequence in fb.GetLostSequenceNumbers())
        {
            lost.Add(sequence);
        }

        Assert.Equal(RtcpVectors.GenericNackLost, lost);

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteGenericNack(0x12345678, 0x9abcdef0, RtcpVectors.GenericNackLost));
        Assert.Equal(Hex.Format(RtcpVectors.GenericNack), Hex.Format(writer.Written));
    }

    [Fact]
    public void GenericNackDropsRepeatsAndRefusesEmpty()
    {
        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.False(writer.TryWriteGenericNack(1, 2, []));
        Assert.Equal(0, writer.Length);
        Assert.True(writer.TryWriteGenericNack(1, 2, [10, 10, 11, 10]));
        Assert.Equal("81cd00030000000100000002000a0001", Hex.Format(writer.Written));
    }

    [Fact]
    public void Remb()
    {
        var packet = Single(RtcpVectors.Remb);
        Assert.True(RtcpFeedback.TryParse(packet, out var fb));
        Assert.True(fb.IsRemb);
        Assert.Equal(15, fb.Format);
        Assert.True(fb.TryGetRemb(out var bitrate, out var count));
        Assert.Equal(1_000_000ul, bitrate);
        Assert.Equal(1, count);
        Assert.Equal(0x9abcdef0u, fb.GetRembSsrc(0));

        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteRemb(0x12345678, 1_000_000, [0x9abcdef0]));
        Assert.Equal(Hex.Format(RtcpVectors.Remb), Hex.Format(writer.Written));
    }

    [Fact]
    public void RembSaturatesOverlargeBitrates()
    {
        var buffer = new byte[100];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWriteRemb(1, ulong.MaxValue, []));
        Assert.True(RtcpPacket.TryRead(writer.Written, out var packet));
        Assert.True(RtcpFeedback.TryParse(packet, out var fb));
        Assert.True(fb.TryGetRemb(out var bitrate, out _));
        Assert.True(bitrate > ulong.MaxValue / 2);

        // Exponent 63 with a full mantissa does not fit in 64 bits.
        var forged = (byte[])RtcpVectors.Remb.Clone();
        forged[17] = 0xff;
        forged[18] = 0xff;
        forged[19] = 0xff;
        Assert.True(RtcpPacket.TryRead(forged, out packet));
        Assert.True(RtcpFeedback.TryParse(packet, out fb));
        Assert.True(fb.TryGetRemb(out bitrate, out _));
        Assert.Equal(ulong.MaxValue, bitrate);
    }

    [Fact]
    public void PaddingOnTheLastPacket()
    {
        var reader = new RtcpCompoundReader(RtcpVectors.ReceiverReportAndPaddedSdes);
        Assert.True(reader.TryReadNext(out var rr));
        Assert.True(RtcpReceiverReport.TryParse(rr, out var report));
        Assert.Equal(0, report.ReportCount);
        Assert.True(reader.TryReadNext(out var sdesPacket));
        Assert.True(sdesPacket.Padding);
        Assert.Equal(12, sdesPacket.Body.Length);
        Assert.True(RtcpSourceDescription.TryParse(sdesPacket, out var sdes));
        Assert.True(sdes.TryGetCname(out _, out var cname));
        Assert.Equal("hi", Encoding.ASCII.GetString(cname));
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);
    }

    public static TheoryData<int> VectorIndexes => new() { 0, 1, 2, 3, 4, 5, 6, 7, 8 };

    /// <summary>A cut compound yields the whole packets before the cut and then reports malformed.</summary>
    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void EveryTruncationIsNoticed(int index)
    {
        var vector = RtcpVectors.All[index];
        var boundaries = new HashSet<int> { 0 };
        var whole = new RtcpCompoundReader(vector);
        var end = 0;
        while (whole.TryReadNext(out var packet))
        {
            end += packet.Packet.Length;
            boundaries.Add(end);
        }

        Assert.Equal(vector.Length, end);
        for (var length = 0; length < vector.Length; length++)
        {
            var reader = new RtcpCompoundReader(vector.AsSpan(0, length));
            var read = 0;
            while (reader.TryReadNext(out var packet))
            {
                read += packet.Packet.Length;
            }

            Assert.Equal(!boundaries.Contains(length), reader.IsMalformed);
            Assert.True(read <= length);
        }
    }

    [Theory]
    [InlineData("41 c8 00 00")] // version 1
    [InlineData("80 c8 00 01 00 00 00")] // length past the end
    [InlineData("a0 c9 00 01 00 00 00 00")] // padding count 0
    [InlineData("a0 c9 00 01 00 00 00 09")] // padding count larger than the packet body
    [InlineData("80")] // shorter than a header
    public void MalformedPacketsStopTheReader(string hex)
    {
        var reader = new RtcpCompoundReader(Hex.Parse(hex));
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.IsMalformed);
    }

    [Theory]
    [InlineData("81 c8 00 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")] // SR claims a block it lacks
    [InlineData("82 c9 00 07 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")] // RR claims two blocks, has one
    [InlineData("81 ca 00 02 00 00 00 01 01 04 61 62")] // SDES item runs past the end
    [InlineData("81 ca 00 02 00 00 00 01 01 02 61 62")] // SDES item list not terminated
    [InlineData("82 ca 00 02 00 00 00 01 00 00 00 00")] // SDES claims two chunks, has one
    [InlineData("82 cb 00 01 00 00 00 01")] // BYE claims two SSRCs
    [InlineData("81 cb 00 02 00 00 00 01 09 61 62 63")] // BYE reason longer than the packet
    [InlineData("81 ce 00 01 00 00 00 01")] // feedback without the media SSRC
    public void TypedParsersRefuseShortBodies(string hex)
    {
        Assert.True(RtcpPacket.TryRead(Hex.Parse(hex), out var packet));
        Assert.False(RtcpSenderReport.TryParse(packet, out _));
        Assert.False(RtcpReceiverReport.TryParse(packet, out _));
        Assert.False(RtcpSourceDescription.TryParse(packet, out _));
        Assert.False(RtcpGoodbye.TryParse(packet, out _));
        Assert.False(RtcpFeedback.TryParse(packet, out _));
    }

    [Fact]
    public void WriterReturnsFalseWhenFull()
    {
        var buffer = new byte[20];
        var writer = new RtcpWriter(buffer);
        Assert.True(writer.TryWritePictureLossIndication(1, 2));
        Assert.False(writer.TryWritePictureLossIndication(1, 2));
        Assert.False(writer.TryWriteSenderReport(1, 0, 0, 0, 0, []));
        Assert.False(writer.TryWriteSdesCname(1, new byte[256]));
        Assert.Equal(12, writer.Length);
        Assert.Equal(0, buffer[12]);
    }

    [Fact]
    public void CumulativeLossIsClampedTo24Bits()
    {
        Assert.Equal(RtcpReportBlock.MaxCumulativeLost, new RtcpReportBlock(0, 0, int.MaxValue, 0, 0, 0, 0).CumulativeLost);
        Assert.Equal(RtcpReportBlock.MinCumulativeLost, new RtcpReportBlock(0, 0, int.MinValue, 0, 0, 0, 0).CumulativeLost);
    }
}

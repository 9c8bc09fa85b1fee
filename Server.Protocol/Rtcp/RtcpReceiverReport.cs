using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// A receiver report (RFC 3550 §6.4.2):
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    RC   |   PT=RR=201   |             length            |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                     SSRC of packet sender                     |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///        |                 report blocks (RC x 24 bytes)                 |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///        |                  profile-specific extensions                  |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Borrows the packet's buffer: valid only while that buffer is unchanged.
/// </summary>
public readonly ref struct RtcpReceiverReport
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpReceiverReport(ReadOnlySpan<byte> body, int reportCount)
    {
        _body = body;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_body);

    public int ReportCount { get; }

    public ReadOnlySpan<byte> ProfileExtension => _body[(4 + (ReportCount * RtcpReportBlock.Size))..];

    /// <summary>False unless PT is 201 and the body holds the SSRC and RC report blocks.</summary>
    public static bool TryParse(RtcpPacket packet, out RtcpReceiverReport rr)
    {
        rr = default;
        var body = packet.Body;
        if (packet.PacketType != RtcpPacketType.ReceiverReport
            || body.Length < 4 + (packet.Count * RtcpReportBlock.Size))
        {
            return false;
        }

        rr = new RtcpReceiverReport(body, packet.Count);
        return true;
    }

    /// <summary>Report block <paramref name="index"/> (0 to <see cref="ReportCount"/> - 1; outside that throws).</summary>
    public RtcpReportBlock GetReport(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportCount);
        return RtcpReportBlock.Read(_body.Slice(4 + (index * RtcpReportBlock.Size), RtcpReportBlock.Size));
    }
}

using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// A BYE packet (RFC 3550 §6.6):
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |V=2|P|    SC   |   PT=BYE=203  |             length            |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                           SSRC/CSRC                           |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       :                              ...                              :
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// (opt) |     length    |               reason for leaving            ...
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Borrows the packet's buffer: valid only while that buffer is unchanged.
/// </summary>
public readonly ref struct RtcpGoodbye
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpGoodbye(ReadOnlySpan<byte> body, int sourceCount, ReadOnlySpan<byte> reason)
    {
        _body = body;
        SourceCount = sourceCount;
        Reason = reason;
    }

    public int SourceCount { get; }

    /// <summary>UTF-8 reason for leaving; empty when there is none.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    /// <summary>False unless PT is 203, SC SSRCs fit, and a reason (if any) fits its length octet.</summary>
    public static bool TryParse(RtcpPacket packet, out RtcpGoodbye bye)
    {
        bye = default;
        var body = packet.Body;
        var ssrcBytes = 4 * packet.Count;
        if (packet.PacketType != RtcpPacketType.Goodbye || body.Length < ssrcBytes)
        {
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        var rest = body[ssrcBytes..];
        if (!rest.IsEmpty)
        {
            if (rest.Length - 1 < rest[0])
            {
                return false;
            }

            reason = rest.Slice(1, rest[0]);
        }

        bye = new RtcpGoodbye(body, packet.Count, reason);
        return true;
    }

    /// <summary>The SSRC or CSRC at <paramref name="index"/> (0 to <see cref="SourceCount"/> - 1; outside that throws).</summary>
    public uint GetSsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SourceCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_body[(4 * index)..]);
    }
}

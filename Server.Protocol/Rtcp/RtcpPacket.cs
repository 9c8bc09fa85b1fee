using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// One RTCP packet out of a compound packet (RFC 3550 §6.4, §6.1):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| RC/SC/FMT |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    body: (length) 32-bit words               ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              ...    |  padding  | pad count |   (P = 1)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// length is the packet's size in 32-bit words minus one, header and padding included. The
/// view borrows the caller's buffer and is valid only while that buffer is unchanged.
/// </summary>
public readonly ref struct RtcpPacket
{
    public const int HeaderLength = 4;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _paddingLength;

    private RtcpPacket(ReadOnlySpan<byte> packet, int paddingLength)
    {
        _packet = packet;
        _paddingLength = paddingLength;
    }

    public byte PacketType => _packet[1];

    /// <summary>The header's low 5 bits: report count (SR, RR), source count (SDES, BYE) or FMT (feedback).</summary>
    public int Count => _packet[0] & 0x1F;

    public bool Padding => (_packet[0] & 0x20) != 0;

    /// <summary>The whole packet, header and padding included.</summary>
    public ReadOnlySpan<byte> Packet => _packet;

    /// <summary>After the 4-byte header, without padding.</summary>
    public ReadOnlySpan<byte> Body => _packet[HeaderLength..(_packet.Length - _paddingLength)];

    /// <summary>
    /// Reads the packet at the start of <paramref name="data"/>: version 2, its length fits, and
    /// with P set the pad count is at least 1 and leaves the header whole. Whatever follows the
    /// packet is not looked at; <see cref="Packet"/>'s length is how much was consumed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpPacket packet)
    {
        packet = default;
        if (data.Length < HeaderLength || data[0] >> 6 != 2)
        {
            return false;
        }

        var size = (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 1) * 4;
        if (data.Length < size)
        {
            return false;
        }

        var whole = data[..size];
        var padding = 0;
        if ((data[0] & 0x20) != 0)
        {
            padding = whole[^1];
            if (padding == 0 || padding > size - HeaderLength)
            {
                return false;
            }
        }

        packet = new RtcpPacket(whole, padding);
        return true;
    }
}

using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtp;

/// <summary>
/// A parsed view of one RTP packet (RFC 3550 §5.1, §5.3.1) with RFC 8285 header extensions.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |   (X = 1, §5.3.1;
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+    length in 32-bit
/// |                        header extension                       |    words)
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            payload  ....    | padding | count |   (P = 1: the last
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+    byte counts itself)
///
/// RFC 8285 §4.2 one-byte elements (profile 0xBEDE), ID 1-14, L = length - 1:
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |  ID   |  L    |  data (L+1 bytes) ...   ID 0 is a padding byte, ID 15 stops parsing
/// +-+-+-+-+-+-+-+-+
/// RFC 8285 §4.3 two-byte elements (profile 0x100 + 4 app bits), ID 1-255:
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       ID      |     length    |  data (length bytes) ...   ID 0 is a padding byte
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The view borrows the caller's buffer and is valid only while that buffer is unchanged
/// (in place rewrites through <see cref="RtpHeader"/> are seen by properties that read the
/// header, but not by <see cref="Payload"/> bounds if the packet is resized). Reading
/// allocates nothing and never throws on any input.
/// </summary>
public readonly ref struct RtpPacket
{
    public const int FixedHeaderLength = 12;
    public const byte Version = 2;

    /// <summary>RFC 8285 §4.2: profile value of the one-byte header extension form.</summary>
    public const ushort OneByteExtensionProfile = 0xBEDE;

    /// <summary>RFC 8285 §4.3: the two-byte form's profile is 0x100 followed by 4 application bits.</summary>
    public const ushort TwoByteExtensionProfile = 0x1000;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _headerLength;
    private readonly int _paddingLength;

    private RtpPacket(ReadOnlySpan<byte> packet, int headerLength, int paddingLength)
    {
        _packet = packet;
        _headerLength = headerLength;
        _paddingLength = paddingLength;
    }

    public bool Marker => (_packet[1] & 0x80) != 0;

    public byte PayloadType => (byte)(_packet[1] & 0x7F);

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_packet[2..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_packet[4..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_packet[8..]);

    public int CsrcCount => _packet[0] & 0x0F;

    public bool HasPadding => (_packet[0] & 0x20) != 0;

    public bool HasExtension => (_packet[0] & 0x10) != 0;

    /// <summary>The 16-bit "defined by profile" field of the extension header, or 0 without one.</summary>
    public ushort ExtensionProfile => HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_packet[ExtensionOffset..]) : (ushort)0;

    /// <summary>The extension's body after its 4-byte header (a multiple of 4 bytes), or empty.</summary>
    public ReadOnlySpan<byte> ExtensionData =>
        HasExtension ? _packet[(ExtensionOffset + 4).._headerLength] : default;

    /// <summary>Fixed header, CSRCs and extension: where the payload starts.</summary>
    public int HeaderLength => _headerLength;

    /// <summary>Padding bytes at the end, including the count byte; 0 when P is clear.</summary>
    public int PaddingLength => _paddingLength;

    /// <summary>The payload without header and padding.</summary>
    public ReadOnlySpan<byte> Payload => _packet[_headerLength..(_packet.Length - _paddingLength)];

    /// <summary>The whole packet that was parsed.</summary>
    public ReadOnlySpan<byte> Packet => _packet;

    private int ExtensionOffset => FixedHeaderLength + (4 * CsrcCount);

    /// <summary>
    /// Validates version 2, that CSRCs and the extension fit, and that the padding count is at
    /// least 1 and no larger than what follows the header. False on anything else.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpPacket rtp)
    {
        rtp = default;
        if (packet.Length < FixedHeaderLength || packet[0] >> 6 != Version)
        {
            return false;
        }

        var headerLength = FixedHeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < headerLength + 4)
            {
                return false;
            }

            int words = BinaryPrimitives.ReadUInt16BigEndian(packet[(headerLength + 2)..]);
            headerLength += 4 + (4 * words);
        }

        if (packet.Length < headerLength)
        {
            return false;
        }

        var padding = 0;
        if ((packet[0] & 0x20) != 0)
        {
            // The count includes itself, so 0 is invalid (RFC 3550 §5.1), and it cannot reach
            // into the header.
            padding = packet[^1];
            if (padding == 0 || padding > packet.Length - headerLength)
            {
                return false;
            }
        }

        rtp = new RtpPacket(packet, headerLength, padding);
        return true;
    }

    /// <summary>The CSRC at <paramref name="index"/> (0 to <see cref="CsrcCount"/> - 1).</summary>
    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_packet[(FixedHeaderLength + (4 * index))..]);
    }

    /// <summary>
    /// The first RFC 8285 element with <paramref name="id"/>, from either the one-byte (0xBEDE)
    /// or the two-byte (0x100X) form. False when there is no such element, the extension uses
    /// another profile, or the element list is malformed before the element is reached.
    /// </summary>
    public bool TryGetExtension(byte id, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!HasExtension || id == 0)
        {
            return false;
        }

        var profile = ExtensionProfile;
        var data = ExtensionData;
        if (profile == OneByteExtensionProfile)
        {
            return id <= 14 && TryFindOneByte(data, id, out value);
        }

        if ((profile & 0xFFF0) == TwoByteExtensionProfile)
        {
            return TryFindTwoByte(data, id, out value);
        }

        return false;
    }

    private static bool TryFindOneByte(ReadOnlySpan<byte> data, byte id, out ReadOnlySpan<byte> value)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var elementId = data[offset] >> 4;
            if (elementId == 0)
            {
                offset++;
                continue;
            }

            // ID 15 is reserved: "the parsing should stop" (RFC 8285 §4.2).
            if (elementId == 15)
            {
                break;
            }

            var length = (data[offset] & 0x0F) + 1;
            if (data.Length - offset - 1 < length)
            {
                break;
            }

            if (elementId == id)
            {
                value = data.Slice(offset + 1, length);
                return true;
            }

            offset += 1 + length;
        }

        value = default;
        return false;
    }

    private static bool TryFindTwoByte(ReadOnlySpan<byte> data, byte id, out ReadOnlySpan<byte> value)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var elementId = data[offset];
            if (elementId == 0)
            {
                offset++;
                continue;
            }

            if (data.Length - offset < 2)
            {
                break;
            }

            var length = data[offset + 1];
            if (data.Length - offset - 2 < length)
            {
                break;
            }

            if (elementId == id)
            {
                value = data.Slice(offset + 2, length);
                return true;
            }

            offset += 2 + length;
        }

        value = default;
        return false;
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaServer.Protocol.Stun;

/// <summary>
/// A parsed view of one STUN message (RFC 8489 §5, §14; ICE attributes RFC 8445 §7.1.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
///  Message type (§5): method bits M0-M11 interleaved with class bits C0, C1
///   0                 1
///   2  3  4 5 6 7 8 9 0 1 2 3 4 5
///  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///  |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
///  |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
///  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///
///  Attributes (§14), each padded to a multiple of 4 bytes; Length excludes the padding
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The view borrows the caller's buffer: it is valid only while that buffer is neither
/// reused nor changed (for a receive loop, until the next datagram is read into it).
/// Reading allocates nothing and never throws.
/// </summary>
public readonly ref struct StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    public const int TransactionIdLength = 12;

    /// <summary>MESSAGE-INTEGRITY is an HMAC-SHA1: 20 bytes of value, 24 with the attribute header.</summary>
    public const int MessageIntegrityLength = 20;

    /// <summary>FINGERPRINT is a CRC-32 XORed with this, so it differs from the CRC other protocols carry (§14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    private const int AttributeHeaderLength = 4;

    private readonly ReadOnlySpan<byte> _packet;

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, or -1.</summary>
    private readonly int _integrityOffset;

    /// <summary>Offset of the FINGERPRINT attribute header, or -1.</summary>
    private readonly int _fingerprintOffset;

    private StunMessage(ReadOnlySpan<byte> packet, int integrityOffset, int fingerprintOffset)
    {
        _packet = packet;
        _integrityOffset = integrityOffset;
        _fingerprintOffset = fingerprintOffset;
    }

    /// <summary>The message type's 12 method bits.</summary>
    public ushort Method => DecodeMethod(BinaryPrimitives.ReadUInt16BigEndian(_packet));

    public StunClass Class => DecodeClass(BinaryPrimitives.ReadUInt16BigEndian(_packet));

    public ReadOnlySpan<byte> TransactionId => _packet.Slice(8, TransactionIdLength);

    /// <summary>The whole message, header included: exactly the bytes that were parsed.</summary>
    public ReadOnlySpan<byte> Packet => _packet;

    public bool HasMessageIntegrity => _integrityOffset >= 0;

    public bool HasFingerprint => _fingerprintOffset >= 0;

    /// <summary>USE-CANDIDATE carries no value; its presence is the signal (RFC 8445 §7.1.2).</summary>
    public bool HasUseCandidate => TryGetAttribute(StunAttributeType.UseCandidate, out _);

    /// <summary>
    /// The cheap demultiplexing test (RFC 8489 §6; RFC 7983 §7): the top two bits are zero, the
    /// magic cookie is present, and Length is a multiple of 4 that matches the datagram exactly.
    /// Attributes are not walked; <see cref="TryParse"/> does that.
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderLength || (packet[0] & 0xC0) != 0)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return (length & 3) == 0
            && HeaderLength + length == packet.Length
            && BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) == MagicCookie;
    }

    /// <summary>
    /// Validates the header and walks the attributes, checking that every attribute with its
    /// padding lies inside the message. The datagram must hold exactly one message: UDP carries
    /// one per datagram, and a mismatch is more likely a non-STUN packet than trailing data.
    /// Returns false on anything malformed.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out StunMessage message)
    {
        message = default;
        if (!IsStun(packet))
        {
            return false;
        }

        var integrityOffset = -1;
        var fingerprintOffset = -1;
        var offset = HeaderLength;
        while (offset < packet.Length)
        {
            if (packet.Length - offset < AttributeHeaderLength)
            {
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            var padded = (length + 3) & ~3;
            if (packet.Length - offset - AttributeHeaderLength < padded)
            {
                return false;
            }

            if (type == StunAttributeType.MessageIntegrity && integrityOffset < 0 && fingerprintOffset < 0)
            {
                if (length != MessageIntegrityLength)
                {
                    return false;
                }

                integrityOffset = offset;
            }
            else if (type == StunAttributeType.Fingerprint && fingerprintOffset < 0)
            {
                if (length != 4)
                {
                    return false;
                }

                fingerprintOffset = offset;
            }

            offset += AttributeHeaderLength + padded;
        }

        message = new StunMessage(packet, integrityOffset, fingerprintOffset);
        return true;
    }

    /// <summary>
    /// The value (without padding) of the first attribute of <paramref name="type"/>. Attributes
    /// after MESSAGE-INTEGRITY are not integrity-protected, so apart from MESSAGE-INTEGRITY-SHA256
    /// and FINGERPRINT they are invisible here (RFC 8489 §14.5); nothing after FINGERPRINT is seen.
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        var packet = _packet;
        var offset = HeaderLength;
        var afterIntegrity = false;
        while (packet.Length - offset >= AttributeHeaderLength)
        {
            var current = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            var visible = !afterIntegrity
                || current is StunAttributeType.MessageIntegritySha256 or StunAttributeType.Fingerprint;
            if (current == type && visible)
            {
                value = packet.Slice(offset + AttributeHeaderLength, length);
                return true;
            }

            if (current == StunAttributeType.Fingerprint)
            {
                break;
            }

            afterIntegrity |= current == StunAttributeType.MessageIntegrity;
            offset += AttributeHeaderLength + ((length + 3) & ~3);
        }

        value = default;
        return false;
    }

    /// <summary>USERNAME as raw UTF-8; for ICE it is "remote-ufrag:local-ufrag" (RFC 8445 §7.2.2).</summary>
    public bool TryGetUsername(out ReadOnlySpan<byte> username) => TryGetAttribute(StunAttributeType.Username, out username);

    public bool TryGetPriority(out uint priority) => TryGetUInt32(StunAttributeType.Priority, out priority);

    public bool TryGetIceControlling(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlling, out tieBreaker);

    public bool TryGetIceControlled(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlled, out tieBreaker);

    /// <summary>
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2), un-XORed into <paramref name="address"/>: 4 bytes for
    /// IPv4, 16 for IPv6, in network order. False if the attribute is absent or malformed, or if
    /// <paramref name="address"/> is too small for the family.
    /// <code>
    ///  0                   1                   2                   3
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |                X-Address (32 bits or 128 bits)                |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// </code>
    /// </summary>
    public bool TryGetXorMappedAddress(Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        if (!TryGetAttribute(StunAttributeType.XorMappedAddress, out var value) || value.Length < 4)
        {
            return false;
        }

        var length = value[1] switch
        {
            0x01 => 4,
            0x02 => 16,
            _ => 0,
        };
        if (length == 0 || value.Length != 4 + length || address.Length < length)
        {
            return false;
        }

        // The port is XORed with the cookie's top half, the address with cookie + transaction id,
        // so that NATs rewriting addresses they recognise in payloads leave it alone (§14.2).
        port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (MagicCookie >> 16));
        var xored = value.Slice(4, length);
        var cookieAndId = _packet.Slice(4, 4 + TransactionIdLength);
        for (var i = 0; i < length; i++)
        {
            address[i] = (byte)(xored[i] ^ cookieAndId[i]);
        }

        addressLength = length;
        return true;
    }

    /// <summary>
    /// ERROR-CODE (RFC 8489 §14.8): the code is class * 100 + number; the reason is UTF-8.
    /// False when absent, shorter than 4 bytes, or the class is outside 3-6 or number above 99.
    /// <code>
    ///  0                   1                   2                   3
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |           Reserved, should be 0         |Class|     Number    |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |      Reason Phrase (variable)                                ..
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// </code>
    /// </summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        code = 0;
        reason = default;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var value) || value.Length < 4)
        {
            return false;
        }

        var errorClass = value[2] & 0x07;
        var number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            return false;
        }

        code = (errorClass * 100) + number;
        reason = value[4..];
        return true;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 keyed with <paramref name="key"/>
    /// (the ICE password for short-term credentials; MD5(username:realm:password) for long-term)
    /// over the message up to the attribute, with the header's Length rewritten to end just after
    /// MESSAGE-INTEGRITY, as if nothing followed. The comparison takes constant time.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrityOffset < 0)
        {
            return false;
        }

        var covered = _packet[.._integrityOffset];
        var expected = _packet.Slice(_integrityOffset + AttributeHeaderLength, MessageIntegrityLength);
        Span<byte> mac = stackalloc byte[MessageIntegrityLength];

        // HMACSHA1 has no incremental one-shot over two spans, so the covered bytes are copied
        // with the adjusted length: on the stack for anything a browser sends, pooled beyond that.
        const int StackLimit = 1024;
        byte[]? rented = null;
        var copy = covered.Length <= StackLimit
            ? stackalloc byte[covered.Length]
            : (rented = ArrayPool<byte>.Shared.Rent(covered.Length)).AsSpan(0, covered.Length);
        try
        {
            covered.CopyTo(copy);
            BinaryPrimitives.WriteUInt16BigEndian(
                copy[2..],
                (ushort)(_integrityOffset - HeaderLength + AttributeHeaderLength + MessageIntegrityLength));
            HMACSHA1.HashData(key, copy, mac);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return CryptographicOperations.FixedTimeEquals(mac, expected);
    }

    /// <summary>
    /// Checks FINGERPRINT (RFC 8489 §14.7): it must be the last attribute and equal the CRC-32
    /// of everything before it, XORed with 0x5354554e. The header's Length already covers it.
    /// </summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset < 0 || _fingerprintOffset + AttributeHeaderLength + 4 != _packet.Length)
        {
            return false;
        }

        var expected = BinaryPrimitives.ReadUInt32BigEndian(_packet[(_fingerprintOffset + AttributeHeaderLength)..]);
        return (StunCrc32.Compute(_packet[.._fingerprintOffset]) ^ FingerprintXor) == expected;
    }

    /// <summary>Packs a method and class into the 14-bit message type (§5).</summary>
    public static ushort EncodeMessageType(ushort method, StunClass stunClass)
    {
        var c = (int)stunClass;
        return (ushort)((method & 0x000F)
            | ((method & 0x0070) << 1)
            | ((method & 0x0F80) << 2)
            | ((c & 1) << 4)
            | ((c & 2) << 7));
    }

    internal static ushort DecodeMethod(ushort type) =>
        (ushort)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));

    internal static StunClass DecodeClass(ushort type) =>
        (StunClass)(((type >> 7) & 0b10) | ((type >> 4) & 0b01));

    private bool TryGetUInt32(ushort type, out uint value)
    {
        if (TryGetAttribute(type, out var raw) && raw.Length == 4)
        {
            value = BinaryPrimitives.ReadUInt32BigEndian(raw);
            return true;
        }

        value = 0;
        return false;
    }

    private bool TryGetUInt64(ushort type, out ulong value)
    {
        if (TryGetAttribute(type, out var raw) && raw.Length == 8)
        {
            value = BinaryPrimitives.ReadUInt64BigEndian(raw);
            return true;
        }

        value = 0;
        return false;
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaServer.Protocol.Stun;

/// <summary>
/// Builds one STUN message (RFC 8489 §5, §14) in the caller's buffer, header first, then
/// attributes in the order they are added; the header's Length is kept current after each.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// |                         Value (padded to 4 bytes)       ....
/// </code>
/// A buffer too small for the message is the caller's sizing mistake, not bad input, so the
/// Add methods throw <see cref="ArgumentException"/> then; size buffers with
/// <see cref="GetAttributeSize"/> (a binding success response with an IPv6 XOR-MAPPED-ADDRESS,
/// MESSAGE-INTEGRITY and FINGERPRINT is 76 bytes). MESSAGE-INTEGRITY and FINGERPRINT go last,
/// in that order; adding anything after FINGERPRINT throws <see cref="InvalidOperationException"/>.
/// Nothing allocates.
/// </summary>
public ref struct StunWriter
{
    private const int AttributeHeaderLength = 4;

    private readonly Span<byte> _buffer;
    private int _length;
    private bool _sealed;

    /// <summary>Writes the 20-byte header. <paramref name="transactionId"/> must be 12 bytes.</summary>
    public StunWriter(Span<byte> buffer, ushort method, StunClass stunClass, scoped ReadOnlySpan<byte> transactionId)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(method, StunMethod.MaxValue);
        if (transactionId.Length != StunMessage.TransactionIdLength)
        {
            throw new ArgumentException("A STUN transaction id is 12 bytes.", nameof(transactionId));
        }

        if (buffer.Length < StunMessage.HeaderLength)
        {
            throw new ArgumentException("The buffer cannot hold a STUN header.", nameof(buffer));
        }

        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, StunMessage.EncodeMessageType(method, stunClass));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = StunMessage.HeaderLength;
    }

    /// <summary>Total bytes written so far, header included.</summary>
    public readonly int Length => _length;

    /// <summary>The message as written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>
    /// The byte written into attribute padding. RFC 8489 §14 lets it be anything; zero is the
    /// norm, and only reproducing RFC 5769's vectors (which pad with spaces) needs another.
    /// </summary>
    internal byte PaddingByte { get; set; }

    /// <summary>Bytes an attribute with a value of <paramref name="valueLength"/> bytes takes, header and padding included.</summary>
    public static int GetAttributeSize(int valueLength) => AttributeHeaderLength + ((valueLength + 3) & ~3);

    /// <summary>Appends any attribute; the typed methods below are shorthands for this.</summary>
    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var destination = Reserve(type, value.Length);
        value.CopyTo(destination);
    }

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2) from a 4-byte IPv4 or 16-byte IPv6 address in network order.</summary>
    public void AddXorMappedAddress(scoped ReadOnlySpan<byte> address, ushort port)
    {
        byte family = address.Length switch
        {
            4 => 0x01,
            16 => 0x02,
            _ => throw new ArgumentException("An address is 4 (IPv4) or 16 (IPv6) bytes.", nameof(address)),
        };
        var value = Reserve(StunAttributeType.XorMappedAddress, 4 + address.Length);
        value[0] = 0;
        value[1] = family;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(port ^ (StunMessage.MagicCookie >> 16)));
        var cookieAndId = _buffer.Slice(4, 4 + StunMessage.TransactionIdLength);
        for (var i = 0; i < address.Length; i++)
        {
            value[4 + i] = (byte)(address[i] ^ cookieAndId[i]);
        }
    }

    public void AddUsername(scoped ReadOnlySpan<byte> username) => AddAttribute(StunAttributeType.Username, username);

    public void AddSoftware(scoped ReadOnlySpan<byte> text) => AddAttribute(StunAttributeType.Software, text);

    public void AddPriority(uint priority) =>
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(StunAttributeType.Priority, 4), priority);

    public void AddUseCandidate() => Reserve(StunAttributeType.UseCandidate, 0);

    public void AddIceControlling(ulong tieBreaker) =>
        BinaryPrimitives.WriteUInt64BigEndian(Reserve(StunAttributeType.IceControlling, 8), tieBreaker);

    public void AddIceControlled(ulong tieBreaker) =>
        BinaryPrimitives.WriteUInt64BigEndian(Reserve(StunAttributeType.IceControlled, 8), tieBreaker);

    /// <summary>ERROR-CODE (RFC 8489 §14.8); <paramref name="code"/> is 300-699.</summary>
    public void AddErrorCode(int code, scoped ReadOnlySpan<byte> reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 699);
        var value = Reserve(StunAttributeType.ErrorCode, 4 + reason.Length);
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        reason.CopyTo(value[4..]);
    }

    /// <summary>
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over everything written so far, with the
    /// header's Length already counting this attribute, as the receiver will recompute it.
    /// </summary>
    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        var covered = _length;
        var value = Reserve(StunAttributeType.MessageIntegrity, StunMessage.MessageIntegrityLength);
        HMACSHA1.HashData(key, _buffer[..covered], value);
    }

    /// <summary>FINGERPRINT (RFC 8489 §14.7): the last attribute; nothing may be added after it.</summary>
    public void AddFingerprint()
    {
        var covered = _length;
        var value = Reserve(StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(value, StunCrc32.Compute(_buffer[..covered]) ^ StunMessage.FingerprintXor);
        _sealed = true;
    }

    /// <summary>
    /// Writes the attribute header and padding, bumps the header's Length, and returns the value
    /// slot for the caller to fill.
    /// </summary>
    private Span<byte> Reserve(ushort type, int valueLength)
    {
        if (_sealed)
        {
            throw new InvalidOperationException("FINGERPRINT must be the last attribute.");
        }

        var size = GetAttributeSize(valueLength);
        if (valueLength > ushort.MaxValue || _length - StunMessage.HeaderLength + size > ushort.MaxValue)
        {
            throw new ArgumentException("The attribute does not fit in a STUN message.", nameof(valueLength));
        }

        if (_buffer.Length - _length < size)
        {
            throw new ArgumentException("The buffer is too small for the STUN message.");
        }

        var attribute = _buffer.Slice(_length, size);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)valueLength);
        attribute[(AttributeHeaderLength + valueLength)..].Fill(PaddingByte);
        _length += size;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunMessage.HeaderLength));
        return attribute.Slice(AttributeHeaderLength, valueLength);
    }
}

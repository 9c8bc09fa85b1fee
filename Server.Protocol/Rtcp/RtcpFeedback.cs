using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// A transport (205) or payload-specific (206) feedback message (RFC 4585 §6.1):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|   FMT   |       PT      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :            Feedback Control Information (FCI)                 :
///
/// Generic NACK FCI (205/1, RFC 4585 §6.2.1), repeated:
/// |            PID                |             BLP               |
///   PID is a lost sequence number; bit i of BLP (LSB = 0) means PID + i + 1 was lost too.
///
/// FIR FCI (206/4, RFC 5104 §4.3.1), repeated; the media source SSRC above is 0:
/// |                              SSRC                             |
/// | Seq nr.       |    Reserved                                   |
///
/// REMB FCI (206/15, draft-alvestrand-rmcat-remb §2.2); the media source SSRC above is 0:
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// |   SSRC feedback (Num SSRC times)                              |
///   bitrate in bit/s = mantissa (18 bits) * 2^exp (6 bits)
/// </code>
/// PLI (206/1, RFC 4585 §6.3.1) has no FCI. Borrows the packet's buffer: valid only while that
/// buffer is unchanged.
/// </summary>
public readonly ref struct RtcpFeedback
{
    public const int FixedBodyLength = 8;

    private RtcpFeedback(byte packetType, int format, ReadOnlySpan<byte> body)
    {
        PacketType = packetType;
        Format = format;
        SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        Fci = body[FixedBodyLength..];
    }

    public byte PacketType { get; }

    /// <summary>FMT, the header's low 5 bits; see <see cref="RtcpFeedbackFormat"/>.</summary>
    public int Format { get; }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public ReadOnlySpan<byte> Fci { get; }

    public bool IsPictureLossIndication =>
        PacketType == RtcpPacketType.PayloadFeedback && Format == RtcpFeedbackFormat.PictureLossIndication;

    /// <summary>206/4 with at least one whole 8-byte FCI entry and no partial one.</summary>
    public bool IsFullIntraRequest =>
        PacketType == RtcpPacketType.PayloadFeedback && Format == RtcpFeedbackFormat.FullIntraRequest
        && !Fci.IsEmpty && Fci.Length % 8 == 0;

    /// <summary>205/1 with at least one whole PID/BLP pair and no partial one.</summary>
    public bool IsGenericNack =>
        PacketType == RtcpPacketType.TransportFeedback && Format == RtcpFeedbackFormat.GenericNack
        && !Fci.IsEmpty && Fci.Length % 4 == 0;

    /// <summary>206/15 whose FCI starts with "REMB" and holds the SSRCs it announces.</summary>
    public bool IsRemb => TryGetRemb(out _, out _);

    /// <summary>False unless PT is 205 or 206 and the body holds both SSRCs.</summary>
    public static bool TryParse(RtcpPacket packet, out RtcpFeedback fb)
    {
        fb = default;
        var body = packet.Body;
        if (packet.PacketType is not (RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback)
            || body.Length < FixedBodyLength)
        {
            return false;
        }

        fb = new RtcpFeedback(packet.PacketType, packet.Count, body);
        return true;
    }

    /// <summary>
    /// The sequence numbers a generic NACK reports lost, PID first then its BLP bits, pair by
    /// pair. Empty unless <see cref="IsGenericNack"/>.
    /// </summary>
    public RtcpNackEnumerator GetLostSequenceNumbers() => new(IsGenericNack ? Fci : default);

    /// <summary>The (SSRC, sequence number) entries of a FIR. Empty unless <see cref="IsFullIntraRequest"/>.</summary>
    public RtcpFirEnumerator GetFullIntraRequests() => new(IsFullIntraRequest ? Fci : default);

    /// <summary>
    /// REMB's bitrate in bit/s and the number of SSRCs it applies to. A mantissa shifted past 64
    /// bits saturates at <see cref="ulong.MaxValue"/>.
    /// </summary>
    public bool TryGetRemb(out ulong bitrate, out int ssrcCount)
    {
        bitrate = 0;
        ssrcCount = 0;
        var fci = Fci;
        if (PacketType != RtcpPacketType.PayloadFeedback || Format != RtcpFeedbackFormat.ApplicationLayer
            || fci.Length < 8 || !fci.StartsWith("REMB"u8) || fci.Length < 8 + (4 * fci[4]))
        {
            return false;
        }

        var packed = BinaryPrimitives.ReadUInt32BigEndian(fci[4..]);
        var exponent = (int)((packed >> 18) & 0x3F);
        ulong mantissa = packed & 0x3FFFF;
        bitrate = mantissa > (ulong.MaxValue >> exponent) ? ulong.MaxValue : mantissa << exponent;
        ssrcCount = fci[4];
        return true;
    }

    /// <summary>The REMB's SSRC at <paramref name="index"/>; call <see cref="TryGetRemb"/> first. Outside 0..count-1 throws.</summary>
    public uint GetRembSsrc(int index)
    {
        if (!TryGetRemb(out _, out var count))
        {
            throw new InvalidOperationException("The packet is not a REMB.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        return BinaryPrimitives.ReadUInt32BigEndian(Fci[(8 + (4 * index))..]);
    }
}

using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// Appends RTCP packets to a compound packet in the caller's buffer (RFC 3550 §6.1):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| RC/SC/FMT |      PT       |  length (32-bit words - 1)  |  every packet
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Each packet layout is drawn on its reader: <see cref="RtcpSenderReport"/>,
/// <see cref="RtcpReceiverReport"/>, <see cref="RtcpSourceDescription"/>,
/// <see cref="RtcpGoodbye"/>, <see cref="RtcpFeedback"/>. Every method either writes a whole
/// packet and returns true, or returns false and leaves the buffer as it was, when the packet
/// does not fit or its content cannot be encoded (more than 31 report blocks, a CNAME or
/// reason over 255 bytes, more than 255 REMB SSRCs). Padding is never written: packets built
/// here are multiples of 4 bytes on their own. Allocates nothing.
/// </summary>
public ref struct RtcpWriter
{
    private const int MaxCount = 31;

    private readonly Span<byte> _buffer;
    private int _length;

    public RtcpWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The compound packet written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public bool TryWriteSenderReport(uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount, scoped ReadOnlySpan<RtcpReportBlock> reports)
    {
        if (reports.Length > MaxCount
            || !TryBegin(RtcpPacketType.SenderReport, reports.Length, RtcpSenderReport.FixedBodyLength + (reports.Length * RtcpReportBlock.Size), out var body))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(body, ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(body[4..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(body[12..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(body[16..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(body[20..], octetCount);
        WriteReports(body[RtcpSenderReport.FixedBodyLength..], reports);
        return true;
    }

    public bool TryWriteReceiverReport(uint ssrc, scoped ReadOnlySpan<RtcpReportBlock> reports)
    {
        if (reports.Length > MaxCount
            || !TryBegin(RtcpPacketType.ReceiverReport, reports.Length, 4 + (reports.Length * RtcpReportBlock.Size), out var body))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(body, ssrc);
        WriteReports(body[4..], reports);
        return true;
    }

    /// <summary>An SDES packet with one chunk holding one CNAME item, null-terminated and padded.</summary>
    public bool TryWriteSdesCname(uint ssrc, scoped ReadOnlySpan<byte> cname)
    {
        // SSRC, type, length, text, then at least one null octet up to a 32-bit boundary.
        var chunkLength = (4 + 2 + cname.Length + 1 + 3) & ~3;
        if (cname.Length > byte.MaxValue || !TryBegin(RtcpPacketType.SourceDescription, 1, chunkLength, out var body))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(body, ssrc);
        body[4] = RtcpSdesItemType.Cname;
        body[5] = (byte)cname.Length;
        cname.CopyTo(body[6..]);
        body[(6 + cname.Length)..].Clear();
        return true;
    }

    /// <summary>A BYE for one SSRC; an empty <paramref name="reason"/> leaves the reason out.</summary>
    public bool TryWriteBye(uint ssrc, scoped ReadOnlySpan<byte> reason)
    {
        var bodyLength = reason.IsEmpty ? 4 : 4 + ((1 + reason.Length + 3) & ~3);
        if (reason.Length > byte.MaxValue || !TryBegin(RtcpPacketType.Goodbye, 1, bodyLength, out var body))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(body, ssrc);
        if (!reason.IsEmpty)
        {
            body[4] = (byte)reason.Length;
            reason.CopyTo(body[5..]);
            body[(5 + reason.Length)..].Clear();
        }

        return true;
    }

    public bool TryWritePictureLossIndication(uint senderSsrc, uint mediaSsrc) =>
        TryBeginFeedback(RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.PictureLossIndication, senderSsrc, mediaSsrc, 0, out _);

    /// <summary>
    /// A FIR with one entry for <paramref name="mediaSsrc"/>. The header's media source field is
    /// 0 as RFC 5104 §4.3.1.2 requires; the SSRC goes in the FCI entry. The caller increments
    /// <paramref name="commandSequence"/> for each new request (§4.3.1.1).
    /// </summary>
    public bool TryWriteFullIntraRequest(uint senderSsrc, uint mediaSsrc, byte commandSequence)
    {
        if (!TryBeginFeedback(RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.FullIntraRequest, senderSsrc, 0, RtcpFirEnumerator.EntrySize, out var fci))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(fci, mediaSsrc);
        fci[4] = commandSequence;
        fci[5..8].Clear();
        return true;
    }

    /// <summary>
    /// A generic NACK. Sequence numbers are packed greedily: each one that is not within 16
    /// after the current PID starts a new PID/BLP pair, so ascending input (with wraparound)
    /// gives the fewest pairs; any order still reports every number. Repeats are dropped.
    /// Empty input writes nothing and returns false.
    /// </summary>
    public bool TryWriteGenericNack(uint senderSsrc, uint mediaSsrc, scoped ReadOnlySpan<ushort> lostSequenceNumbers)
    {
        var pairs = CountNackPairs(lostSequenceNumbers);
        if (pairs == 0 || !TryBeginFeedback(RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.GenericNack, senderSsrc, mediaSsrc, 4 * pairs, out var fci))
        {
            return false;
        }

        var offset = 0;
        var pid = lostSequenceNumbers[0];
        var blp = 0;
        for (var i = 1; i < lostSequenceNumbers.Length; i++)
        {
            var distance = (ushort)(lostSequenceNumbers[i] - pid);
            if (distance == 0)
            {
                continue;
            }

            if (distance <= 16)
            {
                blp |= 1 << (distance - 1);
                continue;
            }

            WriteNackPair(fci[offset..], pid, blp);
            offset += 4;
            pid = lostSequenceNumbers[i];
            blp = 0;
        }

        WriteNackPair(fci[offset..], pid, blp);
        return true;
    }

    /// <summary>
    /// A REMB as Chrome sends it: sender SSRC, media source 0, "REMB", the bitrate as the
    /// smallest exponent whose 18-bit mantissa holds it (rounded down), then the SSRCs.
    /// </summary>
    public bool TryWriteRemb(uint senderSsrc, ulong bitrate, scoped ReadOnlySpan<uint> ssrcs)
    {
        if (ssrcs.Length > byte.MaxValue
            || !TryBeginFeedback(RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.ApplicationLayer, senderSsrc, 0, 8 + (4 * ssrcs.Length), out var fci))
        {
            return false;
        }

        var exponent = 0;
        while ((bitrate >> exponent) > 0x3FFFF)
        {
            exponent++;
        }

        "REMB"u8.CopyTo(fci);
        BinaryPrimitives.WriteUInt32BigEndian(fci[4..], ((uint)ssrcs.Length << 24) | ((uint)exponent << 18) | (uint)(bitrate >> exponent));
        for (var i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(fci[(8 + (4 * i))..], ssrcs[i]);
        }

        return true;
    }

    /// <summary>Copies an already encoded packet (one a relay forwards, say) into the compound.</summary>
    public bool TryAppend(scoped ReadOnlySpan<byte> packet)
    {
        if (_buffer.Length - _length < packet.Length)
        {
            return false;
        }

        packet.CopyTo(_buffer[_length..]);
        _length += packet.Length;
        return true;
    }

    private static int CountNackPairs(ReadOnlySpan<ushort> sequenceNumbers)
    {
        if (sequenceNumbers.IsEmpty)
        {
            return 0;
        }

        var pairs = 1;
        var pid = sequenceNumbers[0];
        for (var i = 1; i < sequenceNumbers.Length; i++)
        {
            var distance = (ushort)(sequenceNumbers[i] - pid);
            if (distance > 16)
            {
                pairs++;
                pid = sequenceNumbers[i];
            }
        }

        return pairs;
    }

    private static void WriteNackPair(Span<byte> destination, ushort pid, int blp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, pid);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)blp);
    }

    private static void WriteReports(Span<byte> destination, ReadOnlySpan<RtcpReportBlock> reports)
    {
        for (var i = 0; i < reports.Length; i++)
        {
            reports[i].Write(destination[(i * RtcpReportBlock.Size)..]);
        }
    }

    private bool TryBeginFeedback(byte packetType, int format, uint senderSsrc, uint mediaSsrc, int fciLength, out Span<byte> fci)
    {
        if (!TryBegin(packetType, format, RtcpFeedback.FixedBodyLength + fciLength, out var body))
        {
            fci = default;
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(body, senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], mediaSsrc);
        fci = body[RtcpFeedback.FixedBodyLength..];
        return true;
    }

    /// <summary>
    /// Writes the common header of a packet whose body (a multiple of 4 bytes) follows, claims
    /// the space, and returns the body slot. False, with nothing written, if it does not fit.
    /// </summary>
    private bool TryBegin(byte packetType, int count, int bodyLength, out Span<byte> body)
    {
        var size = RtcpPacket.HeaderLength + bodyLength;
        if (_buffer.Length - _length < size || size / 4 - 1 > ushort.MaxValue)
        {
            body = default;
            return false;
        }

        var packet = _buffer.Slice(_length, size);
        packet[0] = (byte)(0x80 | count);
        packet[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)((size / 4) - 1));
        _length += size;
        body = packet[RtcpPacket.HeaderLength..];
        return true;
    }
}

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// Walks the packets of a compound RTCP packet (RFC 3550 §6.1) front to back:
/// <code>
/// [--------- compound packet (one UDP datagram) -------------------]
/// [SR or RR #1][SDES #2][... #3 ...][BYE #4 (last, may be padded)]
/// </code>
/// RFC 3550's compound rules (SR/RR first, padding only last) are not enforced: RFC 5506
/// reduced-size RTCP lifts them, and Chrome sends lone feedback packets. Iteration stops at the
/// first malformed packet with <see cref="IsMalformed"/> set; the packets before it were read
/// normally, and a caller may still act on them. Borrows the caller's buffer; allocates nothing.
/// </summary>
public ref struct RtcpCompoundReader
{
    private ReadOnlySpan<byte> _remaining;

    public RtcpCompoundReader(ReadOnlySpan<byte> compound)
    {
        _remaining = compound;
        IsMalformed = false;
    }

    /// <summary>True once a packet failed to parse; no further packets are returned after that.</summary>
    public bool IsMalformed { get; private set; }

    public bool TryReadNext(out RtcpPacket packet)
    {
        if (_remaining.IsEmpty)
        {
            packet = default;
            return false;
        }

        if (!RtcpPacket.TryRead(_remaining, out packet))
        {
            IsMalformed = true;
            _remaining = default;
            return false;
        }

        _remaining = _remaining[packet.Packet.Length..];
        return true;
    }
}

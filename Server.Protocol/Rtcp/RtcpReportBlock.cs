using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 §6.4.1), 24 bytes:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// A plain value: it copies its fields out of the packet.
/// </summary>
public readonly struct RtcpReportBlock : IEquatable<RtcpReportBlock>
{
    public const int Size = 24;

    /// <summary>Cumulative loss is a 24-bit signed field; duplicates can make it negative (§6.4.1).</summary>
    public const int MaxCumulativeLost = 0x7FFFFF;
    public const int MinCumulativeLost = -0x800000;

    public RtcpReportBlock(uint ssrc, byte fractionLost, int cumulativeLost, uint extendedHighestSequence, uint jitter, uint lastSenderReport, uint delaySinceLastSenderReport)
    {
        Ssrc = ssrc;
        FractionLost = fractionLost;
        CumulativeLost = Math.Clamp(cumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        ExtendedHighestSequence = extendedHighestSequence;
        Jitter = jitter;
        LastSenderReport = lastSenderReport;
        DelaySinceLastSenderReport = delaySinceLastSenderReport;
    }

    public uint Ssrc { get; }

    /// <summary>Fraction lost since the previous report, as a fixed-point number with the point at the left (x/256).</summary>
    public byte FractionLost { get; }

    /// <summary>Clamped to the 24-bit signed range when constructed.</summary>
    public int CumulativeLost { get; }

    public uint ExtendedHighestSequence { get; }

    /// <summary>In RTP timestamp units.</summary>
    public uint Jitter { get; }

    /// <summary>The middle 32 bits of the NTP timestamp of the last SR received from this source.</summary>
    public uint LastSenderReport { get; }

    /// <summary>In units of 1/65536 second.</summary>
    public uint DelaySinceLastSenderReport { get; }

    public static bool operator ==(RtcpReportBlock left, RtcpReportBlock right) => left.Equals(right);

    public static bool operator !=(RtcpReportBlock left, RtcpReportBlock right) => !left.Equals(right);

    public bool Equals(RtcpReportBlock other) =>
        Ssrc == other.Ssrc
        && FractionLost == other.FractionLost
        && CumulativeLost == other.CumulativeLost
        && ExtendedHighestSequence == other.ExtendedHighestSequence
        && Jitter == other.Jitter
        && LastSenderReport == other.LastSenderReport
        && DelaySinceLastSenderReport == other.DelaySinceLastSenderReport;

    public override bool Equals(object? obj) => obj is RtcpReportBlock other && Equals(other);

    public override int GetHashCode() =>
        HashCode.Combine(Ssrc, FractionLost, CumulativeLost, ExtendedHighestSequence, Jitter, LastSenderReport, DelaySinceLastSenderReport);

    /// <summary>Reads 24 bytes; the caller has checked the length.</summary>
    internal static RtcpReportBlock Read(ReadOnlySpan<byte> block)
    {
        // Shifting the 24 bits to the top of an int and back sign-extends them.
        var lost = (int)(BinaryPrimitives.ReadUInt32BigEndian(block[4..]) << 8) >> 8;
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(block),
            block[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(block[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[20..]));
    }

    /// <summary>Writes 24 bytes; the caller has checked the space.</summary>
    internal void Write(Span<byte> block)
    {
        BinaryPrimitives.WriteUInt32BigEndian(block, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(block[4..], ((uint)FractionLost << 24) | ((uint)CumulativeLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(block[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(block[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(block[20..], DelaySinceLastSenderReport);
    }
}

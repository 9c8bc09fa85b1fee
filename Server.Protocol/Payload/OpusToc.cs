namespace MediaServer.Protocol.Payload;

/// <summary>
/// The table-of-contents byte that starts every Opus packet (RFC 6716 §3.1); in RTP the payload
/// is exactly one Opus packet (RFC 7587 §4.2).
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// | config  |s| c |
/// +-+-+-+-+-+-+-+-+
///
///  config  mode    bandwidth  frame sizes (ms)      c  frames in the packet
///  0..3    SILK    NB         10, 20, 40, 60        0  1
///  4..7    SILK    MB         10, 20, 40, 60        1  2, equal size
///  8..11   SILK    WB         10, 20, 40, 60        2  2, different sizes
///  12..13  Hybrid  SWB        10, 20                3  count in the next byte:
///  14..15  Hybrid  FB         10, 20
///  16..19  CELT    NB         2.5, 5, 10, 20           0 1 2 3 4 5 6 7
///  20..23  CELT    WB         2.5, 5, 10, 20          +-+-+-+-+-+-+-+-+
///  24..27  CELT    SWB        2.5, 5, 10, 20          |v|p|     M     |   M = 1..48 frames,
///  28..31  CELT    FB         2.5, 5, 10, 20          +-+-+-+-+-+-+-+-+   at most 120 ms (§3.2.5)
/// </code>
/// A plain value; frame durations are given as sample counts at 48 kHz, the RTP clock rate
/// RFC 7587 §4.1 fixes for Opus whatever the bandwidth.
/// </summary>
public readonly struct OpusToc : IEquatable<OpusToc>
{
    /// <summary>RFC 6716 §3.2.5: no packet may hold more than 120 ms of audio.</summary>
    public const int MaxSamplesPerPacket = 5760;

    public OpusToc(byte value) => Value = value;

    public byte Value { get; }

    public int Config => Value >> 3;

    public bool IsStereo => (Value & 0x04) != 0;

    /// <summary>The low two bits, c: 0, 1, 2 or 3 (see the table).</summary>
    public int FrameCountCode => Value & 0x03;

    public OpusMode Mode => Config switch
    {
        < 12 => OpusMode.Silk,
        < 16 => OpusMode.Hybrid,
        _ => OpusMode.Celt,
    };

    public OpusBandwidth Bandwidth => Config switch
    {
        < 4 => OpusBandwidth.Narrowband,
        < 8 => OpusBandwidth.Mediumband,
        < 12 => OpusBandwidth.Wideband,
        < 14 => OpusBandwidth.SuperWideband,
        < 16 => OpusBandwidth.Fullband,
        < 20 => OpusBandwidth.Narrowband,
        < 24 => OpusBandwidth.Wideband,
        < 28 => OpusBandwidth.SuperWideband,
        _ => OpusBandwidth.Fullband,
    };

    /// <summary>One frame's duration in 48 kHz samples: 120 (2.5 ms) to 2880 (60 ms).</summary>
    public int FrameSamplesAt48k => Config switch
    {
        // SILK: 10, 20, 40, 60 ms by the low two bits.
        < 12 => (Config & 3) == 3 ? 2880 : 480 << (Config & 3),

        // Hybrid: 10 or 20 ms by the lowest bit.
        < 16 => 480 << (Config & 1),

        // CELT: 2.5, 5, 10, 20 ms by the low two bits.
        _ => 120 << (Config & 3),
    };

    public static bool operator ==(OpusToc left, OpusToc right) => left.Value == right.Value;

    public static bool operator !=(OpusToc left, OpusToc right) => left.Value != right.Value;

    /// <summary>
    /// The frame count of an Opus packet: 1, 2, or M from the count byte for code 3. False for an
    /// empty payload, code 2 without its length byte, code 3 without its count byte or with M = 0,
    /// or more than 120 ms in total.
    /// </summary>
    public static bool TryGetFrameCount(ReadOnlySpan<byte> payload, out int frames)
    {
        frames = 0;
        if (payload.IsEmpty)
        {
            return false;
        }

        var toc = new OpusToc(payload[0]);
        var count = toc.FrameCountCode switch
        {
            0 => 1,
            1 => 2,
            2 => payload.Length >= 2 ? 2 : 0,
            _ => payload.Length >= 2 ? payload[1] & 0x3F : 0,
        };
        if (count == 0 || count * toc.FrameSamplesAt48k > MaxSamplesPerPacket)
        {
            return false;
        }

        frames = count;
        return true;
    }

    /// <summary>The packet's duration in 48 kHz samples (the RTP timestamp step it should advance); see <see cref="TryGetFrameCount"/>.</summary>
    public static bool TryGetSampleCount(ReadOnlySpan<byte> payload, out int samplesAt48k)
    {
        if (!TryGetFrameCount(payload, out var frames))
        {
            samplesAt48k = 0;
            return false;
        }

        samplesAt48k = frames * new OpusToc(payload[0]).FrameSamplesAt48k;
        return true;
    }

    public bool Equals(OpusToc other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is OpusToc other && Equals(other);

    public override int GetHashCode() => Value;
}

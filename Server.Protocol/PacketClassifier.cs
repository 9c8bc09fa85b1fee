namespace MediaServer.Protocol;

/// <summary>
/// Demultiplexes STUN, DTLS, SRTP and SRTCP sharing one UDP port by the first byte
/// (RFC 7983 §7), and RTP from RTCP by the second (RFC 5761 §4):
/// <code>
///                  +----------------+
///                  |        [0..3] -+--> STUN          (RFC 8489; header is 20 bytes)
///                  |                |
///                  |      [16..19] -+--> ZRTP          (RFC 6189)
///                  |                |
///      packet -->  |      [20..63] -+--> DTLS          (record header is 13 bytes)
///                  |                |
///                  |      [64..79] -+--> TURN Channel  (RFC 8656 §12; header is 4 bytes)
///                  |                |
///                  |    [128..191] -+--> RTP/RTCP      (version 2)
///                  +----------------+
///
///   RTP/RTCP: second byte (marker + payload type for RTP, packet type for RTCP)
///     [192..223] -> RTCP (SR 200, RR 201, ... ; RTP payload types 64-95 are never used with
///                  rtcp-mux, RFC 5761 §4), anything else -> RTP
/// </code>
/// Packets too short for their kind's fixed header are <see cref="PacketKind.Unknown"/>, so a
/// caller never hands a stub to a parser that would only refuse it. Stateless and thread-safe.
/// </summary>
public static class PacketClassifier
{
    public const int MinStunLength = 20;
    public const int MinZrtpLength = 12;
    public const int MinDtlsLength = 13;
    public const int MinTurnChannelLength = 4;
    public const int MinRtpLength = 12;
    public const int MinRtcpLength = 8;

    public static PacketKind Classify(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        var first = packet[0];
        return first switch
        {
            <= 3 => packet.Length >= MinStunLength ? PacketKind.Stun : PacketKind.Unknown,
            >= 16 and <= 19 => packet.Length >= MinZrtpLength ? PacketKind.Zrtp : PacketKind.Unknown,
            >= 20 and <= 63 => packet.Length >= MinDtlsLength ? PacketKind.Dtls : PacketKind.Unknown,
            >= 64 and <= 79 => packet.Length >= MinTurnChannelLength ? PacketKind.TurnChannel : PacketKind.Unknown,
            >= 128 and <= 191 => ClassifyRtp(packet),
            _ => PacketKind.Unknown,
        };
    }

    public static bool IsStun(ReadOnlySpan<byte> packet) => Classify(packet) == PacketKind.Stun;

    public static bool IsDtls(ReadOnlySpan<byte> packet) => Classify(packet) == PacketKind.Dtls;

    public static bool IsRtp(ReadOnlySpan<byte> packet) => Classify(packet) == PacketKind.Rtp;

    public static bool IsRtcp(ReadOnlySpan<byte> packet) => Classify(packet) == PacketKind.Rtcp;

    private static PacketKind ClassifyRtp(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 2)
        {
            return PacketKind.Unknown;
        }

        if (packet[1] is >= 192 and <= 223)
        {
            return packet.Length >= MinRtcpLength ? PacketKind.Rtcp : PacketKind.Unknown;
        }

        return packet.Length >= MinRtpLength ? PacketKind.Rtp : PacketKind.Unknown;
    }
}

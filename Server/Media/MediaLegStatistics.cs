namespace MediaServer.Media;

/// <summary>
/// A media leg's counts over its life (see <see cref="MediaLeg.Statistics"/>): the agreed
/// codecs (<c>opus/48000</c>, <c>VP8/90000</c>; null when that kind was not agreed), RTP
/// packets we sent and received, packets lost of what we received (RFC 3550 A.3), audio
/// interarrival jitter in ms, the peer's own count of what it lost of ours, and the
/// round-trip time from its RTCP report blocks when it sent any.
/// </summary>
internal readonly record struct MediaLegStatistics(
    string? AudioCodec,
    string? VideoCodec,
    long PacketsSent,
    long PacketsReceived,
    long PacketsLost,
    double JitterMs,
    long PeerReportedLost,
    double? RoundTripMs);

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// The outcome of offer/answer for one m= line, what the media plane sets a stream up from.
/// One per m= line of the offer, in order, rejected ones included. Codecs carry the payload
/// types of the offer (RFC 3264 §6.1: the answerer uses the offerer's numbers), and the
/// remote side's fmtp.
/// </summary>
public sealed class NegotiatedMedia
{
    public required int Index { get; init; }

    public required MediaKind Kind { get; init; }

    public string? Mid { get; init; }

    public required bool Accepted { get; init; }

    /// <summary>What we do on this line: send and/or receive.</summary>
    public MediaDirection LocalDirection { get; init; } = MediaDirection.Inactive;

    /// <summary>The codec we send with and expect first; null when rejected.</summary>
    public RtpCodec? Codec { get; init; }

    /// <summary>Every accepted codec in preference order (<see cref="Codec"/> first), telephone-event not included.</summary>
    public IReadOnlyList<RtpCodec> Codecs { get; init; } = [];

    /// <summary>RFC 4733 events at the clock rate of <see cref="Codec"/>, if the peer offers them.</summary>
    public RtpCodec? TelephoneEvent { get; init; }

    /// <summary>SSRCs the peer announced with a=ssrc (may be empty: SSRCs are learnt from packets then).</summary>
    public IReadOnlyList<uint> RemoteSsrcs { get; init; } = [];

    public uint LocalSsrc { get; init; }

    /// <summary>Opus in stereo both ways: we asked for it and the peer's fmtp says stereo=1.</summary>
    public bool Stereo { get; init; }

    /// <summary>rtcp-fb values both sides use for <see cref="Codec"/>: a subset of nack, nack pli, ccm fir, goog-remb.</summary>
    public IReadOnlyList<string> Feedback { get; init; } = [];

    /// <summary>Why the line was rejected, for logs; null when accepted.</summary>
    public string? RejectReason { get; init; }
}

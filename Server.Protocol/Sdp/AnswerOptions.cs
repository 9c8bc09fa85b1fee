namespace MediaServer.Protocol.Sdp;

/// <summary>What <see cref="OfferAnswer.TryCreateAnswer"/> needs to know about our side of a call leg.</summary>
public sealed class AnswerOptions
{
    public required LocalTransport Transport { get; set; }

    public required CodecList Codecs { get; set; }

    /// <summary>Our SSRC for m= line n of kind k; called once per accepted line.</summary>
    public required Func<int, MediaKind, uint> LocalSsrc { get; set; }

    /// <summary>RTCP CNAME for our a=ssrc lines (RFC 7022: one per endpoint and call).</summary>
    public string Cname { get; set; } = "mediaserver";

    /// <summary>The msid stream id of our tracks (RFC 8830 §2).</summary>
    public string StreamId { get; set; } = "mediaserver";

    /// <summary>Ask for opus stereo (stereo=1; sprop-stereo=1 in our fmtp).</summary>
    public bool Stereo { get; set; }

    /// <summary>What we would like to do on audio lines; intersected with what the offer allows.</summary>
    public MediaDirection AudioDirection { get; set; } = MediaDirection.SendRecv;

    /// <summary>What we would like to do on video lines; intersected with what the offer allows.</summary>
    public MediaDirection VideoDirection { get; set; } = MediaDirection.SendRecv;

    /// <summary>o= session version of the answer; increase it for each new answer in the session.</summary>
    public int Version { get; set; } = 1;

    /// <summary>o= session id of the answer; 0 picks a random one.</summary>
    public long SessionId { get; set; }
}

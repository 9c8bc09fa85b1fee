namespace MediaServer.Protocol.Sdp;

/// <summary>What <see cref="OfferAnswer.CreateOffer"/> needs: our transport, codecs, tracks and session version.</summary>
public sealed class OfferOptions
{
    public required LocalTransport Transport { get; set; }

    public required CodecList Codecs { get; set; }

    public bool Audio { get; set; } = true;

    public bool Video { get; set; }

    public MediaDirection AudioDirection { get; set; } = MediaDirection.SendRecv;

    public MediaDirection VideoDirection { get; set; } = MediaDirection.SendRecv;

    public uint AudioSsrc { get; set; }

    public uint VideoSsrc { get; set; }

    public string Cname { get; set; } = "mediaserver";

    public string StreamId { get; set; } = "mediaserver";

    /// <summary>Offer opus with stereo=1; sprop-stereo=1.</summary>
    public bool Stereo { get; set; }

    /// <summary>
    /// Payload types to use instead of ours, e.g. the other leg's, so packets can be relayed
    /// without rewriting. Keys: "opus", "pcmu", "pcma", "vp8", "telephone-event/8000",
    /// "telephone-event/48000" (lowercase). Values outside 0-127 or used twice are ignored.
    /// </summary>
    public IReadOnlyDictionary<string, int>? PreferredPayloadTypes { get; set; }

    /// <summary>o= session id; keep it for the life of the session (RFC 8866 §5.2).</summary>
    public long SessionId { get; set; }

    /// <summary>o= session version; increase it with every new offer of the session.</summary>
    public int Version { get; set; } = 1;
}

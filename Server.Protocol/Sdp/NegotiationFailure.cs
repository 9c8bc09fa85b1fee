namespace MediaServer.Protocol.Sdp;

/// <summary>Why an offer could not be answered or an answer not applied (RFC 3264 §6 and §7).</summary>
public enum NegotiationFailure
{
    None,

    /// <summary>No audio or video m= line had a codec from the configured list.</summary>
    NoCommonCodec,

    /// <summary>An m= line we would accept lacks a=ice-ufrag or a=ice-pwd (media or session level).</summary>
    MissingIceCredentials,

    /// <summary>An m= line we would accept lacks a=fingerprint (media or session level).</summary>
    MissingFingerprint,

    /// <summary>
    /// No m= line used a profile we speak: UDP/TLS/RTP/SAVPF or SAVP with rtcp-mux for WebRTC,
    /// RTP/AVP with a unicast c= address for plain RTP (<see cref="PlainRtpOfferAnswer"/>).
    /// </summary>
    UnsupportedTransport,

    /// <summary>No audio or video m= line at all (or none left enabled).</summary>
    NoMedia,

    /// <summary>The answer does not fit the offer: another number of m= lines, or a different kind in a line.</summary>
    InvalidAnswer,
}

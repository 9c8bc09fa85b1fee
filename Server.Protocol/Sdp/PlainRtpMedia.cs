using System.Net;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// What a plain-RTP negotiation agreed for the one audio stream of a SIP leg, what the media
/// plane sets its transport up from. Immutable; a re-INVITE produces a new one.
/// </summary>
public sealed class PlainRtpMedia
{
    /// <summary>The m= line (in the offer, and the same index in the answer) that carries the audio.</summary>
    public required int Index { get; init; }

    /// <summary>
    /// The G.711 codec both sides use (PCMU or PCMA, clock 8000), with the offerer's payload
    /// type (RFC 3264 §6.1: the answerer uses the offerer's numbers).
    /// </summary>
    public required RtpCodec Codec { get; init; }

    /// <summary>The payload type of RFC 4733 telephone-event/8000, or null when not agreed.</summary>
    public int? TelephoneEventPayloadType { get; init; }

    /// <summary>The packet duration the peer asked for (its a=ptime), 20 ms when it said nothing.</summary>
    public int Ptime { get; init; } = 20;

    /// <summary>
    /// Where the peer said it receives RTP (media-level c=, else session-level, and the m= port);
    /// null when it put us on hold RFC 2543 style (c=0.0.0.0) or gave no usable address.
    /// </summary>
    public IPEndPoint? RemoteRtp { get; init; }

    /// <summary>Where the peer receives RTCP: a=rtcp (RFC 3605), the RTP endpoint under rtcp-mux, else the RTP port + 1.</summary>
    public IPEndPoint? RemoteRtcp { get; init; }

    /// <summary>RTP and RTCP share one port both ways (RFC 5761): both sides said a=rtcp-mux.</summary>
    public bool RtcpMux { get; init; }

    /// <summary>
    /// The peer's direction, from its point of view, with c=0.0.0.0 read as "does not receive"
    /// (RFC 3264 §8.4 calls that the old way to put a stream on hold).
    /// </summary>
    public required MediaDirection RemoteDirection { get; init; }

    /// <summary>What we do: send only if the peer receives and we want to, receive only if it sends and we want to.</summary>
    public required MediaDirection LocalDirection { get; init; }

    /// <summary>The peer holds the call: it does not want our media (sendonly, inactive, or c=0.0.0.0).</summary>
    public bool RemoteHold => RemoteDirection is MediaDirection.SendOnly or MediaDirection.Inactive;

    public bool Sends => LocalDirection is MediaDirection.SendRecv or MediaDirection.SendOnly;

    public bool Receives => LocalDirection is MediaDirection.SendRecv or MediaDirection.RecvOnly;
}

using System.Net;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// Our side of a plain-RTP (RTP/AVP, RFC 3551) negotiation with a SIP peer: where we receive,
/// which G.711 codecs we take, and the o= line. Plain data, made per offer or answer by the
/// leg that owns the dialog's media.
/// </summary>
public sealed class PlainRtpOptions
{
    /// <summary>The address written in o= and c=: where the peer sends RTP (the public address behind NAT).</summary>
    public required IPAddress Address { get; init; }

    /// <summary>Our RTP port; RTCP is on the next one (RFC 3550 §11) unless rtcp-mux is agreed.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// The codecs allowed, in preference order. Only pcmu and pcma are used: a plain leg speaks
    /// G.711 (architecture.md "SIP gateway"); other names in the list are skipped.
    /// </summary>
    public CodecList Codecs { get; init; } = CodecList.Default;

    /// <summary>Whether RFC 4733 telephone-event/8000 is offered and accepted.</summary>
    public bool TelephoneEvent { get; init; } = true;

    /// <summary>The telephone-event payload type our own offers use (the dynamic one most SIP devices pick).</summary>
    public int TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>What we want to do: SendRecv normally; SendOnly or Inactive to put the peer on hold.</summary>
    public MediaDirection Direction { get; init; } = MediaDirection.SendRecv;

    /// <summary>
    /// Offer rtcp-mux (RFC 5761 §5.1.1) and accept it when the peer offers it. RTCP keeps its
    /// own port either way, so a peer that ignores the attribute still reaches us.
    /// </summary>
    public bool RtcpMux { get; init; } = true;

    /// <summary>The o= session id; 0 picks a random one. Fixed for the whole dialog.</summary>
    public long SessionId { get; init; }

    /// <summary>The o= version: RFC 3264 §8 wants it one higher whenever our description changes within the dialog.</summary>
    public long Version { get; init; } = 1;

    /// <summary>Packet duration we send and ask for (a=ptime, RFC 8866 §6.4): the mixer's 20 ms frame.</summary>
    public int Ptime { get; init; } = 20;
}

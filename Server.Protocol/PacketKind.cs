namespace MediaServer.Protocol;

/// <summary>What arrived on a media socket, from its first bytes (RFC 7983 §7).</summary>
public enum PacketKind
{
    Unknown,
    Stun,
    Zrtp,
    Dtls,
    TurnChannel,
    Rtp,
    Rtcp,
}

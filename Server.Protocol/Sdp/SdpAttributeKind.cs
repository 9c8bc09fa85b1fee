namespace MediaServer.Protocol.Sdp;

/// <summary>
/// The attributes the model gives a field of its own. The parser notes the order it met them
/// in (<see cref="SdpLayoutSlot"/>) so a description writes back in its original order; the
/// members are listed in the order the writer uses when there is no such record (Chromium's order).
/// </summary>
internal enum SdpAttributeKind
{
    IceLite,
    Candidate,
    EndOfCandidates,
    IceUfrag,
    IcePwd,
    Fingerprint,
    Setup,
    Group,
    MsidSemantic,
    Mid,
    Extmap,
    Direction,
    Msid,
    RtcpMux,
    RtcpRsize,
    RtcpFbWildcard,
    Rtpmap,
    RtcpFb,
    Fmtp,
    SsrcGroup,
    Ssrc,
    Other,
}

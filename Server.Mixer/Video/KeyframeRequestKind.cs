namespace MediaServer.Mixer.Video;

/// <summary>How to ask a video sender for a keyframe.</summary>
public enum KeyframeRequestKind
{
    /// <summary>Picture Loss Indication (RFC 4585 §6.3.1): the sender may answer with a keyframe.</summary>
    Pli,

    /// <summary>Full Intra Request (RFC 5104 §4.3.1): the sender must send a keyframe.</summary>
    Fir,
}

namespace MediaServer.Protocol.Sdp;

/// <summary>The &lt;media&gt; field of an m= line (RFC 8866 §5.14); anything but the three WebRTC kinds is <see cref="Other"/>.</summary>
public enum MediaKind
{
    Audio,
    Video,
    Application,
    Other,
}

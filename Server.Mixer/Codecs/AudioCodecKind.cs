namespace MediaServer.Mixer.Codecs;

/// <summary>The audio codecs a conference member may use on its leg.</summary>
public enum AudioCodecKind
{
    Opus,
    Pcmu,
    Pcma,
}

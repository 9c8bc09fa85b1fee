namespace MediaServer.Mixer.Video;

/// <summary>How a canvas source reports upward: its sender should make a keyframe (the canvas cannot decode without one).</summary>
public interface IVideoSourceListener
{
    /// <summary>Any thread (the receive thread or the canvas thread); must not block.</summary>
    void OnKeyframeNeeded(VideoSource source, KeyframeRequestKind kind);
}

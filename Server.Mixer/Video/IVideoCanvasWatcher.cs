namespace MediaServer.Mixer.Video;

/// <summary>Someone who is sent a canvas: gets every packet of every encoded canvas frame, in order, on the canvas thread.</summary>
public interface IVideoCanvasWatcher
{
    /// <summary>One RTP payload (VP8 descriptor included) of the canvas stream; <paramref name="payload"/> is valid only during the call.</summary>
    void OnCanvasPacket(ReadOnlySpan<byte> payload, bool marker, uint timestamp);
}

namespace MediaServer.Mixer.Video;

/// <summary>Takes every encoded canvas frame whole (a recording): called on the canvas thread.</summary>
public interface ICanvasFrameSink
{
    /// <summary>One VP8 frame; <paramref name="frame"/> is valid only during the call; <paramref name="nowMs"/> is the tick's clock (Environment.TickCount64).</summary>
    void OnCanvasFrame(ReadOnlySpan<byte> frame, bool keyframe, long nowMs);
}

namespace MediaServer.Mixer.Video;

/// <summary>Where a conference member's incoming VP8 RTP goes (its source on the canvas). Called on the media receive thread.</summary>
public interface IVideoInput
{
    void OnRtp(ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, bool marker, long nowMs);
}

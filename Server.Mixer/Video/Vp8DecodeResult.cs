namespace MediaServer.Mixer.Video;

/// <summary>What <see cref="Vp8Decoder.Decode"/> made of one frame.</summary>
public enum Vp8DecodeResult
{
    /// <summary>A picture came out.</summary>
    Decoded,

    /// <summary>The frame was accepted but shows nothing (e.g. a hidden frame), or no pool frame was free for the picture.</summary>
    NoPicture,

    /// <summary>The data is not decodable VP8, or the picture depends on corrupt data: ask the sender for a keyframe.</summary>
    Corrupt,
}

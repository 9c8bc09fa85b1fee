namespace MediaServer.Mixer.Codecs;

/// <summary>
/// Where a mixer gets its encoders and decoders. The server uses the native codecs
/// (<see cref="NativeAudioCodecProvider"/>); the mixer's own tests use a lossless PCM codec so
/// they can check every mixed sample exactly.
/// </summary>
public interface IAudioCodecProvider
{
    IAudioEncoder CreateEncoder(AudioCodecSettings settings);

    IAudioDecoder CreateDecoder(AudioCodecKind kind, int channels);
}

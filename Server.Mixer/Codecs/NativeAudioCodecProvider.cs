namespace MediaServer.Mixer.Codecs;

/// <summary>libopus and our G.711, through <see cref="AudioCodecFactory"/>.</summary>
public sealed class NativeAudioCodecProvider : IAudioCodecProvider
{
    public static NativeAudioCodecProvider Instance { get; } = new();

    public IAudioEncoder CreateEncoder(AudioCodecSettings settings) => AudioCodecFactory.CreateEncoder(settings);

    public IAudioDecoder CreateDecoder(AudioCodecKind kind, int channels) => AudioCodecFactory.CreateDecoder(kind, channels);
}

namespace MediaServer.Mixer.Codecs;

/// <summary>Makes the encoder or decoder a leg's negotiated codec needs. Stateless; any thread.</summary>
public static class AudioCodecFactory
{
    /// <exception cref="Interop.NativeLibraryMissingException">Opus was asked for and libopus0 is not installed.</exception>
    public static IAudioEncoder CreateEncoder(AudioCodecSettings settings) => settings.Kind switch
    {
        AudioCodecKind.Opus => new OpusAudioEncoder(settings),
        AudioCodecKind.Pcmu or AudioCodecKind.Pcma => new G711AudioEncoder(settings.Kind),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown audio codec."),
    };

    /// <param name="kind">The leg's codec.</param>
    /// <param name="channels">The leg's channel count: 2 for stereo Opus, else 1 (G.711 ignores it).</param>
    /// <exception cref="Interop.NativeLibraryMissingException">Opus was asked for and libopus0 is not installed.</exception>
    public static IAudioDecoder CreateDecoder(AudioCodecKind kind, int channels) => kind switch
    {
        AudioCodecKind.Opus => new OpusAudioDecoder(channels),
        AudioCodecKind.Pcmu or AudioCodecKind.Pcma => new G711AudioDecoder(kind),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown audio codec."),
    };
}

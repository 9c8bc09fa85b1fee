using MediaServer.Mixer.Audio;

namespace MediaServer.Mixer.Codecs;

/// <summary>
/// Turns one leg's RTP payloads into mixer PCM: mono, 48 kHz (<see cref="MixerFormat"/>),
/// downmixed and resampled inside as the codec needs. Not thread-safe: one mixer thread uses it.
/// </summary>
public interface IAudioDecoder : IDisposable
{
    AudioCodecKind Kind { get; }

    /// <summary>
    /// Decodes one payload into <paramref name="pcm"/>; returns the samples written (960 for
    /// 20 ms; up to 5760 for a 120 ms Opus packet), or -1 when the payload is corrupt (the
    /// caller conceals instead). Never allocates.
    /// </summary>
    int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>Fills <paramref name="pcm"/> (its whole length, a multiple of 2.5 ms) with packet loss concealment; returns the samples written.</summary>
    int Conceal(Span<short> pcm);

    /// <summary>
    /// Rebuilds the frame lost just before <paramref name="nextPayload"/> from the in-band FEC
    /// that packet carries (Opus). False when the codec or the packet has none; then conceal.
    /// </summary>
    bool TryDecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, out int written);
}

using MediaServer.Mixer.Audio;

namespace MediaServer.Mixer.Codecs;

/// <summary>Turns mixer frames (<see cref="MixerFormat"/>) into RTP payloads of one codec. Not thread-safe: one mixer thread uses it.</summary>
public interface IAudioEncoder : IDisposable
{
    AudioCodecSettings Settings { get; }

    /// <summary>
    /// Encodes one 20 ms mono 48 kHz frame (exactly <see cref="MixerFormat.FrameSamples"/>
    /// samples; upmixed and resampled inside as the codec needs). Returns the payload length
    /// written to <paramref name="payload"/>; never allocates.
    /// </summary>
    int Encode(ReadOnlySpan<short> frame, Span<byte> payload);
}

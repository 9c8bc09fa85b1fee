using MediaServer.Mixer.Audio;
using MediaServer.Protocol.Payload;

namespace MediaServer.Mixer.Codecs;

/// <summary>
/// PCMU or PCMA decoder for one member's leg: expands each byte to an 8 kHz sample, then
/// interpolates to 48 kHz (6 output samples per payload byte). Losses are concealed at 8 kHz
/// by <see cref="G711Concealment"/> and pass through the same resampler, so the filter history
/// stays continuous across a gap. Owned by the member's receive path, used by the mixer thread only.
/// </summary>
public sealed class G711AudioDecoder : IAudioDecoder
{
    /// <summary>48 kHz samples per 8 kHz sample.</summary>
    private const int Upsampling = MixerFormat.SampleRate / G711.ClockRate;

    /// <summary>8 kHz samples handled per pass: 20 ms, the usual payload.</summary>
    private const int ChunkSamples = G711.ClockRate / 1000 * MixerFormat.FrameMs;

    private readonly Resampler _resampler = new(G711.ClockRate, MixerFormat.SampleRate);
    private readonly G711Concealment _concealment = new();
    private readonly short[] _narrowband = new short[ChunkSamples];

    public G711AudioDecoder(AudioCodecKind kind)
    {
        if (kind is not (AudioCodecKind.Pcmu or AudioCodecKind.Pcma))
        {
            throw new ArgumentException($"{kind} is not G.711.", nameof(kind));
        }

        Kind = kind;
    }

    public AudioCodecKind Kind { get; }

    /// <inheritdoc/>
    /// <remarks>Any payload length (160 bytes for 20 ms, 240 for 30 ms, ...); -1 only when <paramref name="pcm"/> cannot hold 6 samples per byte.</remarks>
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if ((long)payload.Length * Upsampling > pcm.Length)
        {
            return -1;
        }

        var written = 0;
        while (!payload.IsEmpty)
        {
            var count = Math.Min(ChunkSamples, payload.Length);
            var narrowband = _narrowband.AsSpan(0, count);
            if (Kind == AudioCodecKind.Pcmu)
            {
                G711.DecodeUlaw(payload[..count], narrowband);
            }
            else
            {
                G711.DecodeAlaw(payload[..count], narrowband);
            }

            _concealment.Receive(narrowband);
            written += _resampler.Process(narrowband, pcm[written..]);
            payload = payload[count..];
        }

        return written;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The length is not a multiple of 6 samples (one 8 kHz sample).</exception>
    public int Conceal(Span<short> pcm)
    {
        if (pcm.Length % Upsampling != 0)
        {
            throw new ArgumentException("G.711 conceals whole 8 kHz samples: a multiple of 6 output samples.", nameof(pcm));
        }

        var written = 0;
        var remaining = pcm.Length / Upsampling;
        while (remaining > 0)
        {
            var narrowband = _narrowband.AsSpan(0, Math.Min(ChunkSamples, remaining));
            _concealment.Conceal(narrowband);
            written += _resampler.Process(narrowband, pcm[written..]);
            remaining -= narrowband.Length;
        }

        return written;
    }

    /// <summary>G.711 carries no redundancy: always false, and the caller conceals.</summary>
    public bool TryDecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, out int written)
    {
        written = 0;
        return false;
    }

    /// <summary>Nothing native to free; present because decoders are disposable.</summary>
    public void Dispose()
    {
    }
}

using MediaServer.Mixer.Audio;
using MediaServer.Protocol.Payload;

namespace MediaServer.Mixer.Codecs;

/// <summary>
/// PCMU or PCMA (RFC 3551 §4.5.14) encoder for one mix: the 48 kHz frame is low-passed and
/// decimated to 8 kHz, then companded, giving 160 bytes per 20 ms. The resampler's history
/// makes this stateful, so one instance serves one outgoing stream. Used by the mixer thread only.
/// </summary>
public sealed class G711AudioEncoder : IAudioEncoder
{
    /// <summary>Payload bytes per 20 ms frame: one byte per 8 kHz sample.</summary>
    public const int FrameBytes = G711.ClockRate / 1000 * MixerFormat.FrameMs;

    private readonly Resampler _resampler = new(MixerFormat.SampleRate, G711.ClockRate);
    private readonly short[] _narrowband = new short[FrameBytes];

    public G711AudioEncoder(AudioCodecKind kind)
    {
        if (kind is not (AudioCodecKind.Pcmu or AudioCodecKind.Pcma))
        {
            throw new ArgumentException($"{kind} is not G.711.", nameof(kind));
        }

        Settings = AudioCodecSettings.G711(kind);
    }

    public AudioCodecSettings Settings { get; }

    /// <inheritdoc/>
    /// <remarks>Always returns <see cref="FrameBytes"/> (160).</remarks>
    public int Encode(ReadOnlySpan<short> frame, Span<byte> payload)
    {
        if (frame.Length != MixerFormat.FrameSamples)
        {
            throw new ArgumentException($"A mixer frame is {MixerFormat.FrameSamples} samples.", nameof(frame));
        }

        if (payload.Length < FrameBytes)
        {
            throw new ArgumentException($"A G.711 frame is {FrameBytes} bytes.", nameof(payload));
        }

        _resampler.Process(frame, _narrowband);
        if (Settings.Kind == AudioCodecKind.Pcmu)
        {
            G711.EncodeUlaw(_narrowband, payload);
        }
        else
        {
            G711.EncodeAlaw(_narrowband, payload);
        }

        return FrameBytes;
    }

    /// <summary>Nothing native to free; present because encoders are disposable.</summary>
    public void Dispose()
    {
    }
}

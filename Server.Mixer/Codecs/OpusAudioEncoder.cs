using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Codecs;

/// <summary>
/// Opus (RFC 6716, RTP per RFC 7587) encoder for one mix: 48 kHz, 20 ms frames, mono or stereo,
/// tuned for speech (OPUS_APPLICATION_VOIP). A stereo leg gets the mono mix on both channels;
/// libopus notices the zero side signal and spends no bits on it. Owned by whoever encodes a
/// mix (one encode may be shared by members with equal <see cref="Settings"/>) and used by the
/// mixer thread only; <see cref="Bitrate"/>, <see cref="Complexity"/> and
/// <see cref="PacketLossPercent"/> may be changed between frames, e.g. to shed CPU under load.
/// </summary>
public sealed unsafe class OpusAudioEncoder : IAudioEncoder
{
    /// <summary>The loss rate FEC is tuned for until the caller sets one from RTCP reports.</summary>
    public const int DefaultPacketLossPercent = 10;

    private readonly OpusEncoderHandle _handle;

    /// <summary>Interleaved L/R copy of the mono frame for stereo legs; null for mono.</summary>
    private readonly short[]? _stereo;

    private int _packetLossPercent;

    public OpusAudioEncoder(AudioCodecSettings settings)
    {
        if (settings.Kind != AudioCodecKind.Opus)
        {
            throw new ArgumentException($"An Opus encoder cannot encode {settings.Kind}.", nameof(settings));
        }

        if (settings.Channels is not (1 or 2))
        {
            throw new ArgumentException("Opus legs have 1 or 2 channels.", nameof(settings));
        }

        CheckBitrate(settings.Bitrate);
        CheckComplexity(settings.Complexity);
        LibOpus.EnsureAvailable();

        int error;
        _handle = LibOpusNative.EncoderCreate(MixerFormat.SampleRate, settings.Channels, (int)settings.Application, &error);
        if (error != LibOpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new InvalidOperationException($"opus_encoder_create failed: {LibOpus.ErrorText(error)}.");
        }

        Settings = settings;
        if (settings.Channels == 2)
        {
            _stereo = new short[MixerFormat.FrameSamples * 2];
        }

        Control(LibOpusNative.SetBitrateRequest, settings.Bitrate);
        Control(LibOpusNative.SetComplexityRequest, settings.Complexity);
        Control(LibOpusNative.SetInbandFecRequest, settings.Fec ? 1 : 0);
        Control(LibOpusNative.SetDtxRequest, settings.Dtx ? 1 : 0);

        // libopus only spends bits on in-band FEC when it expects loss; with 0 % it sends none.
        PacketLossPercent = settings.Fec ? DefaultPacketLossPercent : 0;
    }

    public AudioCodecSettings Settings { get; private set; }

    /// <summary>Target bitrate in bits per second (500 to 512000); changes <see cref="Settings"/>.</summary>
    public int Bitrate
    {
        get => Settings.Bitrate;
        set
        {
            CheckBitrate(value);
            Control(LibOpusNative.SetBitrateRequest, value);
            Settings = Settings with { Bitrate = value };
        }
    }

    /// <summary>Encoder complexity 0 (cheapest) to 10 (best); changes <see cref="Settings"/>.</summary>
    public int Complexity
    {
        get => Settings.Complexity;
        set
        {
            CheckComplexity(value);
            Control(LibOpusNative.SetComplexityRequest, value);
            Settings = Settings with { Complexity = value };
        }
    }

    /// <summary>
    /// The packet loss the receivers see, 0-100: libopus sizes its FEC (and may drop to a more
    /// robust mode) by it. Not part of <see cref="Settings"/>: it does not change what a decoder needs.
    /// </summary>
    public int PacketLossPercent
    {
        get => _packetLossPercent;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100);
            Control(LibOpusNative.SetPacketLossPercRequest, value);
            _packetLossPercent = value;
        }
    }

    /// <summary>The complexity libopus itself reports (OPUS_GET_COMPLEXITY): proof that a runtime change reached the codec.</summary>
    public int NativeComplexity
    {
        get
        {
            int value;
            Check(LibOpusNative.EncoderCtl(_handle, LibOpusNative.GetComplexityRequest, &value), "OPUS_GET_COMPLEXITY");
            return value;
        }
    }

    /// <summary>The encoder's algorithmic delay in 48 kHz samples (OPUS_GET_LOOKAHEAD).</summary>
    public int Lookahead
    {
        get
        {
            int value;
            Check(LibOpusNative.EncoderCtl(_handle, LibOpusNative.GetLookaheadRequest, &value), "OPUS_GET_LOOKAHEAD");
            return value;
        }
    }

    /// <summary>The handle, for benchmarks that call libopus directly on the same state.</summary>
    internal OpusEncoderHandle Handle => _handle;

    /// <inheritdoc/>
    /// <remarks>With DTX on, a silent frame yields a 1-2 byte packet; it is still returned and should be sent.</remarks>
    public int Encode(ReadOnlySpan<short> frame, Span<byte> payload)
    {
        if (frame.Length != MixerFormat.FrameSamples)
        {
            throw new ArgumentException($"A mixer frame is {MixerFormat.FrameSamples} samples.", nameof(frame));
        }

        int result;
        fixed (byte* data = payload)
        {
            if (_stereo is null)
            {
                fixed (short* pcm = frame)
                {
                    result = LibOpusNative.Encode(_handle, pcm, MixerFormat.FrameSamples, data, payload.Length);
                }
            }
            else
            {
                var stereo = _stereo;
                for (var i = 0; i < frame.Length; i++)
                {
                    stereo[2 * i] = frame[i];
                    stereo[(2 * i) + 1] = frame[i];
                }

                fixed (short* pcm = stereo)
                {
                    result = LibOpusNative.Encode(_handle, pcm, MixerFormat.FrameSamples, data, payload.Length);
                }
            }
        }

        // Only a payload buffer too small for any packet or a disposed encoder gets here.
        Check(result, "opus_encode");
        return result;
    }

    public void Dispose() => _handle.Dispose();

    private static void CheckBitrate(int bitrate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitrate, 500, nameof(bitrate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitrate, 512000, nameof(bitrate));
    }

    private static void CheckComplexity(int complexity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(complexity, nameof(complexity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(complexity, 10, nameof(complexity));
    }

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"{call} failed: {LibOpus.ErrorText(result)}.");
        }
    }

    private void Control(int request, int value) => Check(LibOpusNative.EncoderCtl(_handle, request, value), "opus_encoder_ctl");
}

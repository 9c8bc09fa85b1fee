using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Codecs;

/// <summary>
/// Opus decoder for one member's leg, always delivering mono 48 kHz (<see cref="MixerFormat"/>).
/// A stereo leg is decoded with two channels and averaged down, so the mono mix keeps both
/// sides of a stereo source; a mono leg lets libopus downmix any stereo packet itself. Owned
/// by the member's receive path and used by the mixer thread only.
/// </summary>
public sealed unsafe class OpusAudioDecoder : IAudioDecoder
{
    /// <summary>The longest Opus packet, 120 ms at 48 kHz, in samples per channel.</summary>
    public const int MaxPacketSamples = 5760;

    /// <summary>libopus decodes and conceals in multiples of 2.5 ms.</summary>
    private const int GranuleSamples = MixerFormat.SampleRate / 400;

    /// <summary>RFC 6716 §3.1: configurations 16-31 are CELT-only, which has no LBRR (FEC) layer.</summary>
    private const int FirstCeltOnlyConfig = 16;

    private readonly OpusDecoderHandle _handle;

    /// <summary>Interleaved output of a stereo decoder before the downmix; null for mono.</summary>
    private readonly short[]? _stereo;

    /// <param name="channels">2 when the leg negotiated stereo (useStereo / stereo=1), else 1.</param>
    public OpusAudioDecoder(int channels)
    {
        if (channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Opus legs have 1 or 2 channels.");
        }

        LibOpus.EnsureAvailable();
        int error;
        _handle = LibOpusNative.DecoderCreate(MixerFormat.SampleRate, channels, &error);
        if (error != LibOpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new InvalidOperationException($"opus_decoder_create failed: {LibOpus.ErrorText(error)}.");
        }

        Channels = channels;
        if (channels == 2)
        {
            _stereo = new short[MaxPacketSamples * 2];
        }
    }

    public AudioCodecKind Kind => AudioCodecKind.Opus;

    /// <summary>The channels the decoder runs with (the output is mono either way).</summary>
    public int Channels { get; }

    /// <summary>The handle, for benchmarks that call libopus directly on the same state.</summary>
    internal OpusDecoderHandle Handle => _handle;

    /// <summary>
    /// Whether <paramref name="packet"/> carries in-band FEC (an LBRR frame) for the packet
    /// before it. RFC 6716 §4.2.3: the SILK layer opens with one VAD flag per 20 ms SILK frame
    /// and then the LBRR flag, for the mid channel and then (stereo) the side channel; the
    /// encoder writes these first flags as raw bits at the top of the first frame's first byte.
    /// libopus 1.3 has no opus_packet_has_lbrr, hence this. False for CELT-only and malformed packets.
    /// </summary>
    public static bool HasFec(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty || packet[0] >> 3 >= FirstCeltOnlyConfig)
        {
            return false;
        }

        LibOpus.EnsureAvailable();
        byte** frames = stackalloc byte*[48];
        short* sizes = stackalloc short[48];
        int samplesPerFrame;
        int count;
        fixed (byte* data = packet)
        {
            samplesPerFrame = LibOpusNative.PacketGetSamplesPerFrame(data, MixerFormat.SampleRate);
            count = LibOpusNative.PacketParse(data, packet.Length, null, frames, sizes, null);
            if (count <= 0 || sizes[0] == 0)
            {
                return false;
            }

            // 10 and 20 ms Opus frames hold one SILK frame; 40 and 60 ms hold two and three.
            var silkFrames = Math.Max(1, samplesPerFrame / MixerFormat.FrameSamples);
            var first = *frames[0];
            var lbrr = (first >> (7 - silkFrames)) & 1;
            if ((packet[0] & 0x04) != 0)
            {
                lbrr |= (first >> (6 - (2 * silkFrames))) & 1;
            }

            return lbrr != 0;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Any legal duration from 2.5 to 120 ms; -1 when the packet is malformed or longer than
    /// <paramref name="pcm"/>. An empty payload is -1 too: libopus would treat it as a loss.
    /// </remarks>
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty)
        {
            return -1;
        }

        fixed (byte* data = payload)
        {
            var samples = LibOpusNative.PacketGetNbSamples(data, payload.Length, MixerFormat.SampleRate);
            if (samples <= 0 || samples > pcm.Length || samples > MaxPacketSamples)
            {
                return -1;
            }

            var decoded = Run(data, payload.Length, pcm[..samples], fec: false);
            return decoded < 0 ? -1 : decoded;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The length is not a multiple of 2.5 ms (120 samples).</exception>
    public int Conceal(Span<short> pcm)
    {
        if (pcm.Length % GranuleSamples != 0)
        {
            throw new ArgumentException("Opus conceals in multiples of 2.5 ms (120 samples).", nameof(pcm));
        }

        for (var done = 0; done < pcm.Length;)
        {
            var chunk = pcm.Slice(done, Math.Min(MaxPacketSamples, pcm.Length - done));
            var concealed = Run(null, 0, chunk, fec: false);
            if (concealed <= 0)
            {
                // Only a disposed decoder gets here; silence is the honest concealment.
                chunk.Clear();
                concealed = chunk.Length;
            }

            done += concealed;
        }

        return pcm.Length;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <paramref name="pcm"/> is sized for the lost frame (normally 960 samples), a multiple
    /// of 2.5 ms no longer than 120 ms. False when the packet is malformed, has no LBRR frame
    /// (<see cref="HasFec"/>), or is longer than the lost frame: in each case libopus would
    /// only conceal, so the caller's <see cref="Conceal"/> is the same thing said plainly.
    /// </remarks>
    public bool TryDecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, out int written)
    {
        written = 0;
        if (pcm.Length == 0 || pcm.Length % GranuleSamples != 0 || pcm.Length > MaxPacketSamples || !HasFec(nextPayload))
        {
            return false;
        }

        fixed (byte* data = nextPayload)
        {
            if (LibOpusNative.PacketGetSamplesPerFrame(data, MixerFormat.SampleRate) > pcm.Length)
            {
                return false;
            }

            var decoded = Run(data, nextPayload.Length, pcm, fec: true);
            if (decoded < 0)
            {
                return false;
            }

            written = decoded;
            return true;
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>One opus_decode of at most 5760 samples into mono <paramref name="pcm"/>; returns samples or a negative error.</summary>
    private int Run(byte* data, int length, Span<short> pcm, bool fec)
    {
        if (_stereo is null)
        {
            fixed (short* output = pcm)
            {
                return LibOpusNative.Decode(_handle, data, length, output, pcm.Length, fec ? 1 : 0);
            }
        }

        int decoded;
        fixed (short* output = _stereo)
        {
            decoded = LibOpusNative.Decode(_handle, data, length, output, pcm.Length, fec ? 1 : 0);
        }

        if (decoded > 0)
        {
            Downmix(_stereo, pcm[..decoded]);
        }

        return decoded;
    }

    /// <summary>(L + R) / 2 per sample; the sum of two shorts fits an int, so no clipping is possible.</summary>
    private static void Downmix(ReadOnlySpan<short> interleaved, Span<short> mono)
    {
        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = (short)((interleaved[2 * i] + interleaved[(2 * i) + 1]) >> 1);
        }
    }
}

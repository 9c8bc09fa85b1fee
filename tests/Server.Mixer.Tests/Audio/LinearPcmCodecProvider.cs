using System.Buffers.Binary;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>
/// A lossless "codec" for mixer tests: samples as 16-bit little-endian bytes, so a test can
/// check every mixed sample exactly. Counts encoders made and frames encoded, to see sharing.
/// What members send is carried at half rate (each byte pair stands for two equal samples):
/// a full 20 ms frame would not fit the jitter buffer's 1500-byte slots, and the tests send
/// constant levels, for which this is still exact.
/// </summary>
public sealed class LinearPcmCodecProvider : IAudioCodecProvider
{
    public int EncodersCreated;
    public int FramesEncoded;

    public IAudioEncoder CreateEncoder(AudioCodecSettings settings)
    {
        EncodersCreated++;
        return new Encoder(this, settings);
    }

    public IAudioDecoder CreateDecoder(AudioCodecKind kind, int channels) => new Decoder(kind);

    /// <summary>A member's packet: every other sample (see the class comment).</summary>
    public static byte[] Encode(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length];
        for (var i = 0; i < samples.Length / 2; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i * 2]);
        }

        return bytes;
    }

    public static short[] Decode(ReadOnlySpan<byte> payload)
    {
        var samples = new short[payload.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(payload[(i * 2)..]);
        }

        return samples;
    }

    private sealed class Encoder(LinearPcmCodecProvider owner, AudioCodecSettings settings) : IAudioEncoder
    {
        public AudioCodecSettings Settings { get; } = settings;

        public int Encode(ReadOnlySpan<short> frame, Span<byte> payload)
        {
            owner.FramesEncoded++;
            for (var i = 0; i < frame.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(payload[(i * 2)..], frame[i]);
            }

            return frame.Length * 2;
        }

        public void Dispose()
        {
        }
    }

    private sealed class Decoder(AudioCodecKind kind) : IAudioDecoder
    {
        public AudioCodecKind Kind { get; } = kind;

        public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
        {
            for (var i = 0; i < payload.Length / 2; i++)
            {
                pcm[2 * i] = pcm[(2 * i) + 1] = BinaryPrimitives.ReadInt16LittleEndian(payload[(i * 2)..]);
            }

            return payload.Length;
        }

        public int Conceal(Span<short> pcm)
        {
            pcm.Clear();
            return pcm.Length;
        }

        public bool TryDecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, out int written)
        {
            written = 0;
            return false;
        }

        public void Dispose()
        {
        }
    }
}

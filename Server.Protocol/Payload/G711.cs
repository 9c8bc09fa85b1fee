using System.Numerics;

namespace MediaServer.Protocol.Payload;

/// <summary>
/// ITU-T G.711 companding between 16-bit linear PCM and 8-bit μ-law (PCMU) or A-law (PCMA),
/// RTP payload types 0 and 8 at 8 kHz (RFC 3551 §4.5.14).
/// <code>
///  code byte (before the inversions below):  |S| seg (3) | quant (4) |
///
///  μ-law: magnitude + 132 is split into a 3-bit segment (the position of its top bit above
///         bit 7) and the 4 bits below that top bit; the whole byte is sent inverted.
///  A-law: magnitude / 8 is split into a segment (0 for values under 32, linear there) and
///         4 quant bits; even bits are inverted (XOR 0x55), positive samples have S = 1.
/// </code>
/// Encoders truncate toward the segment's lower edge and decoders return the middle of the
/// step, as G.711 specifies, so one encode/decode loses at most half a step. Stateless,
/// thread-safe, allocation-free.
/// </summary>
public static class G711
{
    public const byte Pcmu = 0;
    public const byte Pcma = 8;
    public const int ClockRate = 8000;

    /// <summary>The encoded silence bytes, for filling gaps.</summary>
    public const byte UlawSilence = 0xFF;
    public const byte AlawSilence = 0xD5;

    private const int UlawBias = 0x84;

    /// <summary>Largest magnitude μ-law represents: with the bias it just fills 15 bits.</summary>
    private const int UlawClip = 32635;

    private static readonly short[] UlawTable = BuildTable(DecodeUlawCore);
    private static readonly short[] AlawTable = BuildTable(DecodeAlawCore);

    public static byte LinearToUlaw(short sample)
    {
        int magnitude = sample;
        var sign = 0;
        if (magnitude < 0)
        {
            magnitude = -magnitude;
            sign = 0x80;
        }

        magnitude = Math.Min(magnitude, UlawClip) + UlawBias;

        // The bias puts the top bit at 7 or above; its distance from 7 is the segment.
        var segment = 31 - BitOperations.LeadingZeroCount((uint)magnitude) - 7;
        var quant = (magnitude >> (segment + 3)) & 0x0F;
        return (byte)~(sign | (segment << 4) | quant);
    }

    public static short UlawToLinear(byte code) => UlawTable[code];

    public static byte LinearToAlaw(short sample)
    {
        // 13-bit magnitude; negatives map -1..-8 to 0 so the two halves mirror each other.
        var shifted = sample >> 3;
        var magnitude = sample >= 0 ? shifted : ~shifted;
        int segment;
        int quant;
        if (magnitude < 32)
        {
            segment = 0;
            quant = magnitude >> 1;
        }
        else
        {
            segment = 31 - BitOperations.LeadingZeroCount((uint)magnitude) - 4;
            quant = (magnitude >> segment) & 0x0F;
        }

        return (byte)(((segment << 4) | quant) ^ (sample >= 0 ? 0xD5 : 0x55));
    }

    public static short AlawToLinear(byte code) => AlawTable[code];

    /// <summary>Encodes every sample; <paramref name="destination"/> must hold one byte per sample.</summary>
    public static void EncodeUlaw(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        CheckLength(samples.Length, destination.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            destination[i] = LinearToUlaw(samples[i]);
        }
    }

    /// <summary>Decodes every byte; <paramref name="destination"/> must hold one sample per byte.</summary>
    public static void DecodeUlaw(ReadOnlySpan<byte> codes, Span<short> destination)
    {
        CheckLength(codes.Length, destination.Length);
        var table = UlawTable;
        for (var i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }
    }

    public static void EncodeAlaw(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        CheckLength(samples.Length, destination.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            destination[i] = LinearToAlaw(samples[i]);
        }
    }

    public static void DecodeAlaw(ReadOnlySpan<byte> codes, Span<short> destination)
    {
        CheckLength(codes.Length, destination.Length);
        var table = AlawTable;
        for (var i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }
    }

    private static short DecodeUlawCore(byte code)
    {
        var bits = ~code & 0xFF;
        var magnitude = (((bits & 0x0F) << 3) + UlawBias) << ((bits >> 4) & 0x07);
        return (short)((bits & 0x80) != 0 ? UlawBias - magnitude : magnitude - UlawBias);
    }

    private static short DecodeAlawCore(byte code)
    {
        var bits = code ^ 0x55;
        var quant = bits & 0x0F;
        var segment = (bits >> 4) & 0x07;

        // The +8 (segment 0) and +0x108 (leading one plus half a step) land on the step's middle.
        var magnitude = segment == 0
            ? (quant << 4) + 8
            : ((quant << 4) + 0x108) << (segment - 1);
        return (short)((bits & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static short[] BuildTable(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = decode((byte)i);
        }

        return table;
    }

    private static void CheckLength(int source, int destination)
    {
        if (destination < source)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }
    }
}

using System.Buffers.Binary;

namespace MediaServer.Tests.Infrastructure;

/// <summary>16-bit PCM WAV files for phone tests: a tone to send, and the samples of a dump to measure.</summary>
public static class WavFile
{
    public static void WriteTone(string path, int sampleRate, double seconds, double frequency, double amplitude = 0.3)
    {
        var count = (int)(sampleRate * seconds);
        var data = new byte[count * 2];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), (short)(amplitude * short.MaxValue * Math.Sin(2 * Math.PI * frequency * i / sampleRate)));
        }

        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + data.Length);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], data.Length);
        file.Write(header);
        file.Write(data);
    }

    /// <summary>The samples of a 16-bit PCM WAV (first channel) and its rate; the data chunk is found by name.</summary>
    public static (short[] Samples, int SampleRate) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24));
        var channels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22));
        var at = 12;
        while (at + 8 <= bytes.Length && !bytes.AsSpan(at, 4).SequenceEqual("data"u8))
        {
            at += 8 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
        }

        at += 8;
        var frames = Math.Max(0, (bytes.Length - at) / (2 * channels));
        var samples = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(at + (i * 2 * channels)));
        }

        return (samples, rate);
    }
}

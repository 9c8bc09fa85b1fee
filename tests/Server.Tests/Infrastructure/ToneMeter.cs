namespace MediaServer.Tests.Infrastructure;

/// <summary>Measures how much of one frequency a block of PCM holds (the Goertzel algorithm), and makes test tones.</summary>
public static class ToneMeter
{
    /// <summary>The amplitude (peak, in sample units) of the <paramref name="frequency"/> component of <paramref name="samples"/>.</summary>
    public static double Amplitude(ReadOnlySpan<short> samples, double frequency, int sampleRate = 48000)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double previous = 0, beforePrevious = 0;
        foreach (var sample in samples)
        {
            var current = sample + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        return 2 * Math.Sqrt(Math.Max(0, power)) / samples.Length;
    }

    /// <summary>One 20 ms frame (960 samples at 48 kHz) of a sine, continuing from frame number <paramref name="frame"/>.</summary>
    public static short[] SineFrame(int frame, double frequency, int amplitude)
    {
        var samples = new short[960];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = ((frame * 960L) + i) / 48000.0;
            samples[i] = (short)(amplitude * Math.Sin(2 * Math.PI * frequency * t));
        }

        return samples;
    }
}

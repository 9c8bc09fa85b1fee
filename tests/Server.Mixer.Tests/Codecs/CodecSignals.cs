namespace MediaServer.Mixer.Tests.Codecs;

/// <summary>Test signals and the measurements the codec and resampler tests make on them.</summary>
internal static class CodecSignals
{
    /// <summary>A sum of sines, each given as (frequency, amplitude), continuous from sample 0.</summary>
    public static short[] Tones(int sampleRate, int count, params (double Frequency, double Amplitude)[] tones)
    {
        var samples = new short[count];
        for (var n = 0; n < count; n++)
        {
            var value = 0.0;
            foreach (var (frequency, amplitude) in tones)
            {
                value += amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate);
            }

            samples[n] = (short)Math.Round(value);
        }

        return samples;
    }

    /// <summary>A linear sweep from <paramref name="from"/> to <paramref name="to"/> Hz: unlike a tone, it matches itself at one lag only.</summary>
    public static short[] Chirp(int sampleRate, double from, double to, double amplitude, int count)
    {
        var samples = new short[count];
        var rate = (to - from) / count;
        for (var n = 0; n < count; n++)
        {
            samples[n] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * ((from * n) + (rate * n * n / 2)) / sampleRate));
        }

        return samples;
    }

    public static short[] Sine(int sampleRate, double frequency, double amplitude, int count) => Tones(sampleRate, count, (frequency, amplitude));

    /// <summary>
    /// The amplitude of <paramref name="frequency"/> in <paramref name="block"/> by Goertzel's
    /// algorithm; exact for a steady tone when the block holds whole cycles of it.
    /// </summary>
    public static double Amplitude(ReadOnlySpan<short> block, int sampleRate, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double previous = 0;
        double beforePrevious = 0;
        foreach (var sample in block)
        {
            var current = sample + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        return 2 * Math.Sqrt(Math.Max(0, power)) / block.Length;
    }

    public static double Rms(ReadOnlySpan<short> block)
    {
        double sum = 0;
        foreach (var sample in block)
        {
            sum += (double)sample * sample;
        }

        return Math.Sqrt(sum / Math.Max(1, block.Length));
    }

    public static double Db(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>
    /// Energy of <paramref name="block"/> outside the given tones, in dB relative to the
    /// tones' energy: how much noise and distortion a codec added.
    /// </summary>
    public static double ResidualDb(ReadOnlySpan<short> block, int sampleRate, params double[] frequencies)
    {
        var total = Rms(block);
        var tonal = 0.0;
        foreach (var frequency in frequencies)
        {
            var amplitude = Amplitude(block, sampleRate, frequency);
            tonal += amplitude * amplitude / 2;
        }

        var residual = Math.Max((total * total) - tonal, 1e-9);
        return 10 * Math.Log10(residual / tonal);
    }

    /// <summary>The highest normalised cross-correlation of output against input over lags 0..maxLag (the codec delay).</summary>
    public static double BestCorrelation(ReadOnlySpan<short> input, ReadOnlySpan<short> output, int start, int length, int maxLag, out int bestLag)
    {
        var best = double.NegativeInfinity;
        bestLag = 0;
        for (var lag = 0; lag <= maxLag; lag++)
        {
            double cross = 0;
            double inputEnergy = 0;
            double outputEnergy = 0;
            for (var i = start; i < start + length; i++)
            {
                double x = input[i];
                double y = output[i + lag];
                cross += x * y;
                inputEnergy += x * x;
                outputEnergy += y * y;
            }

            var correlation = cross / Math.Sqrt(Math.Max(inputEnergy * outputEnergy, 1e-9));
            if (correlation > best)
            {
                best = correlation;
                bestLag = lag;
            }
        }

        return best;
    }
}

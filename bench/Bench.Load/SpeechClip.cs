using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Bench.Load;

/// <summary>
/// Ten seconds of speech-like sound, Opus-encoded once at start, plus one encoded silence
/// frame. Talkers replay the payloads in a loop, so the run pays for no encoding while it
/// measures; the mixer still has to decode real Opus speech, which is what costs it.
/// Immutable once built; read by the pacer thread.
/// </summary>
internal sealed class SpeechClip
{
    public const int Bitrate = 32000;
    public const int Complexity = 5;

    private const int Seconds = 10;
    private const int SampleRate = MixerFormat.SampleRate;
    private const int MaxPayload = 1275;

    private SpeechClip(byte[][] frames, byte[] silence)
    {
        Frames = frames;
        Silence = silence;
    }

    /// <summary>The encoded 20 ms frames of the clip, in order.</summary>
    public IReadOnlyList<byte[]> Frames { get; }

    /// <summary>What a muted-by-nature member sends every 20 ms: Opus for digital silence.</summary>
    public byte[] Silence { get; }

    public double MeanPayloadBytes => Frames.Average(f => f.Length);

    public static SpeechClip Create(int seed)
    {
        short[] pcm = Synthesize(seed);
        var frames = new byte[pcm.Length / MixerFormat.FrameSamples][];
        Span<byte> payload = stackalloc byte[MaxPayload];
        using (IAudioEncoder encoder = AudioCodecFactory.CreateEncoder(AudioCodecSettings.Opus(1, Bitrate, Complexity)))
        {
            for (int i = 0; i < frames.Length; i++)
            {
                int length = encoder.Encode(pcm.AsSpan(i * MixerFormat.FrameSamples, MixerFormat.FrameSamples), payload);
                frames[i] = payload[..length].ToArray();
            }
        }

        // A fresh encoder settles on its steady silence packet after a few frames.
        byte[] silence;
        short[] zeros = new short[MixerFormat.FrameSamples];
        using (IAudioEncoder encoder = AudioCodecFactory.CreateEncoder(AudioCodecSettings.Opus(1, Bitrate, Complexity)))
        {
            int length = 0;
            for (int i = 0; i < 10; i++)
            {
                length = encoder.Encode(zeros, payload);
            }
            silence = payload[..length].ToArray();
        }
        return new SpeechClip(frames, silence);
    }

    /// <summary>
    /// A source-filter imitation of a voice: a glottal pulse train whose pitch wanders like
    /// intonation, shaped by three formant resonators that move to a new vowel every syllable,
    /// under a syllable envelope (about four a second, with short pauses between phrases), and
    /// a little noise for the consonants. Enough like speech that the codec and the server's
    /// talk detection treat it as such.
    /// </summary>
    private static short[] Synthesize(int seed)
    {
        // Formant frequencies (Hz) of a few vowels: a, e, i, o, u.
        double[][] vowels =
        [
            [730, 1090, 2440],
            [530, 1840, 2480],
            [270, 2290, 3010],
            [570, 840, 2410],
            [300, 870, 2240],
        ];
        double[] bandwidths = [80, 100, 120];
        var random = new Random(seed);
        var output = new short[Seconds * SampleRate];
        var resonators = new Resonator[3];
        double phase = 0;
        double syllableStart = 0;
        double syllableLength = 0.25;
        bool pause = false;
        int vowel = 0;
        double basePitch = 120 + random.NextDouble() * 80;
        double peak = 0;
        var raw = new double[output.Length];

        for (int n = 0; n < output.Length; n++)
        {
            double t = (double)n / SampleRate;
            if (t - syllableStart >= syllableLength)
            {
                syllableStart = t;
                // Every few syllables, a phrase break.
                pause = random.NextDouble() < 0.15;
                syllableLength = pause ? 0.15 + random.NextDouble() * 0.35 : 0.15 + random.NextDouble() * 0.15;
                vowel = random.Next(vowels.Length);
                for (int f = 0; f < 3; f++)
                {
                    resonators[f].Tune(vowels[vowel][f], bandwidths[f], SampleRate);
                }
            }
            double position = (t - syllableStart) / syllableLength;
            double envelope = pause ? 0 : Math.Sin(Math.PI * position);
            envelope *= envelope;

            // Intonation: a slow wander plus a fall across each syllable.
            double pitch = basePitch * (1 + 0.1 * Math.Sin(2 * Math.PI * 0.7 * t) - 0.08 * position);
            phase += pitch / SampleRate;
            double excitation = 0;
            if (phase >= 1)
            {
                phase -= 1;
                excitation = 1;
            }
            // Consonant onsets: a burst of noise at the start of a syllable.
            double noise = position < 0.12 ? (random.NextDouble() * 2 - 1) * 0.3 : (random.NextDouble() * 2 - 1) * 0.01;

            double voiced = 0;
            for (int f = 0; f < 3; f++)
            {
                voiced += resonators[f].Process(excitation) / (f + 1);
            }
            double sample = envelope * (voiced + noise);
            raw[n] = sample;
            peak = Math.Max(peak, Math.Abs(sample));
        }

        // Peaks at about -6 dBFS, like a normalised microphone.
        double gain = peak > 0 ? 0.5 * short.MaxValue / peak : 0;
        for (int n = 0; n < output.Length; n++)
        {
            output[n] = (short)Math.Clamp(raw[n] * gain, short.MinValue, short.MaxValue);
        }
        return output;
    }

    /// <summary>A two-pole resonator (one formant).</summary>
    private struct Resonator
    {
        private double _a1;
        private double _a2;
        private double _gain;
        private double _y1;
        private double _y2;

        public void Tune(double frequency, double bandwidth, int sampleRate)
        {
            double r = Math.Exp(-Math.PI * bandwidth / sampleRate);
            _a1 = 2 * r * Math.Cos(2 * Math.PI * frequency / sampleRate);
            _a2 = -r * r;
            _gain = 1 - r;
        }

        public double Process(double x)
        {
            double y = _gain * x + _a1 * _y1 + _a2 * _y2;
            _y2 = _y1;
            _y1 = y;
            return y;
        }
    }
}

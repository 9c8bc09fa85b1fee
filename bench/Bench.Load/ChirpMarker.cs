using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Bench.Load;

/// <summary>
/// The latency marker: a 40 ms linear sweep from 1 to 3 kHz at about -3 dBFS, Opus-encoded
/// once at start with the clip's settings (<see cref="SpeechClip"/>), so a talker sends it by
/// replaying payloads, allocation-free, as it replays speech. A sweep, not a tone: its
/// autocorrelation has one sharp peak, so cross-correlation places it to a sample or so even
/// under the speech of the other talkers it is mixed with. Immutable once built.
/// </summary>
internal sealed class ChirpMarker
{
    public const int Milliseconds = 40;
    public const int Samples = MixerFormat.SampleRate / 1000 * Milliseconds;

    private const double StartHz = 1000;
    private const double EndHz = 3000;
    private const double Amplitude = 0.7;
    // Raised-cosine edges: a hard onset would splatter energy the codec spends bits on.
    private const int FadeSamples = MixerFormat.SampleRate / 1000 * 2;
    private const int MaxPayload = 1275;
    // Quiet frames through the encoder first, so the chirp starts from a settled state as it
    // would after a pause; one quiet frame after, for the end the encoder's look-ahead held back.
    private const int PrimeFrames = 5;
    private const int TailFrames = 1;

    private ChirpMarker(byte[][] frames) => Frames = frames;

    /// <summary>The encoded 20 ms frames to send in a row: the chirp, then the tail of the encoder's look-ahead.</summary>
    public IReadOnlyList<byte[]> Frames { get; }

    /// <summary>The chirp as 48 kHz mono PCM, what the listener looks for in the mix.</summary>
    public static short[] CreatePcm()
    {
        var pcm = new short[Samples];
        double duration = (double)Samples / MixerFormat.SampleRate;
        for (int n = 0; n < Samples; n++)
        {
            double t = (double)n / MixerFormat.SampleRate;
            double phase = 2 * Math.PI * (StartHz * t + (EndHz - StartHz) * t * t / (2 * duration));
            double edge = Math.Min(1, Math.Min(n, Samples - 1 - n) / (double)FadeSamples);
            double gain = 0.5 - 0.5 * Math.Cos(Math.PI * edge);
            pcm[n] = (short)Math.Round(Amplitude * short.MaxValue * gain * Math.Sin(phase));
        }
        return pcm;
    }

    public static ChirpMarker Create()
    {
        short[] chirp = CreatePcm();
        int chirpFrames = Samples / MixerFormat.FrameSamples;
        var signal = new short[(PrimeFrames + chirpFrames + TailFrames) * MixerFormat.FrameSamples];
        chirp.CopyTo(signal.AsSpan(PrimeFrames * MixerFormat.FrameSamples));
        var frames = new byte[chirpFrames + TailFrames][];
        Span<byte> payload = stackalloc byte[MaxPayload];
        using IAudioEncoder encoder = AudioCodecFactory.CreateEncoder(
            AudioCodecSettings.Opus(1, SpeechClip.Bitrate, SpeechClip.Complexity));
        for (int i = 0; i < PrimeFrames + frames.Length; i++)
        {
            int length = encoder.Encode(signal.AsSpan(i * MixerFormat.FrameSamples, MixerFormat.FrameSamples), payload);
            if (i >= PrimeFrames)
            {
                frames[i - PrimeFrames] = payload[..length].ToArray();
            }
        }
        return new ChirpMarker(frames);
    }
}

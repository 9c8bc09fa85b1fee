using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Tests.Configuration;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Load;

/// <summary>
/// The load generator's latency marker (bench/Bench.Load ChirpMarker, ChirpDetector): the
/// detector places the chirp within a millisecond under speech, after Opus, and does not find
/// it where it is not; and a short audio run reports latencies. The generator is an executable
/// this project does not reference, so its internal types are reached through its built assembly.
/// </summary>
public sealed class LatencyProbeTests
{
    private const int OneMillisecond = MixerFormat.SampleRate / 1000;
    private static readonly Lazy<Assembly> Generator = new(() => Assembly.LoadFrom(LoadGeneratorTests.FindLoadGenerator()));

    [Fact]
    public void FindsTheChirpUnderSpeechAtItsOffset()
    {
        short[] signal = Speech(MixerFormat.SampleRate / 2);
        const int at = 7777;
        Mix(signal, ChirpPcm(), at);

        Assert.True(TryFind(signal, out int offset, out double score), $"score {score:0.000}");
        Assert.InRange(offset, at - OneMillisecond, at + OneMillisecond);
    }

    [Fact]
    public void FindsTheChirpInNoiseAtItsOffset()
    {
        var random = new Random(3);
        var signal = new short[MixerFormat.SampleRate / 2];
        for (int i = 0; i < signal.Length; i++)
        {
            signal[i] = (short)random.Next(-8000, 8000);
        }
        const int at = 12345;
        Mix(signal, ChirpPcm(), at);

        Assert.True(TryFind(signal, out int offset, out double score), $"score {score:0.000}");
        Assert.InRange(offset, at - OneMillisecond, at + OneMillisecond);
    }

    [Fact]
    public void DoesNotFindTheChirpWhereThereIsNone()
    {
        Assert.False(TryFind(Speech(MixerFormat.SampleRate / 2), out _, out double speech), $"speech scored {speech:0.000}");
        var random = new Random(5);
        var noise = new short[MixerFormat.SampleRate / 2];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (short)random.Next(-20000, 20000);
        }
        Assert.False(TryFind(noise, out _, out double white), $"noise scored {white:0.000}");
        Assert.False(TryFind(new short[MixerFormat.SampleRate / 2], out _, out _));
    }

    [Fact]
    public void FindsTheChirpAfterOpusAtTheCodecDelay()
    {
        // Speech and chirp through the clip's encoder and the mixer's decoder, as the mixer
        // hears a talker; Opus delays everything by its encoder look-ahead.
        short[] signal = Speech(MixerFormat.SampleRate / 2);
        const int at = 10000;
        Mix(signal, ChirpPcm(), at);
        short[] decoded = ThroughOpus(signal);

        Assert.True(TryFind(decoded, out int offset, out double score), $"score {score:0.000}");
        int expected = at + OpusLookahead;
        Assert.InRange(offset, expected - OneMillisecond, expected + OneMillisecond);
    }

    [Fact]
    public void FindsThePreEncodedMarkerFrames()
    {
        // What a talker actually sends: the marker's own frames, decoded after a little silence.
        Type marker = Generator.Value.GetType("MediaServer.Bench.Load.ChirpMarker", throwOnError: true)!;
        object created = marker.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        var frames = (IReadOnlyList<byte[]>)marker.GetProperty("Frames")!.GetValue(created)!;
        using IAudioDecoder decoder = AudioCodecFactory.CreateDecoder(AudioCodecKind.Opus, 1);
        var pcm = new List<short>();
        var frame = new short[MixerFormat.FrameSamples * 6];
        byte[] silence = Encode(new short[MixerFormat.FrameSamples * 5]);
        const int lead = 5;
        for (int i = 0; i < lead; i++)
        {
            int n = decoder.Decode(silence, frame);
            pcm.AddRange(frame.AsSpan(0, n).ToArray());
        }
        foreach (byte[] payload in frames)
        {
            int n = decoder.Decode(payload, frame);
            pcm.AddRange(frame.AsSpan(0, n).ToArray());
        }
        pcm.AddRange(new short[MixerFormat.FrameSamples * 3]);

        Assert.True(TryFind([.. pcm], out int offset, out double score), $"score {score:0.000}");
        int expected = lead * MixerFormat.FrameSamples + OpusLookahead;
        Assert.InRange(offset, expected - OneMillisecond, expected + OneMillisecond);
    }

    // Opus at 48 kHz delays its output by 6.5 ms in the speech (SILK/hybrid) modes.
    private const int OpusLookahead = 312;

    private static short[] ChirpPcm()
    {
        Type marker = Generator.Value.GetType("MediaServer.Bench.Load.ChirpMarker", throwOnError: true)!;
        return (short[])marker.GetMethod("CreatePcm", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
    }

    private static bool TryFind(short[] signal, out int offset, out double score)
    {
        Type detector = Generator.Value.GetType("MediaServer.Bench.Load.ChirpDetector", throwOnError: true)!;
        MethodInfo tryFind = detector.GetMethod("TryFind", BindingFlags.Public | BindingFlags.Static, [typeof(short[]), typeof(int).MakeByRefType(), typeof(double).MakeByRefType()])!;
        object?[] args = [signal, 0, 0.0];
        bool found = (bool)tryFind.Invoke(null, args)!;
        offset = (int)args[1]!;
        score = (double)args[2]!;
        return found;
    }

    /// <summary>The load generator's speech clip, decoded: the talkers the chirp is mixed with.</summary>
    private static short[] Speech(int samples)
    {
        Type clip = Generator.Value.GetType("MediaServer.Bench.Load.SpeechClip", throwOnError: true)!;
        object created = clip.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [20])!;
        var frames = (IReadOnlyList<byte[]>)clip.GetProperty("Frames")!.GetValue(created)!;
        using IAudioDecoder decoder = AudioCodecFactory.CreateDecoder(AudioCodecKind.Opus, 1);
        var pcm = new short[samples];
        var frame = new short[MixerFormat.FrameSamples * 6];
        // Start a second in, past the clip's opening, into talking.
        int written = 0;
        for (int i = 0; written < samples; i++)
        {
            int n = decoder.Decode(frames[i], frame);
            if (i < 50)
            {
                continue;
            }
            int take = Math.Min(n, samples - written);
            frame.AsSpan(0, take).CopyTo(pcm.AsSpan(written));
            written += take;
        }
        return pcm;
    }

    private static void Mix(short[] signal, short[] chirp, int at)
    {
        for (int i = 0; i < chirp.Length; i++)
        {
            signal[at + i] = (short)Math.Clamp(signal[at + i] + chirp[i], short.MinValue, short.MaxValue);
        }
    }

    private static short[] ThroughOpus(short[] signal)
    {
        using IAudioEncoder encoder = AudioCodecFactory.CreateEncoder(AudioCodecSettings.Opus(1, 32000, 5));
        using IAudioDecoder decoder = AudioCodecFactory.CreateDecoder(AudioCodecKind.Opus, 1);
        var output = new short[signal.Length];
        var payload = new byte[1275];
        var frame = new short[MixerFormat.FrameSamples * 6];
        for (int at = 0; at + MixerFormat.FrameSamples <= signal.Length; at += MixerFormat.FrameSamples)
        {
            int length = encoder.Encode(signal.AsSpan(at, MixerFormat.FrameSamples), payload);
            int n = decoder.Decode(payload.AsSpan(0, length), frame);
            frame.AsSpan(0, n).CopyTo(output.AsSpan(at));
        }
        return output;
    }

    private static byte[] Encode(short[] pcm)
    {
        using IAudioEncoder encoder = AudioCodecFactory.CreateEncoder(AudioCodecSettings.Opus(1, 32000, 5));
        var payload = new byte[1275];
        int length = 0;
        for (int at = 0; at + MixerFormat.FrameSamples <= pcm.Length; at += MixerFormat.FrameSamples)
        {
            length = encoder.Encode(pcm.AsSpan(at, MixerFormat.FrameSamples), payload);
        }
        return payload[..length];
    }
}

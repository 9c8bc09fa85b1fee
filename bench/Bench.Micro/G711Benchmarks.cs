using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Bench.Micro;

/// <summary>
/// One 20 ms frame through PCMU, resampling included: encode is 48 → 8 kHz then μ-law,
/// decode is μ-law then 8 → 48 kHz; conceal is the 8 kHz loss concealment plus the upsampling.
/// </summary>
[MemoryDiagnoser]
public class G711Benchmarks
{
    private readonly G711AudioEncoder _encoder = new(AudioCodecKind.Pcmu);
    private readonly G711AudioDecoder _decoder = new(AudioCodecKind.Pcmu);
    private readonly short[] _frame = new short[MixerFormat.FrameSamples];
    private readonly short[] _pcm = new short[MixerFormat.FrameSamples];
    private readonly byte[] _payload = new byte[G711AudioEncoder.FrameBytes];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        for (var n = 0; n < _frame.Length; n++)
        {
            _frame[n] = (short)((8000 * Math.Sin(2 * Math.PI * 440 * n / MixerFormat.SampleRate)) + random.Next(-500, 500));
        }

        _encoder.Encode(_frame, _payload);
    }

    [Benchmark(Description = "PCMU encode 20 ms (48 → 8 kHz + μ-law)")]
    public int Encode() => _encoder.Encode(_frame, _payload);

    [Benchmark(Description = "PCMU decode 20 ms (μ-law + 8 → 48 kHz)")]
    public int Decode() => _decoder.Decode(_payload, _pcm);

    [Benchmark(Description = "PCMU conceal 20 ms")]
    public int Conceal() => _decoder.Conceal(_pcm);
}

using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Audio;

namespace MediaServer.Bench.Micro;

/// <summary>One 20 ms frame through the polyphase resampler, in each direction G.711 and wideband legs need.</summary>
[MemoryDiagnoser]
public class ResamplerBenchmarks
{
    private readonly Resampler _down8 = new(48000, 8000);
    private readonly Resampler _up8 = new(8000, 48000);
    private readonly Resampler _down16 = new(48000, 16000);
    private readonly Resampler _up16 = new(16000, 48000);
    private readonly short[] _wide = new short[960];
    private readonly short[] _narrow = new short[160];
    private readonly short[] _wideband = new short[320];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        for (var n = 0; n < _wide.Length; n++)
        {
            _wide[n] = (short)random.Next(-10000, 10000);
        }

        _down8.Process(_wide, _narrow);
        _down16.Process(_wide, _wideband);
    }

    [Benchmark(Description = "48 → 8 kHz, 20 ms")]
    public int Down8() => _down8.Process(_wide, _narrow);

    [Benchmark(Description = "8 → 48 kHz, 20 ms")]
    public int Up8() => _up8.Process(_narrow, _wide);

    [Benchmark(Description = "48 → 16 kHz, 20 ms")]
    public int Down16() => _down16.Process(_wide, _wideband);

    [Benchmark(Description = "16 → 48 kHz, 20 ms")]
    public int Up16() => _up16.Process(_wideband, _wide);
}

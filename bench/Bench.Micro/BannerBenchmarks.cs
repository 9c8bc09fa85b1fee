using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Video;

namespace MediaServer.Bench.Micro;

/// <summary>
/// One member banner per tile per composed frame: a 20-character name drawn into a 640x360
/// tile of a 720p canvas (a 2x2 layout), against the bare strip without text, so the
/// difference is the glyph blending. Glyphs are cached in setup, as they are after a
/// layout's first frame; the canvas is a fixed mid-grey picture redrawn over and over,
/// which costs the same as fresh video since nothing branches on pixel values.
/// </summary>
[MemoryDiagnoser]
public class BannerBenchmarks
{
    private const string Name = "Alexandra Richardson";

    private BannerFont _font = null!;
    private BannerRenderer _renderer = null!;
    private I420Frame _canvas = null!;

    [GlobalSetup]
    public void Setup()
    {
        _font = new BannerFont();
        _renderer = new BannerRenderer(_font);
        _canvas = new I420Frame(1280, 720);
        _canvas.Fill(120, 128, 128);
        _renderer.Draw(_canvas, 640, 360, 640, 360, Name);
    }

    [GlobalCleanup]
    public void Cleanup() => _font.Dispose();

    [Benchmark(Description = "strip only, 640x360 tile", Baseline = true)]
    public void Strip() => _renderer.Draw(_canvas, 640, 360, 640, 360, string.Empty);

    [Benchmark(Description = "20-character banner, 640x360 tile")]
    public void Banner() => _renderer.Draw(_canvas, 640, 360, 640, 360, Name);
}

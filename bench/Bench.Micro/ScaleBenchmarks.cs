using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Interop;
using MediaServer.Mixer.Video;

namespace MediaServer.Bench.Micro;

/// <summary>
/// libyuv's I420Scale on one camera picture, 640x360 to a 3x3 tile of a 720p canvas
/// (426x240), per filter: the unit cost the compositor pays per member and frame.
/// </summary>
[MemoryDiagnoser]
public class ScaleBenchmarks
{
    private readonly I420Frame _source = new(640, 360);
    private readonly I420Frame _destination = new(426, 240);
    private readonly PixelRect _sourceRect = new(0, 0, 640, 360);
    private readonly PixelRect _destinationRect = new(0, 0, 426, 240);

    [Params(ScaleFilter.None, ScaleFilter.Bilinear, ScaleFilter.Box)]
    public ScaleFilter Filter { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LibYuv.EnsureAvailable();
        new Random(3).NextBytes(_source.Data);
    }

    [Benchmark(Description = "I420Scale 640x360 → 426x240")]
    public void Scale() => LibYuv.Scale(_source, _sourceRect, _destination, _destinationRect, Filter);
}

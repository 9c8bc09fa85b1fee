using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Video;

namespace MediaServer.Bench.Micro;

/// <summary>
/// One canvas frame of a nine-member 3x3 room from 640x360 camera pictures: the per-canvas,
/// per-tick cost of video composing (goal: at most 1.5 ms for 1080p, 30 fps leaves 33 ms
/// for composing, encoding and everything else). On 720p every tile is scaled to 426x240
/// and the canvas is not quite covered (FS truncation) so the background is filled too; on
/// 1080p every tile is exactly 640x360, so libyuv copies. The zoom case crops each picture
/// to a 120x180-unit slot (3x2-zoom, six members).
/// </summary>
[MemoryDiagnoser]
public class CompositorBenchmarks
{
    private readonly VideoCompositor _compositor = new();
    private readonly TileSource[] _tiles = new TileSource[9];
    private VideoLayout _grid = null!;
    private VideoLayout _zoom = null!;
    private I420Frame _canvas = null!;

    [Params("1280x720", "1920x1080")]
    public string Canvas { get; set; } = "1280x720";

    [GlobalSetup]
    public void Setup()
    {
        var size = Canvas.Split('x');
        _canvas = new I420Frame(int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture));
        _grid = new VideoLayout("3x3", Enumerable.Range(0, 9).Select(k => new LayoutImage(k % 3 * 120, k / 3 * 120, 120, 120)), auto3dPosition: true);
        _zoom = new VideoLayout("3x2-zoom", Enumerable.Range(0, 6).Select(k => new LayoutImage(k % 3 * 120, k / 3 * 180, 120, 180, Zoom: true)), auto3dPosition: true);
        var random = new Random(9);
        for (var i = 0; i < _tiles.Length; i++)
        {
            // Noise rather than flat colour, so nothing in the scaler can shortcut.
            var picture = new I420Frame(640, 360);
            random.NextBytes(picture.Data);
            _tiles[i] = new TileSource(i, picture);
        }
    }

    [Benchmark(Baseline = true, Description = "3x3, 9 × 640x360, bilinear")]
    public void Grid()
    {
        _compositor.Filter = ScaleFilter.Bilinear;
        _compositor.Compose(_canvas, _grid, _tiles);
    }

    [Benchmark(Description = "3x3, 9 × 640x360, box")]
    public void GridBox()
    {
        _compositor.Filter = ScaleFilter.Box;
        _compositor.Compose(_canvas, _grid, _tiles);
    }

    [Benchmark(Description = "3x2-zoom, 6 × 640x360 cropped, bilinear")]
    public void Zoom()
    {
        _compositor.Filter = ScaleFilter.Bilinear;
        _compositor.Compose(_canvas, _zoom, _tiles.AsSpan(0, 6));
    }
}

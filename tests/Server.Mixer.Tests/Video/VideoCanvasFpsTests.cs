using MediaServer.Mixer.Runtime;
using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>
/// Overload shedding on a canvas: a runtime change of <see cref="VideoCanvas.OutputFps"/>
/// makes frames arrive at the new rate, evenly paced, with RTP timestamps that keep rising on
/// the same 90 kHz timeline; VP8 rate control is told; the stream still decodes; restoring
/// brings back the profile rate. The clock is simulated: one tick per 1/30 s.
/// </summary>
public sealed class VideoCanvasFpsTests
{
    [Fact]
    public void FramesFollowARuntimeFpsChangeAndTimestampsStayMonotonic()
    {
        var canvas = new VideoCanvas(new VideoCanvasSettings { Width = 320, Height = 240, Fps = 30, BitrateKbps = 300 }, ShippedLayouts.Catalog, new MixerMetrics(), banners: null);
        var watcher = new TimestampWatcher();
        canvas.AddWatcher(watcher);
        var now = 10_000L;
        try
        {
            int SecondAt(int fps)
            {
                canvas.OutputFps = fps;
                var before = watcher.Timestamps.Count;
                for (var tick = 0; tick < 30; tick++)
                {
                    now += 33;
                    canvas.Tick(now);
                }

                return watcher.Timestamps.Count - before;
            }

            Assert.Equal(30, SecondAt(30));
            Assert.Equal(15, SecondAt(15));
            Assert.Equal(15, canvas.EncoderFps);
            var halfGaps = Gaps(watcher.Timestamps.TakeLast(15));
            Assert.All(halfGaps, gap => Assert.Equal(6000u, gap));

            Assert.Equal(10, SecondAt(10));
            Assert.Equal(10, canvas.EncoderFps);
            Assert.All(Gaps(watcher.Timestamps.TakeLast(10)), gap => Assert.Equal(9000u, gap));

            // A rate that does not divide the tick rate is still spread evenly (gaps of 1 or 2 ticks).
            Assert.Equal(20, SecondAt(20));
            Assert.All(Gaps(watcher.Timestamps.TakeLast(20)), gap => Assert.Contains(gap, new uint[] { 3000, 6000 }));

            Assert.Equal(30, SecondAt(30));
            Assert.Equal(30, canvas.EncoderFps);
            Assert.All(Gaps(watcher.Timestamps.TakeLast(29)), gap => Assert.Equal(3000u, gap));

            // Over every change: strictly rising, and 150 ticks of 3000 units span the whole timeline.
            Assert.All(Gaps(watcher.Timestamps), gap => Assert.True(gap > 0));
            Assert.Equal(30 + 15 + 10 + 20 + 30, watcher.Timestamps.Count);
            Assert.Equal(149u * 3000, watcher.Timestamps[^1] - watcher.Timestamps[0]);
            Assert.Equal(watcher.Timestamps.Count, watcher.DecodedFrames);
        }
        finally
        {
            canvas.OnDetached();
            watcher.Dispose();
        }
    }

    [Fact]
    public void TheOutputRateIsClampedToOneAndTheProfileRate()
    {
        var canvas = new VideoCanvas(new VideoCanvasSettings { Width = 160, Height = 120, Fps = 15, BitrateKbps = 200 }, ShippedLayouts.Catalog, new MixerMetrics(), banners: null);
        canvas.OutputFps = 60;
        Assert.Equal(15, canvas.OutputFps);
        canvas.OutputFps = 0;
        Assert.Equal(1, canvas.OutputFps);
        canvas.OnDetached();
    }

    private static List<uint> Gaps(IEnumerable<uint> timestamps)
    {
        var list = timestamps.ToList();
        return [.. list.Zip(list.Skip(1), (a, b) => b - a)];
    }

    /// <summary>Keeps each frame's RTP timestamp and decodes every frame, so a broken stream shows.</summary>
    private sealed class TimestampWatcher : IVideoCanvasWatcher, IDisposable
    {
        private readonly Vp8Depacketizer _depacketizer = new(_ => { });
        private readonly Vp8Decoder _decoder = new();
        private readonly byte[] _frame = new byte[1 << 20];
        private ushort _sequence;

        public List<uint> Timestamps { get; } = [];

        public int DecodedFrames { get; private set; }

        public void OnCanvasPacket(ReadOnlySpan<byte> payload, bool marker, uint timestamp)
        {
            _depacketizer.Push(payload, _sequence++, timestamp, marker, 0);
            if (!marker)
            {
                return;
            }

            Timestamps.Add(timestamp);
            while (_depacketizer.TryTakeFrame(_frame, out var length, out _, out _))
            {
                if (_decoder.Decode(_frame.AsSpan(0, length), out var picture) == Vp8DecodeResult.Decoded)
                {
                    DecodedFrames++;
                    _decoder.Release(picture!);
                }
            }
        }

        public void Dispose() => _decoder.Dispose();
    }
}

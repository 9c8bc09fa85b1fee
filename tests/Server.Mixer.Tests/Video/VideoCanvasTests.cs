using MediaServer.Mixer.Runtime;
using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>
/// A whole canvas tick by tick with real VP8 in and out: members' solid-colour pictures are
/// encoded, packetized and pushed as RTP; the canvas decodes, places, composes, encodes once
/// and hands packets to its watchers, which the test reassembles and decodes. Also the slot
/// rules (floor, reservation, pinned layer), video mute, stall, and REMB-driven bitrate.
/// </summary>
public sealed class VideoCanvasTests
{
    private static readonly YuvColor[] Colours = [YuvColor.FromRgb(220, 30, 30), YuvColor.FromRgb(30, 200, 30), YuvColor.FromRgb(30, 30, 220)];

    [Fact]
    public void ThreeSourcesLandInTheTilesOfTheGridGroupAndEveryWatcherGetsTheSameCanvas()
    {
        using var room = new Room(3);
        room.Run(ticks: 10);
        // group:grid with 3 members = 1x1+2x1: top centre, bottom left, bottom right.
        Assert.Equal("1x1+2x1", room.Canvas.Layout.Name);
        var picture = room.Watchers[0].Decode();
        Assert.Equal(1280, picture.Width);
        Assert.Equal(720, picture.Height);
        AssertColour(picture, 640, 180, Colours[0]);
        AssertColour(picture, 320, 540, Colours[1]);
        AssertColour(picture, 960, 540, Colours[2]);
        Assert.Equal(room.Watchers[0].Bytes, room.Watchers[1].Bytes);
        Assert.Equal(3, room.Canvas.LayersUsed);
        Assert.Equal([0, 1, 2], room.Sources.Select(s => s.Layer));
    }

    [Fact]
    public void TheFloorHolderTakesTheFloorSlotAndReservationsTheirSlots()
    {
        using var room = new Room(3);
        Assert.True(room.Canvas.TrySetLayout("2up_top+8"));
        room.Canvas.SetFloor(room.Sources[2].Id, locked: false);
        room.Sources[1].ReservationId = "secondary";
        room.Canvas.MarkDirty();
        room.Run(ticks: 8);
        // 2up_top+8: image 0 is the floor, image 1 is reserved for "secondary".
        Assert.Equal(0, room.Sources[2].Layer);
        Assert.Equal(1, room.Sources[1].Layer);
        Assert.Equal(2, room.Sources[0].Layer);
        var picture = room.Watchers[0].Decode();
        AssertColour(picture, 320, 180, Colours[2]);
        AssertColour(picture, 960, 180, Colours[1]);
    }

    [Fact]
    public void AVideoMutedOrStalledSourceShowsThePlaceholderNotItsLastFrame()
    {
        using var room = new Room(2);
        room.Run(ticks: 8);
        room.Sources[0].Muted = true;
        room.Run(ticks: 4);
        var picture = room.Watchers[0].Decode();
        // 2x1: left tile muted (placeholder grey), right tile still green.
        var placeholder = Sample(picture, 320, 360);
        Assert.InRange(placeholder.U, 118, 138);
        Assert.InRange(placeholder.V, 118, 138);
        AssertColour(picture, 960, 360, Colours[1]);
    }

    [Fact]
    public void AStalledSourceKeepsItsLastPictureThenShowsThePlaceholderAndTheCanvasGoesOn()
    {
        using var room = new Room(2);
        room.Run(ticks: 8);
        // Member 1 stops sending: for a while its last picture stays, after StallMs the placeholder.
        room.Run(ticks: 30, silent: 0);
        var framesBefore = room.Watchers[0].Frames;
        var picture = room.Watchers[0].Decode();
        AssertColour(picture, 320, 360, Colours[0]);
        room.Run(ticks: 80, silent: 0);
        picture = room.Watchers[0].Decode();
        var placeholder = Sample(picture, 320, 360);
        Assert.InRange(placeholder.U, 118, 138);
        Assert.InRange(placeholder.V, 118, 138);
        AssertColour(picture, 960, 360, Colours[1]);
        Assert.True(room.Watchers[0].Frames >= framesBefore + 80, "one canvas frame per tick, stall or not");
    }

    [Fact]
    public void ALateJoinersTileShowsItsPictureWithinAFewTicksOfItsFirstKeyframe()
    {
        using var room = new Room(2, sendersFrom: [0, 20]);
        room.Run(ticks: 20);
        // Member 2 has a tile (a placeholder) but has sent nothing yet.
        Assert.Equal(1, room.Sources[1].Layer);
        var startMs = room.Now;
        var shownAfterMs = -1L;
        for (var t = 0; t < 20 && shownAfterMs < 0; t++)
        {
            room.Run(ticks: 1);
            var picture = room.Watchers[0].Decode();
            var sample = Sample(picture, 960, 360);
            if (Math.Abs(sample.Y - Colours[1].Y) <= 12 && Math.Abs(sample.U - Colours[1].U) <= 12)
            {
                shownAfterMs = room.Now - startMs;
            }
        }

        Assert.InRange(shownAfterMs, 0, 500);
    }

    [Fact]
    public void APinnedLayerWinsAndAnEmptySlotShowsTheBackground()
    {
        using var room = new Room(2);
        Assert.True(room.Canvas.TrySetLayout("2x2"));
        room.Sources[0].PinnedLayer = 3;
        room.Canvas.MarkDirty();
        room.Run(ticks: 8);
        Assert.Equal(3, room.Sources[0].Layer);
        Assert.Equal(0, room.Sources[1].Layer);
        var picture = room.Watchers[0].Decode();
        AssertColour(picture, 960, 540, Colours[0]);
        Assert.True(Sample(picture, 960, 180).Y < 40, "the empty slot shows the black background");
    }

    [Fact]
    public void TheEncoderFollowsTheWeakestFreshBandwidthEstimate()
    {
        using var room = new Room(1);
        room.Run(ticks: 2);
        Assert.Equal(1500, room.Canvas.BitrateKbps);
        room.Canvas.OnWatcherBandwidth(room.Watchers[0], 400_000, room.Now);
        room.Canvas.OnWatcherBandwidth(room.Watchers[1], 900_000, room.Now);
        room.Run(ticks: 31);
        Assert.Equal(400, room.Canvas.BitrateKbps);
        room.Canvas.OnWatcherBandwidth(room.Watchers[0], 10_000, room.Now);
        room.Run(ticks: 30);
        Assert.Equal(VideoCanvas.MinBitrateKbps, room.Canvas.BitrateKbps);
        // Estimates older than five seconds no longer hold the canvas down.
        room.Run(ticks: 30, stepMs: 200);
        Assert.Equal(1500, room.Canvas.BitrateKbps);
    }

    private static void AssertColour(I420Frame picture, int x, int y, YuvColor expected)
    {
        var actual = Sample(picture, x, y);
        Assert.True(Math.Abs(actual.Y - expected.Y) <= 12 && Math.Abs(actual.U - expected.U) <= 12 && Math.Abs(actual.V - expected.V) <= 12, $"at ({x},{y}) {actual}, expected {expected}");
    }

    private static YuvColor Sample(I420Frame picture, int x, int y) =>
        new(picture.Y[(y * picture.StrideY) + x], picture.U[(y / 2 * picture.StrideUV) + (x / 2)], picture.V[(y / 2 * picture.StrideUV) + (x / 2)]);

    /// <summary>A canvas with N sources sending solid-colour 320x240 VP8 and two watchers, driven tick by tick.</summary>
    private sealed class Room : IDisposable, IVideoSourceListener
    {
        private readonly List<(Vp8Encoder Encoder, I420Frame Frame, Vp8Packetizer Packetizer, ushort Sequence)> _senders = [];
        private readonly byte[] _encoded = new byte[1 << 20];
        private readonly byte[] _packets = new byte[1 << 21];
        private readonly Range[] _ranges = new Range[2048];
        private long _frame;

        private readonly int[] _sendersFrom;

        /// <param name="members">Sources on the canvas.</param>
        /// <param name="sendersFrom">The tick from which each source starts sending (default: all from the start).</param>
        public Room(int members, int[]? sendersFrom = null)
        {
            _sendersFrom = sendersFrom ?? new int[members];
            Canvas = new VideoCanvas(new VideoCanvasSettings(), ShippedLayouts.Catalog, new MixerMetrics(), banners: null);
            for (var i = 0; i < members; i++)
            {
                Sources.Add(Canvas.AddSource(i + 1, $"member {i + 1}", this));
                var frame = new I420Frame(320, 240);
                frame.Fill(Colours[i % Colours.Length].Y, Colours[i % Colours.Length].U, Colours[i % Colours.Length].V);
                _senders.Add((new Vp8Encoder(new Vp8EncoderSettings(320, 240, 30, 300)), frame, new Vp8Packetizer(), (ushort)(i * 1000)));
            }

            Watchers.Add(new CanvasWatcher());
            Watchers.Add(new CanvasWatcher());
            foreach (var watcher in Watchers)
            {
                Canvas.AddWatcher(watcher);
            }
        }

        public VideoCanvas Canvas { get; }

        public List<VideoSource> Sources { get; } = [];

        public List<CanvasWatcher> Watchers { get; } = [];

        public long Now { get; private set; } = 10_000;

        /// <summary>Runs ticks: every source that has started sends a frame (except <paramref name="silent"/>), then the canvas ticks.</summary>
        public void Run(int ticks, int stepMs = 33, int silent = -1)
        {
            for (var t = 0; t < ticks; t++)
            {
                for (var i = 0; i < _senders.Count; i++)
                {
                    if (i == silent || _frame < _sendersFrom[i])
                    {
                        continue;
                    }

                    var (encoder, frame, packetizer, sequence) = _senders[i];
                    var length = encoder.Encode(frame, _frame * 3000, _frame == _sendersFrom[i], _encoded, out _);
                    var count = packetizer.Packetize(_encoded.AsSpan(0, length), 1200, _packets, _ranges);
                    for (var p = 0; p < count; p++)
                    {
                        Sources[i].OnRtp(_packets.AsSpan(_ranges[p]), sequence++, (uint)(_frame * 3000), p == count - 1, Now);
                    }

                    _senders[i] = (encoder, frame, packetizer, sequence);
                }

                _frame++;
                Now += stepMs;
                Canvas.Tick(Now);
            }
        }

        public void OnKeyframeNeeded(VideoSource source, KeyframeRequestKind kind)
        {
        }

        public void Dispose()
        {
            Canvas.OnDetached();
            foreach (var sender in _senders)
            {
                sender.Encoder.Dispose();
            }

            foreach (var watcher in Watchers)
            {
                watcher.Dispose();
            }
        }
    }

    /// <summary>Reassembles and decodes the canvas stream it is sent; keeps every byte to compare watchers.</summary>
    private sealed class CanvasWatcher : IVideoCanvasWatcher, IDisposable
    {
        private readonly Vp8Depacketizer _depacketizer = new(_ => { });
        private readonly Vp8Decoder _decoder = new();
        private readonly byte[] _frame = new byte[1 << 21];
        private ushort _sequence;
        private I420Frame? _latest;

        public List<byte> Bytes { get; } = [];

        /// <summary>Canvas frames received (packets with the marker bit).</summary>
        public int Frames { get; private set; }

        public void OnCanvasPacket(ReadOnlySpan<byte> payload, bool marker, uint timestamp)
        {
            Bytes.AddRange(payload.ToArray());
            Frames += marker ? 1 : 0;
            _depacketizer.Push(payload, _sequence++, timestamp, marker, 0);
        }

        /// <summary>Decodes everything received so far; returns the newest picture.</summary>
        public I420Frame Decode()
        {
            while (_depacketizer.TryTakeFrame(_frame, out var length, out _, out _))
            {
                if (_decoder.Decode(_frame.AsSpan(0, length), out var picture) == Vp8DecodeResult.Decoded)
                {
                    if (_latest is not null)
                    {
                        _decoder.Release(_latest);
                    }

                    _latest = picture;
                }
            }

            return _latest ?? throw new InvalidOperationException("no canvas frame decoded");
        }

        public void Dispose() => _decoder.Dispose();
    }
}

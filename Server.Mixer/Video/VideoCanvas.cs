using System.Diagnostics;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Mixer.Video;

/// <summary>
/// One conference canvas, ticked at its frame rate by a <see cref="MixerClock"/>: decode what
/// each source sent since the last tick, place the sources in the slots of the layout (the
/// floor holder in the floor slot, reserved slots only to their reservation, pinned layers
/// first, everyone else in join order), compose one picture, encode it once, cut it into RTP
/// payloads and hand the same payloads to every watcher, who only rewrites headers and
/// protects them. A source that stalls keeps its last picture (a placeholder after
/// <see cref="VideoCanvasSettings.StallMs"/>) and never holds the canvas up. Layout changes and
/// slot moves are reported through <see cref="LayoutChanged"/>, on the canvas thread.
/// </summary>
public sealed class VideoCanvas : IMixerTickable
{
    private const int MaxPayload = 1200;
    private const int MaxPackets = 2048;
    private const int MaxSlots = 64;

    private readonly VideoCanvasSettings _settings;
    private readonly LayoutCatalog _catalog;
    private readonly MixerMetrics _metrics;
    private readonly BannerRenderer? _banners;
    private readonly Lock _gate = new();
    private readonly I420Frame _picture;
    private readonly Vp8Encoder _encoder;
    private readonly Vp8Packetizer _packetizer = new();
    private readonly VideoCompositor _compositor = new();
    private readonly byte[] _encoded = new byte[1 << 21];
    private readonly byte[] _packets = new byte[MaxPackets * MaxPayload];
    private readonly Range[] _ranges = new Range[MaxPackets];
    private readonly TileSource[] _tiles = new TileSource[MaxSlots];
    private readonly VideoSource?[] _slots = new VideoSource?[MaxSlots];
    private readonly List<VideoSource> _released = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IVideoCanvasWatcher, (long Bps, long AtMs)> _estimates = new();
    private VideoSource[] _sources = [];
    private IVideoCanvasWatcher[] _watchers = [];
    private ICanvasFrameSink? _frameSink;
    private VideoLayout _layout;
    private LayoutGroup? _group;
    private int _keyframeRequested = 1;
    private int _assignmentDirty = 1;
    private long _frames;
    private long _ticks;
    private int _outputFps;
    private int _frameCredit;
    private int _floorId = -1;
    private bool _floorLocked;

    public VideoCanvas(VideoCanvasSettings settings, LayoutCatalog catalog, MixerMetrics metrics, BannerRenderer? banners)
    {
        _settings = settings;
        _catalog = catalog;
        _metrics = metrics;
        _banners = banners;
        _picture = new I420Frame(settings.Width, settings.Height);
        _picture.Fill(16, 128, 128);
        _encoder = new Vp8Encoder(new Vp8EncoderSettings(settings.Width, settings.Height, settings.Fps, settings.BitrateKbps) { CpuUsed = settings.CpuUsed });
        if (!TryResolve(settings.Layout, out var layout, out var group))
        {
            TryResolve("group:grid", out layout, out group);
        }

        _layout = layout ?? catalog.Layouts[0];
        _group = group;
        _outputFps = settings.Fps;
        Interlocked.Increment(ref _metrics.Canvases);
    }

    public int Width => _settings.Width;

    public int Height => _settings.Height;

    /// <summary>The profile's frame rate: the rate the canvas is ticked at (its clock's), whatever it sends.</summary>
    public int Fps => _settings.Fps;

    /// <summary>
    /// Frames per second actually composed, encoded and sent: the profile's <see cref="Fps"/>
    /// normally, lower while the server sheds load. Set from any thread (clamped to 1..Fps);
    /// the canvas keeps ticking at <see cref="Fps"/> and composes only the ticks that keep the
    /// new rate evenly paced, so RTP timestamps stay on the same 90 kHz timeline (monotonic,
    /// true to the wall clock) and VP8 rate control is told the new frame duration.
    /// Sources are still decoded every tick: their VP8 reference chains must not break.
    /// </summary>
    public int OutputFps
    {
        get => Volatile.Read(ref _outputFps);
        set => Volatile.Write(ref _outputFps, Math.Clamp(value, 1, _settings.Fps));
    }

    /// <summary>The frame rate VP8 rate control was last told (tests check it follows <see cref="OutputFps"/>).</summary>
    internal int EncoderFps => _encoder.Fps;

    /// <summary>Canvas frames composed and encoded so far.</summary>
    public long FramesComposed => Interlocked.Read(ref _frames);

    /// <summary>The layout drawn now.</summary>
    public VideoLayout Layout => Volatile.Read(ref _layout);

    /// <summary>The group picking the layout by member count, or null when a layout is fixed.</summary>
    public LayoutGroup? Group => Volatile.Read(ref _group);

    public LayoutCatalog Catalog => _catalog;

    /// <summary>The member whose video takes the floor slot (-1: none).</summary>
    public int FloorId => Volatile.Read(ref _floorId);

    /// <summary>The floor was given by a moderator (vid-floor force): talking does not move it.</summary>
    public bool FloorLocked => Volatile.Read(ref _floorLocked);

    /// <summary>Slots in use on the current layout.</summary>
    public int LayersUsed { get; private set; }

    /// <summary>Canvas thread: the layout changed or sources moved between slots.</summary>
    public Action<VideoCanvas>? LayoutChanged { get; set; }

    public VideoSource AddSource(int id, string name, IVideoSourceListener listener)
    {
        var source = new VideoSource(id, name, listener, _metrics, _banners);
        lock (_gate)
        {
            _sources = [.. _sources, source];
        }

        MarkDirty();
        return source;
    }

    public void RemoveSource(VideoSource source)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_sources, source);
            if (index < 0)
            {
                return;
            }

            _sources = [.. _sources.AsSpan(0, index), .. _sources.AsSpan(index + 1)];
            source.Removed = true;
            _released.Add(source);
            if (_floorId == source.Id)
            {
                _floorId = -1;
                _floorLocked = false;
            }
        }

        MarkDirty();
    }

    public void AddWatcher(IVideoCanvasWatcher watcher)
    {
        lock (_gate)
        {
            _watchers = [.. _watchers, watcher];
        }

        RequestKeyframe();
    }

    public void RemoveWatcher(IVideoCanvasWatcher watcher)
    {
        _estimates.TryRemove(watcher, out _);
        lock (_gate)
        {
            var index = Array.IndexOf(_watchers, watcher);
            if (index >= 0)
            {
                _watchers = [.. _watchers.AsSpan(0, index), .. _watchers.AsSpan(index + 1)];
            }
        }
    }

    /// <summary>
    /// Who gets every encoded frame whole from the next tick on (a recording), or null to stop.
    /// Setting one asks for a keyframe, so what it gets starts decodable.
    /// </summary>
    public ICanvasFrameSink? FrameSink
    {
        get => Volatile.Read(ref _frameSink);
        set
        {
            Volatile.Write(ref _frameSink, value);
            if (value is not null)
            {
                RequestKeyframe();
            }
        }
    }

    /// <summary>The lowest floor the canvas bitrate goes down to, however poor a watcher's link.</summary>
    public const int MinBitrateKbps = 150;

    /// <summary>
    /// A watcher's receive bandwidth estimate (REMB). The canvas is one encode for everyone, so
    /// it follows the weakest recent estimate, never above the profile's bitrate; estimates
    /// older than five seconds are forgotten.
    /// </summary>
    public void OnWatcherBandwidth(IVideoCanvasWatcher watcher, long bitsPerSecond, long nowMs) =>
        _estimates[watcher] = (bitsPerSecond, nowMs);

    /// <summary>The encoder's current target (the profile's, or lower after REMB).</summary>
    public int BitrateKbps => _encoder.BitrateKbps;

    /// <summary>The next canvas frame is a keyframe (a watcher joined, lost packets, or asked).</summary>
    public void RequestKeyframe() => Interlocked.Exchange(ref _keyframeRequested, 1);

    /// <summary>Slot assignment is recomputed at the next tick (membership, floor, reservation, mute or pin changed).</summary>
    public void MarkDirty() => Interlocked.Exchange(ref _assignmentDirty, 1);

    /// <summary>Gives the floor slot to a member; <paramref name="locked"/> keeps it there until released (vid-floor force).</summary>
    public void SetFloor(int id, bool locked)
    {
        lock (_gate)
        {
            if (_floorLocked && !locked && id != _floorId)
            {
                return;
            }

            _floorId = id;
            _floorLocked = locked && id >= 0;
        }

        MarkDirty();
    }

    /// <summary>vid-layout: a layout name or <c>group:name</c>. False when neither exists.</summary>
    public bool TrySetLayout(string nameOrGroup)
    {
        if (!TryResolve(nameOrGroup, out var layout, out var group))
        {
            return false;
        }

        Volatile.Write(ref _group, group);
        Volatile.Write(ref _layout, layout!);
        MarkDirty();
        return true;
    }

    public void Tick(long nowMs)
    {
        ReleaseRemoved();
        var tick = _ticks++;
        if (tick % _settings.Fps == 0)
        {
            AdaptBitrate(nowMs);
        }

        var sources = Volatile.Read(ref _sources);
        foreach (var source in sources)
        {
            source.DecodePending(nowMs);
        }

        // Frame pacing at a reduced rate: each tick earns OutputFps credits, a frame costs Fps,
        // so 30 -> 15 composes every other tick and 30 -> 10 every third, evenly spread.
        var outputFps = Volatile.Read(ref _outputFps);
        if (outputFps != _encoder.Fps)
        {
            _encoder.Fps = outputFps;
        }

        _frameCredit = Math.Min(_frameCredit + outputFps, 2 * _settings.Fps);
        if (_frameCredit < _settings.Fps)
        {
            return;
        }

        _frameCredit -= _settings.Fps;

        var group = Volatile.Read(ref _group);
        if (group is not null)
        {
            var picked = group.Pick(Math.Max(1, sources.Length));
            if (picked != _layout)
            {
                Volatile.Write(ref _layout, picked);
                _assignmentDirty = 1;
            }
        }

        var layout = _layout;
        if (Interlocked.Exchange(ref _assignmentDirty, 0) == 1)
        {
            Assign(layout, sources);
            LayoutChanged?.Invoke(this);
        }

        var started = Stopwatch.GetTimestamp();
        var count = 0;
        for (var slot = 0; slot < layout.Images.Count && slot < MaxSlots; slot++)
        {
            var source = _slots[slot];
            if (source is null)
            {
                continue;
            }

            var picture = source.Muted || source.Picture is null || nowMs - source.PictureMs > _settings.StallMs ? null : source.Picture;
            _tiles[count++] = new TileSource(slot, picture, _banners is null ? null : source);
        }

        _compositor.Compose(_picture, layout, _tiles.AsSpan(0, count));

        var composed = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _metrics.CanvasComposeTicks, composed - started);
        var force = Interlocked.Exchange(ref _keyframeRequested, 0) == 1;
        // The encoder's clock is the 90 kHz RTP clock: its rate control spends bits per unit of it.
        // Counted in ticks, not frames, so skipped ticks leave the timeline true to the wall clock.
        var pts = tick * 90000 / _settings.Fps;
        var length = _encoder.Encode(_picture, pts, force, _encoded, out var keyframe);
        Interlocked.Add(ref _metrics.VideoEncodeTicks, Stopwatch.GetTimestamp() - composed);
        Interlocked.Increment(ref _metrics.VideoEncodes);
        var timestamp = (uint)pts;
        Interlocked.Increment(ref _frames);
        Interlocked.Increment(ref _metrics.CanvasFrames);
        if (length <= 0)
        {
            return;
        }

        Volatile.Read(ref _frameSink)?.OnCanvasFrame(_encoded.AsSpan(0, length), keyframe, nowMs);
        var packets = _packetizer.Packetize(_encoded.AsSpan(0, length), MaxPayload, _packets, _ranges);
        var watchers = Volatile.Read(ref _watchers);
        foreach (var watcher in watchers)
        {
            for (var i = 0; i < packets; i++)
            {
                watcher.OnCanvasPacket(_packets.AsSpan(_ranges[i]), i == packets - 1, timestamp);
            }
        }
    }

    public void OnDetached()
    {
        lock (_gate)
        {
            foreach (var source in _sources)
            {
                source.Removed = true;
                _released.Add(source);
            }

            _sources = [];
            _watchers = [];
        }

        ReleaseRemoved();
        _encoder.Dispose();
        Interlocked.Decrement(ref _metrics.Canvases);
    }

    /// <summary>
    /// Places sources in slots: pinned layers first, then the floor holder in the floor slot,
    /// then reserved slots to their reservation, then everyone else in join order into the
    /// free slots that are neither reserved nor floor-only.
    /// </summary>
    private void Assign(VideoLayout layout, VideoSource[] sources)
    {
        var slots = Math.Min(layout.Images.Count, MaxSlots);
        Array.Clear(_slots);
        foreach (var source in sources)
        {
            source.Layer = -1;
        }

        foreach (var source in sources)
        {
            var pinned = source.PinnedLayer;
            if (pinned >= 0 && pinned < slots && _slots[pinned] is null)
            {
                Place(source, pinned);
            }
        }

        var floorSlot = layout.FloorIndex;
        var floorId = _floorId;
        if (floorSlot >= 0 && floorSlot < slots && _slots[floorSlot] is null)
        {
            foreach (var source in sources)
            {
                if (source.Id == floorId && source.Layer < 0)
                {
                    Place(source, floorSlot);
                    break;
                }
            }
        }

        for (var slot = 0; slot < slots; slot++)
        {
            var reservation = layout.Images[slot].ReservationId;
            if (reservation is null || _slots[slot] is not null)
            {
                continue;
            }

            foreach (var source in sources)
            {
                if (source.Layer < 0 && source.ReservationId == reservation)
                {
                    Place(source, slot);
                    break;
                }
            }
        }

        foreach (var source in sources)
        {
            if (source.Layer >= 0 || source.ReservationId is not null)
            {
                continue;
            }

            for (var slot = 0; slot < slots; slot++)
            {
                var image = layout.Images[slot];
                if (_slots[slot] is null && image.ReservationId is null && !image.FloorOnly)
                {
                    Place(source, slot);
                    break;
                }
            }
        }

        var used = 0;
        for (var slot = 0; slot < slots; slot++)
        {
            used += _slots[slot] is null ? 0 : 1;
        }

        LayersUsed = used;
    }

    /// <summary>Once a second: the encoder's target becomes the lowest fresh watcher estimate, within [min, profile].</summary>
    private void AdaptBitrate(long nowMs)
    {
        var lowest = long.MaxValue;
        foreach (var (watcher, estimate) in _estimates)
        {
            if (nowMs - estimate.AtMs > 5000)
            {
                _estimates.TryRemove(watcher, out _);
                continue;
            }

            lowest = Math.Min(lowest, estimate.Bps);
        }

        var target = lowest == long.MaxValue ? _settings.BitrateKbps : (int)Math.Clamp(lowest / 1000, MinBitrateKbps, _settings.BitrateKbps);
        if (target != _encoder.BitrateKbps)
        {
            _encoder.BitrateKbps = target;
        }
    }

    private void Place(VideoSource source, int slot)
    {
        _slots[slot] = source;
        source.Layer = slot;
    }

    private bool TryResolve(string nameOrGroup, out VideoLayout? layout, out LayoutGroup? group)
    {
        layout = null;
        group = null;
        if (nameOrGroup.StartsWith("group:", StringComparison.Ordinal))
        {
            group = _catalog.FindGroup(nameOrGroup["group:".Length..]);
            layout = group?.Pick(Math.Max(1, Volatile.Read(ref _sources).Length));
            return group is not null;
        }

        layout = _catalog.FindLayout(nameOrGroup);
        return layout is not null;
    }

    private void ReleaseRemoved()
    {
        lock (_gate)
        {
            foreach (var source in _released)
            {
                source.Release();
            }

            _released.Clear();
        }
    }
}

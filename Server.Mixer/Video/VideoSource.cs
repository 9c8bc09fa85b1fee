using System.Diagnostics;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Mixer.Video;

/// <summary>
/// One member's video on a canvas: its RTP is assembled into VP8 frames (receive thread,
/// through <see cref="OnRtp"/>), decoded on the canvas thread, and the latest picture is what
/// the compositor scales into the member's tile. Also carries what the moderator set for the
/// member's tile: video mute, banner text, reservation id, a pinned layer. It is its own
/// tile overlay: the banner with the member's name or the moderator's text.
/// </summary>
public sealed class VideoSource : IVideoInput, ITileOverlay
{
    private const int MaxFrameBytes = 1 << 20;

    private readonly Vp8Depacketizer _depacketizer;
    private readonly Vp8Decoder _decoder = new();
    private readonly byte[] _frame = new byte[MaxFrameBytes];
    private readonly MixerMetrics _metrics;
    private readonly BannerRenderer? _banners;
    private volatile bool _muted;
    private volatile string? _banner;
    private volatile string? _reservationId;
    private volatile int _pinnedLayer = -1;
    private volatile int _layer = -1;

    internal VideoSource(int id, string name, IVideoSourceListener listener, MixerMetrics metrics, BannerRenderer? banners)
    {
        Id = id;
        Name = name;
        Listener = listener;
        _metrics = metrics;
        _banners = banners;
        _depacketizer = new Vp8Depacketizer(kind => Listener.OnKeyframeNeeded(this, kind));
    }

    public int Id { get; }

    /// <summary>The banner shown when no text was set: the member's name.</summary>
    public string Name { get; set; }

    public IVideoSourceListener Listener { get; }

    /// <summary>Video-muted sources show the placeholder, never a frozen frame.</summary>
    public bool Muted { get => _muted; set => _muted = value; }

    /// <summary>The banner text a moderator set (vid-banner); null shows <see cref="Name"/>.</summary>
    public string? Banner { get => _banner; set => _banner = value; }

    /// <summary>Only a layout slot with this reservation id takes the source (vid-res-id); null for any slot.</summary>
    public string? ReservationId { get => _reservationId; set => _reservationId = value; }

    /// <summary>The layer (0-based) the moderator pinned the source to (vid-layer); -1 for none.</summary>
    public int PinnedLayer { get => _pinnedLayer; set => _pinnedLayer = value; }

    /// <summary>The layer the source is drawn in on the current layout, -1 when it is not shown.</summary>
    public int Layer { get => _layer; internal set => _layer = value; }

    /// <summary>The latest decoded picture (canvas thread), null before the first keyframe decoded.</summary>
    internal I420Frame? Picture { get; private set; }

    internal long PictureMs { get; private set; }

    internal bool Removed { get; set; }

    public void OnRtp(ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, bool marker, long nowMs) =>
        _depacketizer.Push(payload, sequence, timestamp, marker, nowMs);

    /// <summary>Canvas thread: decodes every complete frame that arrived since the last tick, keeping the newest picture.</summary>
    internal void DecodePending(long nowMs)
    {
        while (_depacketizer.TryTakeFrame(_frame, out var length, out _, out _))
        {
            var started = Stopwatch.GetTimestamp();
            var result = _decoder.Decode(_frame.AsSpan(0, length), out var picture);
            Interlocked.Add(ref _metrics.VideoDecodeTicks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _metrics.VideoDecodes);
            if (result == Vp8DecodeResult.Decoded && picture is not null)
            {
                // The picture replaced is handed back to the decoder's pool; only the newest is composed.
                if (Picture is { } previous)
                {
                    _decoder.Release(previous);
                }

                Picture = picture;
                PictureMs = nowMs;
            }
            else if (result == Vp8DecodeResult.Corrupt)
            {
                Interlocked.Increment(ref _metrics.VideoDecodeErrors);
                Listener.OnKeyframeNeeded(this, KeyframeRequestKind.Pli);
            }
        }
    }

    /// <summary>Canvas thread, while composing: the banner over this source's tile.</summary>
    public void Draw(I420Frame canvas, PixelRect tile) =>
        _banners?.Draw(canvas, tile.X, tile.Y, tile.Width, tile.Height, Banner ?? Name);

    /// <summary>Canvas thread, after removal: frees the decoder.</summary>
    internal void Release()
    {
        Picture = null;
        _decoder.Dispose();
    }
}

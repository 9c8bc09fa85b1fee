using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Video;

/// <summary>
/// Paints one canvas frame from a layout and the pictures of the members placed in it:
/// background, then the ordinary slots, then the overlap (picture-in-picture) slots on top,
/// each with its picture fitted (bars) or zoomed (cropped), its border and its overlay.
/// Pictures are scaled by libyuv straight into the canvas planes (a zoom crop is only a
/// pointer offset into the source), so there is no intermediate frame and, after the first
/// frames, no allocation. One compositor per canvas, used on that canvas's composing
/// thread only; the colour and border settings are read at each <see cref="Compose"/>.
/// </summary>
public sealed class VideoCompositor
{
    // Enough slot flags for an 8x8 grid; a larger custom layout grows it once.
    private bool[] _slotsDrawn = new bool[64];

    // Whether the ordinary slots of the last layout tile the whole canvas, in which case the
    // full background fill (a third of the composing time on a 1080p grid) can be skipped.
    private VideoLayout? _coverageLayout;
    private int _coverageWidth;
    private int _coverageHeight;
    private bool _coversCanvas;
    private int _defaultBorder;

    /// <exception cref="NativeLibraryMissingException">libyuv is not installed.</exception>
    public VideoCompositor()
    {
        LibYuv.EnsureAvailable();
    }

    /// <summary>Behind everything: empty slots and canvas not covered by any slot.</summary>
    public YuvColor Background { get; set; } = YuvColor.Black;

    /// <summary>The bars around a fitted picture whose aspect ratio differs from its slot's.</summary>
    public YuvColor Letterbox { get; set; } = YuvColor.Black;

    public YuvColor BorderColor { get; set; } = YuvColor.Grey(128);

    /// <summary>The flat fill of a slot whose member sends no usable video.</summary>
    public YuvColor PlaceholderColor { get; set; } = YuvColor.Grey(40);

    /// <summary>The simple camera mark centred on the placeholder.</summary>
    public YuvColor PlaceholderMarkColor { get; set; } = YuvColor.Grey(90);

    /// <summary>Border width in pixels for images that do not set their own (the conference's video border size), 0-50.</summary>
    public int DefaultBorder
    {
        get => _defaultBorder;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 50);
            _defaultBorder = value;
        }
    }

    public ScaleFilter Filter { get; set; } = ScaleFilter.Bilinear;

    /// <summary>
    /// Paints <paramref name="canvas"/> entirely. <paramref name="tiles"/> says what goes in
    /// which slot (at most one source per slot; order does not matter); the caller keeps the
    /// pictures unchanged until this returns.
    /// </summary>
    public void Compose(I420Frame canvas, VideoLayout layout, ReadOnlySpan<TileSource> tiles)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(layout);
        var images = layout.Images;
        if (_slotsDrawn.Length < images.Count)
        {
            _slotsDrawn = new bool[images.Count];
        }

        var drawn = _slotsDrawn.AsSpan(0, images.Count);
        drawn.Clear();
        foreach (ref readonly var tile in tiles)
        {
            if ((uint)tile.SlotIndex >= (uint)images.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(tiles), $"slot {tile.SlotIndex} is not in layout {layout.Name} ({images.Count} images)");
            }

            drawn[tile.SlotIndex] = true;
        }

        var width = canvas.Width;
        var height = canvas.Height;
        if (CoversCanvas(layout, width, height))
        {
            // Only the gaps the slots leave: the empty ordinary slots.
            for (var i = 0; i < images.Count; i++)
            {
                if (!drawn[i] && !images[i].Overlap)
                {
                    LibYuv.Fill(canvas, TileGeometry.PaintedTile(images[i], width, height), Background);
                }
            }
        }
        else
        {
            LibYuv.Fill(canvas, new PixelRect(0, 0, width, height), Background);
        }

        // Two passes rather than a sort: overlap slots must land on top whatever the order of
        // the sources, and sorting would need a buffer.
        foreach (ref readonly var tile in tiles)
        {
            if (!images[tile.SlotIndex].Overlap)
            {
                DrawTile(canvas, images[tile.SlotIndex], tile);
            }
        }

        foreach (ref readonly var tile in tiles)
        {
            if (images[tile.SlotIndex].Overlap)
            {
                DrawTile(canvas, images[tile.SlotIndex], tile);
            }
        }
    }

    private void DrawTile(I420Frame canvas, LayoutImage image, in TileSource source)
    {
        var tile = TileGeometry.PaintedTile(image, canvas.Width, canvas.Height);
        if (tile.IsEmpty)
        {
            return;
        }

        // Even border widths keep the picture inside on even pixels; a 1 px border is drawn 2 px wide.
        var border = ((image.Border ?? _defaultBorder) + 1) & ~1;
        var inner = new PixelRect(tile.X + border, tile.Y + border, (tile.Width - (2 * border)) & ~1, (tile.Height - (2 * border)) & ~1);
        if (border == 0)
        {
            inner = tile;
        }

        if (inner.Width < 2 || inner.Height < 2)
        {
            LibYuv.Fill(canvas, tile, BorderColor);
        }
        else
        {
            if (border > 0)
            {
                // Four bands around the inner rectangle; the right and bottom ones also take the
                // pixel the even rounding of the inner size gave up.
                LibYuv.Fill(canvas, new PixelRect(tile.X, tile.Y, tile.Width, border), BorderColor);
                LibYuv.Fill(canvas, new PixelRect(tile.X, inner.Bottom, tile.Width, tile.Bottom - inner.Bottom), BorderColor);
                LibYuv.Fill(canvas, new PixelRect(tile.X, inner.Y, border, inner.Height), BorderColor);
                LibYuv.Fill(canvas, new PixelRect(inner.Right, inner.Y, tile.Right - inner.Right, inner.Height), BorderColor);
            }

            if (source.ShowsPlaceholder)
            {
                DrawPlaceholder(canvas, inner);
            }
            else if (image.Zoom)
            {
                var picture = source.Picture!;
                var crop = ScaleFit.Crop(picture.Width, picture.Height, inner.Width, inner.Height);
                LibYuv.Scale(picture, crop, canvas, inner, Filter);
            }
            else
            {
                var picture = source.Picture!;
                var fitted = ScaleFit.Fit(picture.Width, picture.Height, inner);
                FillBars(canvas, inner, fitted);
                LibYuv.Scale(picture, new PixelRect(0, 0, picture.Width, picture.Height), canvas, fitted, Filter);
            }
        }

        source.Overlay?.Draw(canvas, tile);
    }

    /// <summary>Paints the parts of <paramref name="tile"/> around <paramref name="picture"/> (at most four bands).</summary>
    private void FillBars(I420Frame canvas, PixelRect tile, PixelRect picture)
    {
        LibYuv.Fill(canvas, new PixelRect(tile.X, tile.Y, tile.Width, picture.Y - tile.Y), Letterbox);
        LibYuv.Fill(canvas, new PixelRect(tile.X, picture.Bottom, tile.Width, tile.Bottom - picture.Bottom), Letterbox);
        LibYuv.Fill(canvas, new PixelRect(tile.X, picture.Y, picture.X - tile.X, picture.Height), Letterbox);
        LibYuv.Fill(canvas, new PixelRect(picture.Right, picture.Y, tile.Right - picture.Right, picture.Height), Letterbox);
    }

    /// <summary>A flat fill with a camera shape in the middle (body and lens), so an empty-looking slot still reads as "someone is here without video".</summary>
    private void DrawPlaceholder(I420Frame canvas, PixelRect tile)
    {
        LibYuv.Fill(canvas, tile, PlaceholderColor);
        var size = Math.Min(tile.Width, tile.Height) / 4;
        var bodyWidth = size & ~1;
        var bodyHeight = (size * 3 / 4) & ~1;
        var lensWidth = (size / 4) & ~1;
        var lensHeight = (bodyHeight / 2) & ~1;
        var gap = (size / 8) & ~1;
        if (bodyHeight < 2 || lensWidth < 2 || lensHeight < 2)
        {
            return;
        }

        var left = tile.X + (((tile.Width - bodyWidth - gap - lensWidth) / 2) & ~1);
        var top = tile.Y + (((tile.Height - bodyHeight) / 2) & ~1);
        LibYuv.Fill(canvas, new PixelRect(left, top, bodyWidth, bodyHeight), PlaceholderMarkColor);
        LibYuv.Fill(canvas, new PixelRect(left + bodyWidth + gap, top + (((bodyHeight - lensHeight) / 2) & ~1), lensWidth, lensHeight), PlaceholderMarkColor);
    }

    private bool CoversCanvas(VideoLayout layout, int width, int height)
    {
        if (ReferenceEquals(layout, _coverageLayout) && width == _coverageWidth && height == _coverageHeight)
        {
            return _coversCanvas;
        }

        // Disjoint ordinary slots whose areas add up to the canvas's cover it. Worked out once
        // per layout and canvas size; O(n²) on 64 slots is nothing at that rate.
        var images = layout.Images;
        long area = 0;
        var disjoint = true;
        for (var i = 0; i < images.Count && disjoint; i++)
        {
            if (images[i].Overlap)
            {
                continue;
            }

            var tile = TileGeometry.PaintedTile(images[i], width, height);
            area += tile.Area;
            for (var j = i + 1; j < images.Count; j++)
            {
                if (!images[j].Overlap && tile.Intersects(TileGeometry.PaintedTile(images[j], width, height)))
                {
                    disjoint = false;
                    break;
                }
            }
        }

        _coverageLayout = layout;
        _coverageWidth = width;
        _coverageHeight = height;
        _coversCanvas = disjoint && area == (long)width * height;
        return _coversCanvas;
    }
}

namespace MediaServer.Mixer.Video;

/// <summary>
/// Turns layout units into canvas pixels (conference-layouts.md §1). Two views of a slot:
/// <see cref="Tile"/> is FreeSWITCH's own arithmetic (what layout-info reports as xPOS, yPOS,
/// screenWidth, screenHeight), <see cref="ChromaAligned"/> is the rectangle the compositor
/// actually paints, moved onto even pixels because I420 shares one chroma sample between
/// 2×2 luma pixels. Pure functions; any thread.
/// </summary>
public static class TileGeometry
{
    /// <summary>Both canvas axes are divided into this many units (FS's VIDEO_LAYOUT_SCALE).</summary>
    public const int Units = 360;

    /// <summary>
    /// The slot in pixels, every value truncated as FS does: left = floor(W·x/360), width =
    /// floor(W·scale/360). Tiles may therefore end a pixel short of the next one or the canvas
    /// edge; that is faithful, not a bug.
    /// </summary>
    public static PixelRect Tile(LayoutImage image, int canvasWidth, int canvasHeight)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new PixelRect(
            canvasWidth * image.X / Units,
            canvasHeight * image.Y / Units,
            canvasWidth * image.Scale / Units,
            canvasHeight * image.HScale / Units);
    }

    /// <summary>Every slot of <paramref name="layout"/>, in layer order, into <paramref name="destination"/>.</summary>
    public static void Tiles(VideoLayout layout, int canvasWidth, int canvasHeight, Span<PixelRect> destination)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var images = layout.Images;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, images.Count, nameof(destination));
        for (var i = 0; i < images.Count; i++)
        {
            destination[i] = Tile(images[i], canvasWidth, canvasHeight);
        }
    }

    /// <summary>
    /// <paramref name="tile"/> clipped to the canvas with each edge moved down to an even pixel
    /// (an edge on the canvas's own border stays there, even if the canvas is odd-sized). Two
    /// tiles that share an edge still share it after alignment, so a grid stays gapless.
    /// </summary>
    public static PixelRect ChromaAligned(PixelRect tile, int canvasWidth, int canvasHeight)
    {
        var left = AlignEdge(Math.Clamp(tile.X, 0, canvasWidth), canvasWidth);
        var top = AlignEdge(Math.Clamp(tile.Y, 0, canvasHeight), canvasHeight);
        var right = AlignEdge(Math.Clamp(tile.Right, 0, canvasWidth), canvasWidth);
        var bottom = AlignEdge(Math.Clamp(tile.Bottom, 0, canvasHeight), canvasHeight);
        return new PixelRect(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));
    }

    /// <summary>The chroma-aligned pixel rectangle of one slot: what the compositor paints.</summary>
    public static PixelRect PaintedTile(LayoutImage image, int canvasWidth, int canvasHeight) =>
        ChromaAligned(Tile(image, canvasWidth, canvasHeight), canvasWidth, canvasHeight);

    private static int AlignEdge(int edge, int limit) => edge == limit ? edge : edge & ~1;
}

namespace MediaServer.Mixer.Video;

/// <summary>
/// Where a picture goes in a tile, keeping its aspect ratio: <see cref="Fit"/> shrinks it to
/// lie inside (the rest of the tile becomes letterbox or pillarbox bars), <see cref="Crop"/>
/// picks the centred part of the source that fills the tile (the layout's zoom). Results are
/// on even pixels so the chroma planes line up (I420 has one chroma sample per 2×2 pixels);
/// a size that already reaches the whole tile or picture is kept as is, even when odd.
/// Pure functions; any thread.
/// </summary>
public static class ScaleFit
{
    /// <summary>
    /// The rectangle of <paramref name="tile"/> a <paramref name="sourceWidth"/>×<paramref name="sourceHeight"/>
    /// picture is scaled into, centred; <paramref name="tile"/> is expected to start on even pixels.
    /// </summary>
    public static PixelRect Fit(int sourceWidth, int sourceHeight, PixelRect tile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        if (tile.IsEmpty)
        {
            return new PixelRect(tile.X, tile.Y, 0, 0);
        }

        // Compare aspect ratios by cross-multiplying, so equal ratios give no bars at all.
        int width, height;
        if ((long)sourceWidth * tile.Height >= (long)tile.Width * sourceHeight)
        {
            width = tile.Width;
            height = Even(RoundedRatio(sourceHeight, tile.Width, sourceWidth), tile.Height);
        }
        else
        {
            height = tile.Height;
            width = Even(RoundedRatio(sourceWidth, tile.Height, sourceHeight), tile.Width);
        }

        return new PixelRect(tile.X + (((tile.Width - width) / 2) & ~1), tile.Y + (((tile.Height - height) / 2) & ~1), width, height);
    }

    /// <summary>
    /// The centred part of a <paramref name="sourceWidth"/>×<paramref name="sourceHeight"/> picture
    /// with the aspect ratio of a <paramref name="tileWidth"/>×<paramref name="tileHeight"/> tile:
    /// scaling just that part fills the tile with nothing distorted, the excess cut off.
    /// </summary>
    public static PixelRect Crop(int sourceWidth, int sourceHeight, int tileWidth, int tileHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        if (tileWidth <= 0 || tileHeight <= 0)
        {
            return new PixelRect(0, 0, sourceWidth, sourceHeight);
        }

        int width, height;
        if ((long)sourceWidth * tileHeight > (long)tileWidth * sourceHeight)
        {
            // Source wider than the tile: cut the sides.
            height = sourceHeight;
            width = Even(RoundedRatio(sourceHeight, tileWidth, tileHeight), sourceWidth);
        }
        else
        {
            width = sourceWidth;
            height = Even(RoundedRatio(sourceWidth, tileHeight, tileWidth), sourceHeight);
        }

        return new PixelRect(((sourceWidth - width) / 2) & ~1, ((sourceHeight - height) / 2) & ~1, width, height);
    }

    /// <summary>round(value · numerator / denominator) without overflow.</summary>
    private static long RoundedRatio(int value, int numerator, int denominator) =>
        (((long)value * numerator) + (denominator / 2)) / denominator;

    /// <summary>
    /// The nearest even size from 2 up, but never more than <paramref name="limit"/>; a size that
    /// reaches the limit takes it exactly, odd or not, since it then ends on the tile's own edge.
    /// </summary>
    private static int Even(long size, int limit)
    {
        if (size >= limit)
        {
            return limit;
        }

        var even = (int)Math.Max(2, (size + 1) & ~1L);
        return Math.Min(even, limit);
    }
}

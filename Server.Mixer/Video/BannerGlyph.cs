namespace MediaServer.Mixer.Video;

/// <summary>
/// One rasterized glyph at one pixel size, as <see cref="BannerFont"/> caches it: a tight
/// coverage bitmap (one byte per pixel, 0 transparent to 255 opaque, rows packed without
/// padding) and where it sits relative to the pen on the baseline. Immutable, so any thread
/// may read it once it has it.
/// </summary>
public sealed class BannerGlyph
{
    private readonly byte[] _coverage;

    internal BannerGlyph(uint glyphIndex, int width, int rows, int left, int top, int advance, byte[] coverage)
    {
        GlyphIndex = glyphIndex;
        Width = width;
        Rows = rows;
        Left = left;
        Top = top;
        Advance = advance;
        _coverage = coverage;
    }

    /// <summary>The font's glyph index; 0 is .notdef, the font has no glyph for the character.</summary>
    public uint GlyphIndex { get; }

    /// <summary>Bitmap width in pixels; 0 for blank glyphs such as the space.</summary>
    public int Width { get; }

    /// <summary>Bitmap height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Pixels from the pen to the bitmap's left column (FreeType's bitmap_left).</summary>
    public int Left { get; }

    /// <summary>Pixels from the baseline up to the bitmap's top row (FreeType's bitmap_top); above Rows for glyphs that sit high, below it for descenders.</summary>
    public int Top { get; }

    /// <summary>How far the pen moves after this glyph, in 1/64 pixel (FreeType 26.6).</summary>
    public int Advance { get; }

    /// <summary>Width × Rows coverage bytes, top row first.</summary>
    public ReadOnlySpan<byte> Coverage => _coverage;

    /// <summary>Bytes this glyph keeps alive, for the cache's budget.</summary>
    internal int Footprint => _coverage.Length + 64;
}

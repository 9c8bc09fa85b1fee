using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace MediaServer.Mixer.Video;

/// <summary>
/// Draws a member's banner into a tile of the composed picture: a semi-transparent dark strip
/// across the bottom sixth of the tile with the text on it in white, left-aligned.
/// </summary>
/// <remarks>
/// <para>Everything stays inside the tile (and the canvas). Text wider than the strip is cut
/// at the last whole character that leaves room for an ellipsis ("…"), dropping spaces before
/// it; if not even the ellipsis fits, what fits is clipped. Tiles under
/// <see cref="MinTileWidth"/> × <see cref="MinTileHeight"/> get no banner: the text would be
/// unreadable and cover the face.</para>
/// <para>The strip blends every pixel towards (<see cref="ShadeLuma"/>, 128, 128) by
/// <see cref="ShadeAlpha"/>/256: darker over bright video, slightly lighter over black, and
/// with its colour washed out towards grey. Chroma samples are touched only where their 2×2
/// luma block lies wholly inside the strip, so a neighbour tile's shared sample at an odd edge
/// is left alone. That is exactly what a dark overlay at that opacity does in RGB; a fully
/// neutral chroma would look like a grey hole over colourful video. Text is blended into Y
/// only: under the strip the chroma is already most of the way to neutral, so white text keeps
/// at most a faint tint of the video beneath.</para>
/// <para>Owned by the compositor. It holds no per-draw state, so one instance may serve any
/// number of threads as long as each draws into its own canvas. Once the font has cached the
/// text's glyphs, <see cref="Draw"/> allocates nothing.</para>
/// </remarks>
public sealed class BannerRenderer
{
    public const int MinTileWidth = 64;

    public const int MinTileHeight = 36;

    public const int MinStripHeight = 14;

    /// <summary>Below this the text is unreadable on a phone; 10 px DejaVu needs 13 px of strip.</summary>
    public const int MinTextPixelSize = 10;

    /// <summary>The strip's colour, a dark grey (video range: black is 16).</summary>
    public const byte ShadeLuma = 32;

    /// <summary>The strip's opacity in 1/256.</summary>
    public const int ShadeAlpha = 176;

    /// <summary>The text's colour, video-range white.</summary>
    public const byte TextLuma = 235;

    private const byte NeutralChroma = 128;
    private static readonly Rune Ellipsis = new('\u2026');

    public BannerRenderer(BannerFont font)
    {
        ArgumentNullException.ThrowIfNull(font);
        Font = font;
    }

    public BannerFont Font { get; }

    /// <summary>The strip's height for a tile: a sixth of it, at least <see cref="MinStripHeight"/>.</summary>
    public static int StripHeightFor(int tileHeight) => Math.Min(tileHeight, Math.Max(MinStripHeight, tileHeight / 6));

    /// <summary>
    /// The text's em size for a strip: DejaVu's ascent plus descent then fill about two thirds
    /// of it, but never under <see cref="MinTextPixelSize"/>, which still fits the thinnest strip.
    /// </summary>
    public static int PixelSizeFor(int stripHeight) => Math.Clamp(stripHeight * 11 / 20, MinTextPixelSize, BannerFont.MaxPixelSize);

    /// <summary>The gap between the tile's left (and right) edge and the text.</summary>
    public static int MarginFor(int stripHeight) => Math.Max(4, stripHeight / 4);

    /// <summary>
    /// Draws <paramref name="text"/> (already unescaped; empty for a bare strip) as the banner
    /// of the tile at (<paramref name="tileX"/>, <paramref name="tileY"/>) of
    /// <paramref name="canvas"/>. Parts of the tile outside the canvas are skipped.
    /// </summary>
    public void Draw(I420Frame canvas, int tileX, int tileY, int tileWidth, int tileHeight, string text)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(text);
        if (tileWidth < MinTileWidth || tileHeight < MinTileHeight)
        {
            return;
        }

        var strip = StripHeightFor(tileHeight);
        var stripTop = tileY + tileHeight - strip;
        var clip = new Clip(
            Math.Max(tileX, 0),
            Math.Max(stripTop, 0),
            Math.Min(tileX + tileWidth, canvas.Width),
            Math.Min(tileY + tileHeight, canvas.Height));
        if (clip.Left >= clip.Right || clip.Top >= clip.Bottom)
        {
            return;
        }

        ShadeStrip(canvas, clip);
        if (text.Length == 0)
        {
            return;
        }

        var pixelSize = PixelSizeFor(strip);
        var margin = MarginFor(strip);
        var ascent = Font.Ascent(pixelSize);
        var baseline = stripTop + ((strip - ascent - Font.Descent(pixelSize)) / 2) + ascent;
        DrawText(canvas, clip, text, tileX + margin, tileX + tileWidth - margin, baseline, pixelSize);
    }

    /// <summary>Blends <paramref name="row"/> towards <paramref name="target"/> by <paramref name="alpha"/>/256, vectorized.</summary>
    internal static void ShadeRow(Span<byte> row, byte target, int alpha)
    {
        var keep = (ushort)(256 - alpha);
        var add = (ushort)((target * alpha) + 128);
        ref var start = ref MemoryMarshal.GetReference(row);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var keep256 = Vector256.Create(keep);
            var add256 = Vector256.Create(add);
            for (; i + Vector256<byte>.Count <= row.Length; i += Vector256<byte>.Count)
            {
                var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)i));
                // At most 255 × 256 + 128: fits 16 bits, so no overflow before the shift.
                low = ((low * keep256) + add256) >>> 8;
                high = ((high * keep256) + add256) >>> 8;
                Vector256.Narrow(low, high).StoreUnsafe(ref start, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var keep128 = Vector128.Create(keep);
            var add128 = Vector128.Create(add);
            for (; i + Vector128<byte>.Count <= row.Length; i += Vector128<byte>.Count)
            {
                var (low, high) = Vector128.Widen(Vector128.LoadUnsafe(ref start, (nuint)i));
                low = ((low * keep128) + add128) >>> 8;
                high = ((high * keep128) + add128) >>> 8;
                Vector128.Narrow(low, high).StoreUnsafe(ref start, (nuint)i);
            }
        }

        ShadeRowScalar(row[i..], target, alpha);
    }

    /// <summary>The reference for <see cref="ShadeRow"/>: the same rounding, one byte at a time.</summary>
    internal static void ShadeRowScalar(Span<byte> row, byte target, int alpha)
    {
        var keep = 256 - alpha;
        var add = (target * alpha) + 128;
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = (byte)(((row[i] * keep) + add) >> 8);
        }
    }

    private static void ShadeStrip(I420Frame canvas, Clip clip)
    {
        var y = canvas.Y;
        for (var row = clip.Top; row < clip.Bottom; row++)
        {
            ShadeRow(y.Slice((row * canvas.StrideY) + clip.Left, clip.Right - clip.Left), ShadeLuma, ShadeAlpha);
        }

        // Whole 2×2 blocks only, except at the canvas's own odd right or bottom edge where the
        // last chroma sample has no neighbour to share with.
        var chromaLeft = (clip.Left + 1) >> 1;
        var chromaRight = clip.Right == canvas.Width ? canvas.ChromaWidth : clip.Right >> 1;
        var chromaTop = (clip.Top + 1) >> 1;
        var chromaBottom = clip.Bottom == canvas.Height ? canvas.ChromaHeight : clip.Bottom >> 1;
        if (chromaLeft >= chromaRight)
        {
            return;
        }

        var u = canvas.U;
        var v = canvas.V;
        for (var row = chromaTop; row < chromaBottom; row++)
        {
            var offset = (row * canvas.StrideUV) + chromaLeft;
            ShadeRow(u.Slice(offset, chromaRight - chromaLeft), NeutralChroma, ShadeAlpha);
            ShadeRow(v.Slice(offset, chromaRight - chromaLeft), NeutralChroma, ShadeAlpha);
        }
    }

    /// <summary>Lays the text out between <paramref name="textLeft"/> and <paramref name="textRight"/>, cutting it with an ellipsis if it is too wide.</summary>
    private void DrawText(I420Frame canvas, Clip clip, string text, int textLeft, int textRight, int baseline, int pixelSize)
    {
        var available = (textRight - textLeft) << 6;
        if (available <= 0)
        {
            return;
        }

        var span = text.AsSpan();
        if (Font.Measure(span, pixelSize) <= available)
        {
            DrawRun(canvas, clip, span, textLeft, baseline, pixelSize);
            return;
        }

        var ellipsis = Font.Glyph(Ellipsis, pixelSize);
        var room = available - ellipsis.Advance;
        var pen = 0;
        var cut = 0;
        var ellipsisPen = 0;
        var previous = default(Rune);
        BannerGlyph? previousGlyph = null;
        for (var i = 0; i < span.Length;)
        {
            var rune = BannerFont.NextRune(span, ref i);
            var glyph = Font.Glyph(rune, pixelSize);
            var next = pen + glyph.Advance + (previousGlyph == null ? 0 : Font.Kerning(previous, previousGlyph, rune, glyph, pixelSize));
            if (next > room)
            {
                break;
            }

            pen = next;
            if (!Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune))
            {
                cut = i;
                ellipsisPen = pen;
            }

            previous = rune;
            previousGlyph = glyph;
        }

        DrawRun(canvas, clip, span[..cut], textLeft, baseline, pixelSize);
        BlendGlyph(canvas, clip, ellipsis, textLeft + ((ellipsisPen + 32) >> 6), baseline);
    }

    private void DrawRun(I420Frame canvas, Clip clip, ReadOnlySpan<char> run, int originX, int baseline, int pixelSize)
    {
        var pen = 0;
        var previous = default(Rune);
        BannerGlyph? previousGlyph = null;
        for (var i = 0; i < run.Length;)
        {
            var rune = BannerFont.NextRune(run, ref i);
            var glyph = Font.Glyph(rune, pixelSize);
            if (previousGlyph != null)
            {
                pen += Font.Kerning(previous, previousGlyph, rune, glyph, pixelSize);
            }

            BlendGlyph(canvas, clip, glyph, originX + ((pen + 32) >> 6), baseline);
            pen += glyph.Advance;
            previous = rune;
            previousGlyph = glyph;
        }
    }

    /// <summary>Blends white into Y by the glyph's coverage, with its pen at (<paramref name="penX"/>, <paramref name="baseline"/>).</summary>
    private static void BlendGlyph(I420Frame canvas, Clip clip, BannerGlyph glyph, int penX, int baseline)
    {
        var left = penX + glyph.Left;
        var top = baseline - glyph.Top;
        var fromX = Math.Max(clip.Left - left, 0);
        var toX = Math.Min(clip.Right - left, glyph.Width);
        var fromY = Math.Max(clip.Top - top, 0);
        var toY = Math.Min(clip.Bottom - top, glyph.Rows);
        if (fromX >= toX || fromY >= toY)
        {
            return;
        }

        var plane = canvas.Y;
        var coverage = glyph.Coverage;
        for (var gy = fromY; gy < toY; gy++)
        {
            BlendRow(
                coverage.Slice((gy * glyph.Width) + fromX, toX - fromX),
                plane.Slice(((top + gy) * canvas.StrideY) + left + fromX, toX - fromX));
        }
    }

    /// <summary>
    /// Blends <see cref="TextLuma"/> into <paramref name="target"/> by <paramref name="coverage"/>/255.
    /// Branch-free (coverage 0 leaves the pixel as it was), and dividing by 255 as
    /// (t + (t >> 8)) >> 8, which is exact to within one step for t up to 255 × 255 + 128.
    /// </summary>
    internal static void BlendRow(ReadOnlySpan<byte> coverage, Span<byte> target)
    {
        ref var alpha = ref MemoryMarshal.GetReference(coverage);
        ref var luma = ref MemoryMarshal.GetReference(target[..coverage.Length]);
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var full = Vector128.Create((ushort)255);
            var text = Vector128.Create((ushort)TextLuma);
            var half = Vector128.Create((ushort)128);
            for (; i + Vector128<byte>.Count <= coverage.Length; i += Vector128<byte>.Count)
            {
                var (alphaLow, alphaHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref alpha, (nuint)i));
                var (lumaLow, lumaHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref luma, (nuint)i));
                var low = (lumaLow * (full - alphaLow)) + (text * alphaLow) + half;
                var high = (lumaHigh * (full - alphaHigh)) + (text * alphaHigh) + half;
                low = (low + (low >>> 8)) >>> 8;
                high = (high + (high >>> 8)) >>> 8;
                Vector128.Narrow(low, high).StoreUnsafe(ref luma, (nuint)i);
            }
        }

        for (; i < coverage.Length; i++)
        {
            int a = Unsafe.Add(ref alpha, i);
            ref var y = ref Unsafe.Add(ref luma, i);
            var t = (y * (255 - a)) + (TextLuma * a) + 128;
            y = (byte)((t + (t >> 8)) >> 8);
        }
    }

    /// <summary>The strip's rectangle on the canvas: left and top inclusive, right and bottom exclusive.</summary>
    private readonly record struct Clip(int Left, int Top, int Right, int Bottom);
}

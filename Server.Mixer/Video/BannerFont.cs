using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Video;

/// <summary>
/// A TrueType font loaded once through FreeType, handing out rasterized glyphs for member
/// banners. Glyphs are cached per (code point, pixel size) and kerning per (pair, pixel size),
/// so once a banner has been drawn, drawing it again reads only managed memory and allocates
/// nothing.
/// </summary>
/// <remarks>
/// Thread-safe: compositor threads of several conferences may share one font. Cache hits are
/// lock-free reads of a <see cref="ConcurrentDictionary{TKey, TValue}"/>; a miss takes a lock
/// around FreeType, because an FT_Face (and its one glyph slot) must not be used by two
/// threads at once. The caches are bounded by <see cref="MaxCacheBytes"/>; when a new entry
/// would pass it they are emptied and refill on demand, which only costs re-rendering.
/// The host owns the font and disposes it after the last renderer using it has stopped.
/// </remarks>
public sealed unsafe class BannerFont : IDisposable
{
    /// <summary>DejaVu Sans from Debian's fonts-dejavu-core.</summary>
    public const string DefaultPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public const int MinPixelSize = 4;

    public const int MaxPixelSize = 256;

    /// <summary>Cache budget: a few thousand glyphs at banner sizes, a few hundred at the largest.</summary>
    public const long MaxCacheBytes = 8 * 1024 * 1024;

    private const int KerningFootprint = 64;
    private static readonly Rune Space = new(' ');

    private readonly Lock _faceLock = new();
    private readonly FreeTypeLibraryHandle _library;
    private readonly ConcurrentDictionary<long, BannerGlyph> _glyphs = new();
    private readonly ConcurrentDictionary<long, int> _kerning = new();
    private readonly bool _hasKerning;
    private readonly int _unitsPerEm;
    private readonly int _ascender;
    private readonly int _descender;
    private LibFreeTypeNative.FaceRec* _face;
    private int _facePixelSize;
    private long _cachedBytes;

    /// <summary>Opens the font at <paramref name="path"/> (face 0).</summary>
    /// <exception cref="NativeLibraryMissingException">libfreetype6 is not installed.</exception>
    /// <exception cref="FileNotFoundException">The font file is missing; for the default path the message names fonts-dejavu-core.</exception>
    /// <exception cref="InvalidDataException">FreeType cannot read the file as a font.</exception>
    public BannerFont(string path = DefaultPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        LibFreeType.EnsureAvailable();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                path == DefaultPath
                    ? $"The banner font {path} is missing (Debian package fonts-dejavu-core): apt-get install fonts-dejavu-core"
                    : $"The banner font {path} is missing.",
                path);
        }

        Path = path;
        _library = FreeTypeLibraryHandle.Create();
        LibFreeTypeNative.FaceRec* face;
        var error = LibFreeTypeNative.NewFace(_library.DangerousGetHandle(), path, 0, &face);
        if (error != 0)
        {
            _library.Dispose();
            throw new InvalidDataException($"FreeType cannot open {path} as a font (FreeType error 0x{error:X2}).");
        }

        // Bitmap-only fonts have no design units to scale; banners need a scalable outline font.
        if (face->UnitsPerEm == 0)
        {
            LibFreeTypeNative.DoneFace(face);
            _library.Dispose();
            throw new InvalidDataException($"{path} is not a scalable font.");
        }

        _face = face;
        _hasKerning = (face->FaceFlags & LibFreeTypeNative.FaceFlagKerning) != 0;
        _unitsPerEm = face->UnitsPerEm;
        _ascender = face->Ascender;
        _descender = face->Descender;
        FamilyName = Marshal.PtrToStringUTF8((nint)face->FamilyName) ?? string.Empty;
    }

    public string Path { get; }

    /// <summary>The family name the font declares, e.g. "DejaVu Sans".</summary>
    public string FamilyName { get; }

    /// <summary>Whole pixels the font reaches above the baseline at <paramref name="pixelSize"/>.</summary>
    public int Ascent(int pixelSize) => DivideRoundingUp(_ascender * CheckSize(pixelSize), _unitsPerEm);

    /// <summary>Whole pixels the font reaches below the baseline at <paramref name="pixelSize"/> (positive).</summary>
    public int Descent(int pixelSize) => DivideRoundingUp(-_descender * CheckSize(pixelSize), _unitsPerEm);

    /// <summary>
    /// The glyph for <paramref name="rune"/> at <paramref name="pixelSize"/> (the em size in
    /// pixels); control characters come back as a space. Characters the font lacks come back
    /// as its .notdef box (<see cref="BannerGlyph.GlyphIndex"/> 0). Allocates only on a miss.
    /// </summary>
    public BannerGlyph Glyph(Rune rune, int pixelSize)
    {
        CheckSize(pixelSize);
        if (Rune.IsControl(rune))
        {
            rune = Space;
        }

        var key = ((long)pixelSize << 21) | (long)rune.Value;
        return _glyphs.TryGetValue(key, out var glyph) ? glyph : Render(key, rune, pixelSize);
    }

    /// <summary>The pen adjustment between two characters in 1/64 pixel, usually zero or negative ("AV").</summary>
    public int Kerning(Rune left, Rune right, int pixelSize) =>
        Kerning(left, Glyph(left, pixelSize), right, Glyph(right, pixelSize), pixelSize);

    /// <summary>
    /// The pen advance of <paramref name="text"/> in 1/64 pixel: glyph advances plus kerning.
    /// Allocates nothing once the glyphs are cached.
    /// </summary>
    public int Measure(ReadOnlySpan<char> text, int pixelSize)
    {
        var width = 0;
        var previous = default(Rune);
        BannerGlyph? previousGlyph = null;
        for (var i = 0; i < text.Length;)
        {
            var rune = NextRune(text, ref i);
            var glyph = Glyph(rune, pixelSize);
            if (previousGlyph != null)
            {
                width += Kerning(previous, previousGlyph, rune, glyph, pixelSize);
            }

            width += glyph.Advance;
            previous = rune;
            previousGlyph = glyph;
        }

        return width;
    }

    /// <summary>Kerning for glyphs the caller already holds, which saves looking them up again.</summary>
    internal int Kerning(Rune left, BannerGlyph leftGlyph, Rune right, BannerGlyph rightGlyph, int pixelSize)
    {
        if (!_hasKerning || leftGlyph.GlyphIndex == 0 || rightGlyph.GlyphIndex == 0)
        {
            return 0;
        }

        var key = ((long)pixelSize << 42) | ((long)Normalize(left).Value << 21) | (long)Normalize(right).Value;
        return _kerning.TryGetValue(key, out var kerning)
            ? kerning
            : LoadKerning(key, leftGlyph.GlyphIndex, rightGlyph.GlyphIndex, pixelSize);
    }

    /// <summary>Closes the face and the library. Cached glyphs already handed out stay valid.</summary>
    public void Dispose()
    {
        lock (_faceLock)
        {
            if (_face != null)
            {
                LibFreeTypeNative.DoneFace(_face);
                _face = null;
            }
        }

        _library.Dispose();
    }

    /// <summary>Decodes the code point at <paramref name="index"/> and steps past it; broken surrogates decode as U+FFFD.</summary>
    internal static Rune NextRune(ReadOnlySpan<char> text, ref int index)
    {
        Rune.DecodeFromUtf16(text[index..], out var rune, out var consumed);
        index += Math.Max(consumed, 1);
        return rune;
    }

    private static Rune Normalize(Rune rune) => Rune.IsControl(rune) ? Space : rune;

    private static int CheckSize(int pixelSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelSize, MinPixelSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixelSize, MaxPixelSize);
        return pixelSize;
    }

    private static int DivideRoundingUp(int value, int divisor) => (value + divisor - 1) / divisor;

    private BannerGlyph Render(long key, Rune rune, int pixelSize)
    {
        lock (_faceLock)
        {
            // Another thread may have rendered it while we waited for the lock.
            if (_glyphs.TryGetValue(key, out var cached))
            {
                return cached;
            }

            SelectSize(pixelSize);
            var index = LibFreeTypeNative.GetCharIndex(_face, (nuint)rune.Value);
            BannerGlyph glyph;
            if (LibFreeTypeNative.LoadGlyph(_face, index, LibFreeTypeNative.LoadRender) != 0)
            {
                // A glyph FreeType cannot load or rasterize draws as nothing; caching that
                // keeps a broken glyph from costing a native call every frame.
                glyph = new BannerGlyph(0, 0, 0, 0, 0, 0, []);
            }
            else
            {
                glyph = CopySlot(_face->Glyph, index);
            }

            Remember(glyph.Footprint);
            _glyphs[key] = glyph;
            return glyph;
        }
    }

    private int LoadKerning(long key, uint leftIndex, uint rightIndex, int pixelSize)
    {
        lock (_faceLock)
        {
            if (_kerning.TryGetValue(key, out var cached))
            {
                return cached;
            }

            SelectSize(pixelSize);
            LibFreeTypeNative.Vector delta;
            var kerning = LibFreeTypeNative.GetKerning(_face, leftIndex, rightIndex, LibFreeTypeNative.KerningDefault, &delta) == 0
                ? (int)delta.X
                : 0;
            Remember(KerningFootprint);
            _kerning[key] = kerning;
            return kerning;
        }
    }

    /// <summary>Sets the face's size if the last native call used another; caller holds the face lock.</summary>
    private void SelectSize(int pixelSize)
    {
        ObjectDisposedException.ThrowIf(_face == null, this);
        if (_facePixelSize == pixelSize)
        {
            return;
        }

        var error = LibFreeTypeNative.SetPixelSizes(_face, 0, (uint)pixelSize);
        if (error != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"FT_Set_Pixel_Sizes({pixelSize}) failed with FreeType error 0x{error:X2} for {Path}."));
        }

        _facePixelSize = pixelSize;
    }

    /// <summary>Counts an entry against the budget, first emptying the caches if it would pass it; caller holds the face lock.</summary>
    private void Remember(int bytes)
    {
        if (_cachedBytes + bytes > MaxCacheBytes)
        {
            _glyphs.Clear();
            _kerning.Clear();
            _cachedBytes = 0;
        }

        _cachedBytes += bytes;
    }

    /// <summary>Copies the slot's bitmap into a tight, top-down, 0..255 coverage array.</summary>
    private static BannerGlyph CopySlot(LibFreeTypeNative.GlyphSlotRec* slot, uint index)
    {
        ref var bitmap = ref slot->Bitmap;
        var width = (int)bitmap.Width;
        var rows = (int)bitmap.Rows;
        var advance = (int)slot->Advance.X;
        var supported = bitmap.PixelMode is LibFreeTypeNative.PixelModeGray or LibFreeTypeNative.PixelModeMono;
        if (width == 0 || rows == 0 || bitmap.Buffer == null || !supported)
        {
            // Blank (space) or a colour/LCD bitmap we do not blend: keep the advance, draw nothing.
            return new BannerGlyph(index, 0, 0, 0, 0, advance, []);
        }

        var coverage = new byte[width * rows];
        var pitch = Math.Abs(bitmap.Pitch);
        var maxGray = Math.Max(bitmap.NumGrays - 1, 1);
        for (var row = 0; row < rows; row++)
        {
            // A negative pitch stores the bottom row first (ftimage.h, FT_Bitmap).
            var source = bitmap.Buffer + ((bitmap.Pitch >= 0 ? row : rows - 1 - row) * pitch);
            var target = coverage.AsSpan(row * width, width);
            if (bitmap.PixelMode == LibFreeTypeNative.PixelModeMono)
            {
                for (var x = 0; x < width; x++)
                {
                    target[x] = (source[x >> 3] & (0x80 >> (x & 7))) != 0 ? (byte)255 : (byte)0;
                }
            }
            else if (maxGray == 255)
            {
                new ReadOnlySpan<byte>(source, width).CopyTo(target);
            }
            else
            {
                for (var x = 0; x < width; x++)
                {
                    target[x] = (byte)Math.Min(255, source[x] * 255 / maxGray);
                }
            }
        }

        return new BannerGlyph(index, width, rows, slot->BitmapLeft, slot->BitmapTop, advance, coverage);
    }
}

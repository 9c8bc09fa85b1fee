using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// The FreeType entry points and record fields we use (freetype.h, ftimage.h; Debian's
/// libfreetype6 2.12.1 in bookworm, 2.13 in trixie). Debian's libfreetype6 ships only the
/// versioned soname (the unversioned libfreetype.so comes with -dev), so that is the name we
/// import. Callers go through <see cref="LibFreeType.EnsureAvailable"/> first so a missing
/// package is one clear error. None of these calls is thread-safe on one face: the caller
/// serializes them (see BannerFont).
/// </summary>
/// <remarks>
/// Integer types on LP64 Linux (x86-64 and AArch64): FT_Error, FT_Int, FT_Int32 and FT_UInt
/// are 32 bits; FT_Long, FT_ULong and FT_Pos (C long) are 64 bits, hence <c>nint</c> and
/// <c>nuint</c> below. Handles (FT_Library, FT_Face, FT_GlyphSlot) are pointers.
/// </remarks>
internal static unsafe partial class LibFreeTypeNative
{
    private const string Library = "libfreetype.so.6";

    /// <summary>FT_LOAD_RENDER (freetype.h): load the glyph and rasterize it into the slot's bitmap.</summary>
    internal const int LoadRender = 1 << 2;

    /// <summary>FT_KERNING_DEFAULT (freetype.h): grid-fitted kerning in 26.6 pixels.</summary>
    internal const uint KerningDefault = 0;

    /// <summary>FT_FACE_FLAG_KERNING (freetype.h): the face has a 'kern' table FT_Get_Kerning can read.</summary>
    internal const long FaceFlagKerning = 1L << 6;

    /// <summary>FT_PIXEL_MODE_MONO (ftimage.h): one bit per pixel, most significant bit first.</summary>
    internal const byte PixelModeMono = 1;

    /// <summary>FT_PIXEL_MODE_GRAY (ftimage.h): one byte of coverage per pixel, 0 to num_grays - 1 (255).</summary>
    internal const byte PixelModeGray = 2;

    [LibraryImport(Library, EntryPoint = "FT_Init_FreeType")]
    internal static partial int InitFreeType(nint* library);

    [LibraryImport(Library, EntryPoint = "FT_Done_FreeType")]
    internal static partial int DoneFreeType(nint library);

    [LibraryImport(Library, EntryPoint = "FT_Library_Version")]
    internal static partial void LibraryVersion(nint library, int* major, int* minor, int* patch);

    /// <summary>Opens face <paramref name="faceIndex"/> of a font file; the path goes over as UTF-8 bytes.</summary>
    [LibraryImport(Library, EntryPoint = "FT_New_Face", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int NewFace(nint library, string path, nint faceIndex, FaceRec** face);

    [LibraryImport(Library, EntryPoint = "FT_Done_Face")]
    internal static partial int DoneFace(FaceRec* face);

    /// <summary>A width of 0 means "same as the height", the nominal em size in pixels.</summary>
    [LibraryImport(Library, EntryPoint = "FT_Set_Pixel_Sizes")]
    internal static partial int SetPixelSizes(FaceRec* face, uint pixelWidth, uint pixelHeight);

    /// <summary>The glyph index of a Unicode code point in the face's charmap; 0 (.notdef) when the font lacks it.</summary>
    [LibraryImport(Library, EntryPoint = "FT_Get_Char_Index")]
    internal static partial uint GetCharIndex(FaceRec* face, nuint charCode);

    /// <summary>Loads (and with <see cref="LoadRender"/> rasterizes) one glyph into <c>face->glyph</c>, replacing the last one.</summary>
    [LibraryImport(Library, EntryPoint = "FT_Load_Glyph")]
    internal static partial int LoadGlyph(FaceRec* face, uint glyphIndex, int loadFlags);

    /// <summary>FT_Get_Char_Index and FT_Load_Glyph in one call.</summary>
    [LibraryImport(Library, EntryPoint = "FT_Load_Char")]
    internal static partial int LoadChar(FaceRec* face, nuint charCode, int loadFlags);

    [LibraryImport(Library, EntryPoint = "FT_Get_Kerning")]
    internal static partial int GetKerning(FaceRec* face, uint leftGlyph, uint rightGlyph, uint kernMode, Vector* kerning);

    // The records below mirror only the fields we read. Offsets are for LP64 (x86-64; AArch64
    // lays them out the same) and come from the public structs, counting 8 bytes for every
    // pointer and FT_Long/FT_Pos, 4 for FT_Int/FT_UInt/FT_Glyph_Format, 2 for FT_UShort/FT_Short,
    // with C alignment. They were confirmed with offsetof() against libfreetype-dev
    // 2.12.1+dfsg-5 (bookworm): sizeof(FT_FaceRec) 248, sizeof(FT_GlyphSlotRec) 304,
    // sizeof(FT_Bitmap) 40. These records are public ABI under soname 6, unchanged through
    // 2.13. BannerTests renders a known glyph to check them.

    /// <summary>FT_Vector (ftimage.h): two FT_Pos, 26.6 fixed point for kerning and advances.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Vector
    {
        public nint X;
        public nint Y;
    }

    /// <summary>
    /// FT_FaceRec (freetype.h): num_faces, face_index, face_flags, style_flags, num_glyphs
    /// (FT_Long each, 0..39), family_name, style_name (40, 48), num_fixed_sizes (FT_Int, 56),
    /// available_sizes (64), num_charmaps (72), charmaps (80), generic (FT_Generic, 88..103),
    /// bbox (FT_BBox, four FT_Pos, 104..135), units_per_EM (136), ascender (138), descender
    /// (140), height (142), max_advance_width (144), max_advance_height (146),
    /// underline_position (148), underline_thickness (150), glyph (152), size (160), ...
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 248)]
    internal struct FaceRec
    {
        [FieldOffset(16)]
        public nint FaceFlags;

        [FieldOffset(40)]
        public byte* FamilyName;

        /// <summary>Design units per em, to scale the font-wide metrics below to a pixel size.</summary>
        [FieldOffset(136)]
        public ushort UnitsPerEm;

        /// <summary>Typographic ascender in design units (positive, above the baseline).</summary>
        [FieldOffset(138)]
        public short Ascender;

        /// <summary>Typographic descender in design units (negative, below the baseline).</summary>
        [FieldOffset(140)]
        public short Descender;

        /// <summary>The face's one glyph slot; every FT_Load_Glyph overwrites it.</summary>
        [FieldOffset(152)]
        public GlyphSlotRec* Glyph;
    }

    /// <summary>
    /// FT_GlyphSlotRec (freetype.h): library, face, next (0..23), glyph_index (FT_UInt, 24),
    /// generic (32..47), metrics (FT_Glyph_Metrics, eight FT_Pos, 48..111),
    /// linearHoriAdvance (112), linearVertAdvance (120), advance (FT_Vector, 128..143),
    /// format (FT_Glyph_Format, 144), bitmap (FT_Bitmap, 152..191), bitmap_left (FT_Int, 192),
    /// bitmap_top (FT_Int, 196), outline (200), ...
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 304)]
    internal struct GlyphSlotRec
    {
        /// <summary>Pen advance in 26.6 pixels; rounded to whole pixels when the glyph was hinted.</summary>
        [FieldOffset(128)]
        public Vector Advance;

        [FieldOffset(152)]
        public Bitmap Bitmap;

        /// <summary>Pixels from the pen to the bitmap's left column.</summary>
        [FieldOffset(192)]
        public int BitmapLeft;

        /// <summary>Pixels from the baseline up to the bitmap's top row.</summary>
        [FieldOffset(196)]
        public int BitmapTop;
    }

    /// <summary>
    /// FT_Bitmap (ftimage.h): rows (unsigned int, 0), width (unsigned int, 4), pitch (int, 8),
    /// buffer (unsigned char*, 16), num_grays (unsigned short, 24), pixel_mode (unsigned char,
    /// 26), palette_mode (27), palette (32). A negative pitch means the rows run bottom-up.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    internal struct Bitmap
    {
        [FieldOffset(0)]
        public uint Rows;

        [FieldOffset(4)]
        public uint Width;

        [FieldOffset(8)]
        public int Pitch;

        [FieldOffset(16)]
        public byte* Buffer;

        [FieldOffset(24)]
        public ushort NumGrays;

        [FieldOffset(26)]
        public byte PixelMode;
    }
}

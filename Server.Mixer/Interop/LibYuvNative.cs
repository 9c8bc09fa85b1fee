using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// The libyuv entry points we call (libyuv/scale.h, planar_functions.h; Debian libyuv0,
/// snapshot 0.0.1857). Debian ships only the versioned soname, so that is the name we
/// import. Every function takes raw plane pointers and strides, which is what lets the
/// compositor scale straight into a sub-rectangle of the canvas: pass the address of the
/// tile's first pixel and the canvas's stride. Callers go through <see cref="LibYuv"/>, which
/// checks bounds; nothing here does. The int-returning ones give 0 or -1 (bad argument).
/// </summary>
internal static unsafe partial class LibYuvNative
{
    private const string Library = "libyuv.so.0";

    /// <summary>Detects the CPU's SIMD extensions (cached by libyuv); returns its flag word.</summary>
    [LibraryImport(Library, EntryPoint = "InitCpuFlags")]
    internal static partial int InitCpuFlags();

    /// <summary>Scales one I420 picture into another; <paramref name="filtering"/> is FilterMode (0 none, 1 linear, 2 bilinear, 3 box).</summary>
    [LibraryImport(Library, EntryPoint = "I420Scale")]
    internal static partial int I420Scale(
        byte* srcY,
        int srcStrideY,
        byte* srcU,
        int srcStrideU,
        byte* srcV,
        int srcStrideV,
        int srcWidth,
        int srcHeight,
        byte* dstY,
        int dstStrideY,
        byte* dstU,
        int dstStrideU,
        byte* dstV,
        int dstStrideV,
        int dstWidth,
        int dstHeight,
        int filtering);

    [LibraryImport(Library, EntryPoint = "I420Copy")]
    internal static partial int I420Copy(
        byte* srcY,
        int srcStrideY,
        byte* srcU,
        int srcStrideU,
        byte* srcV,
        int srcStrideV,
        byte* dstY,
        int dstStrideY,
        byte* dstU,
        int dstStrideU,
        byte* dstV,
        int dstStrideV,
        int width,
        int height);

    [LibraryImport(Library, EntryPoint = "CopyPlane")]
    internal static partial void CopyPlane(byte* src, int srcStride, byte* dst, int dstStride, int width, int height);

    /// <summary>Fills a rectangle of one plane with the low byte of <paramref name="value"/>.</summary>
    [LibraryImport(Library, EntryPoint = "SetPlane")]
    internal static partial void SetPlane(byte* dst, int dstStride, int width, int height, uint value);

    /// <summary>
    /// Fills a rectangle of an I420 picture; <paramref name="x"/> and <paramref name="y"/> are luma
    /// pixels, chroma covers (x/2, y/2) for ((width+1)/2, (height+1)/2) samples.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "I420Rect")]
    internal static partial int I420Rect(
        byte* dstY,
        int dstStrideY,
        byte* dstU,
        int dstStrideU,
        byte* dstV,
        int dstStrideV,
        int x,
        int y,
        int width,
        int height,
        int valueY,
        int valueU,
        int valueV);
}

using Microsoft.Win32.SafeHandles;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// An <c>FT_Library</c>; freed with <c>FT_Done_FreeType</c> once nothing is using it, which
/// also frees any face still open on it. Not thread-safe: its owner serializes every call on
/// the library and its faces.
/// </summary>
internal sealed unsafe class FreeTypeLibraryHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FreeTypeLibraryHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>A new library instance with FreeType's default modules.</summary>
    /// <exception cref="InvalidOperationException">FT_Init_FreeType failed (out of memory).</exception>
    public static FreeTypeLibraryHandle Create()
    {
        nint library;
        var error = LibFreeTypeNative.InitFreeType(&library);
        if (error != 0)
        {
            throw new InvalidOperationException($"FT_Init_FreeType failed with FreeType error 0x{error:X2}.");
        }

        var handle = new FreeTypeLibraryHandle();
        handle.SetHandle(library);
        return handle;
    }

    /// <summary>The running library's version (FT_Library_Version).</summary>
    public (int Major, int Minor, int Patch) Version()
    {
        int major, minor, patch;
        LibFreeTypeNative.LibraryVersion(handle, &major, &minor, &patch);
        return (major, minor, patch);
    }

    protected override bool ReleaseHandle() => LibFreeTypeNative.DoneFreeType(handle) == 0;
}

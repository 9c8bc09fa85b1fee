using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// Process-wide libvpx check: loads the library once, reads its version and resolves the VP8
/// interfaces. Any thread may call it; every VP8 encoder and decoder does, and the host can call
/// it at start so a missing package fails the start instead of the first video call.
/// </summary>
public static class LibVpx
{
    private const string MissingMessage = "libvpx (Debian package libvpx7) is not installed: apt-get install libvpx7";

    private static readonly NativeLibraryProbe Probe = new(MissingMessage, () =>
    {
        var version = Marshal.PtrToStringUTF8(LibVpxNative.CodecVersionString()) ?? "libvpx";

        // A libvpx built without VP8 (--disable-vp8) still loads; catch that here too.
        if (LibVpxNative.Vp8EncoderInterface() == 0 || LibVpxNative.Vp8DecoderInterface() == 0)
        {
            throw new NativeLibraryMissingException($"{MissingMessage} (the loaded libvpx {version} has no VP8)");
        }

        return version;
    });

    /// <summary>The library's own version string.</summary>
    public static string Version => Probe.Version;

    /// <summary>Loads the library; cheap after the first call.</summary>
    /// <exception cref="NativeLibraryMissingException">The shared library or one of its symbols is missing.</exception>
    public static void EnsureAvailable() => Probe.Ensure();

    /// <summary>libvpx's text for an error code, for exception messages.</summary>
    internal static string ErrorText(int error) => Marshal.PtrToStringUTF8(LibVpxNative.CodecErrorToString(error)) ?? $"error {error}";

    /// <summary>The context's last error and its detail (e.g. "Truncated packet"), for exception messages.</summary>
    internal static string ErrorText(VpxCodecHandle codec)
    {
        var error = Marshal.PtrToStringUTF8(LibVpxNative.CodecError(codec)) ?? "error";
        var detail = Marshal.PtrToStringUTF8(LibVpxNative.CodecErrorDetail(codec));
        return detail is null ? error : $"{error} ({detail})";
    }
}

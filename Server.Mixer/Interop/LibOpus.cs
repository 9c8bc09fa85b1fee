using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// Process-wide libopus check: loads the library once and reads its version. Any thread may
/// call it; every Opus encoder and decoder does, and the host can call it at start so a
/// missing package fails the start instead of the first call.
/// </summary>
public static class LibOpus
{
    private const string MissingMessage = "libopus (Debian package libopus0) is not installed: apt-get install libopus0";

    private static readonly NativeLibraryProbe Probe = new(MissingMessage, () => Marshal.PtrToStringUTF8(LibOpusNative.GetVersionString()) ?? "libopus");

    /// <summary>The library's own version string.</summary>
    public static string Version => Probe.Version;

    /// <summary>Loads the library; cheap after the first call.</summary>
    /// <exception cref="NativeLibraryMissingException">The shared library or one of its symbols is missing.</exception>
    public static void EnsureAvailable() => Probe.Ensure();

    /// <summary>libopus's text for a negative return code, for exception messages.</summary>
    internal static string ErrorText(int error) => Marshal.PtrToStringUTF8(LibOpusNative.StrError(error)) ?? $"error {error}";
}

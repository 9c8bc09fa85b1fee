using System.Runtime.InteropServices;
using MediaServer.Mixer.Interop;

namespace MediaServer.Media.Srtp;

/// <summary>
/// Process-wide libsrtp2 set-up: loads the library and runs <c>srtp_init</c> once. Any thread
/// may call it; the first <see cref="SrtpSession"/> does, and the host can call it at start so
/// a missing package fails the start instead of the first call.
/// </summary>
public static class LibSrtp
{
    private const string MissingMessage = "libsrtp2 (Debian package libsrtp2-1) is not installed: apt-get install libsrtp2-1";

    private static readonly NativeLibraryProbe Probe = new(MissingMessage, () =>
    {
        // srtp_init runs once per process, here, before any session is made.
        var status = LibSrtpNative.Init();
        if (status != SrtpErrorStatus.Ok)
        {
            throw new InvalidOperationException($"srtp_init failed with status {(int)status}.");
        }

        return Marshal.PtrToStringUTF8(LibSrtpNative.GetVersionString()) ?? "libsrtp2";
    });

    /// <summary>The library's own version string, e.g. "libsrtp2 2.5.0".</summary>
    public static string Version => Probe.Version;

    /// <summary>Loads libsrtp2 and initialises it; cheap after the first call.</summary>
    /// <exception cref="NativeLibraryMissingException">The shared library or one of its symbols is missing.</exception>
    public static void EnsureAvailable() => Probe.Ensure();
}

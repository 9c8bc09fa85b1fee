using System.Globalization;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// Process-wide FreeType check: loads libfreetype once and reads its version. Any thread may
/// call it; every banner font does, and the host can call it at start so a missing package
/// fails the start instead of the first banner.
/// </summary>
public static class LibFreeType
{
    private const string MissingMessage = "libfreetype (Debian package libfreetype6) is not installed: apt-get install libfreetype6";

    private static readonly NativeLibraryProbe Probe = new(MissingMessage, () =>
    {
        // FreeType has no global version call: the version hangs off a library instance,
        // so we make a throwaway one. That also proves the library can initialise.
        using var library = FreeTypeLibraryHandle.Create();
        var (major, minor, patch) = library.Version();
        return string.Create(CultureInfo.InvariantCulture, $"FreeType {major}.{minor}.{patch}");
    });

    /// <summary>The library's own version string.</summary>
    public static string Version => Probe.Version;

    /// <summary>Loads the library; cheap after the first call.</summary>
    /// <exception cref="NativeLibraryMissingException">The shared library or one of its symbols is missing.</exception>
    public static void EnsureAvailable() => Probe.Ensure();
}

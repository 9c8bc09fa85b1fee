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

    private static readonly Lock InitLock = new();
    private static volatile bool s_initialized;
    private static string? s_version;

    /// <summary>The library's version, e.g. "FreeType 2.12.1".</summary>
    public static string Version
    {
        get
        {
            EnsureAvailable();
            return s_version!;
        }
    }

    /// <summary>Loads libfreetype; cheap after the first call.</summary>
    /// <exception cref="NativeLibraryMissingException">The shared library or one of its symbols is missing.</exception>
    public static void EnsureAvailable()
    {
        if (s_initialized)
        {
            return;
        }

        lock (InitLock)
        {
            if (s_initialized)
            {
                return;
            }

            try
            {
                // FreeType has no global version call: the version hangs off a library instance,
                // so we make a throwaway one. That also proves the library can initialise.
                using var library = FreeTypeLibraryHandle.Create();
                var (major, minor, patch) = library.Version();
                s_version = string.Create(CultureInfo.InvariantCulture, $"FreeType {major}.{minor}.{patch}");
            }
            catch (DllNotFoundException e)
            {
                throw new NativeLibraryMissingException(MissingMessage, e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new NativeLibraryMissingException(MissingMessage, e);
            }

            s_initialized = true;
        }
    }
}

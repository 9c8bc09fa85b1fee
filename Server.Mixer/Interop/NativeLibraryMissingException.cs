namespace MediaServer.Mixer.Interop;

/// <summary>
/// A native library the media plane needs (libsrtp2, libopus, libvpx, libyuv, libfreetype) could not be loaded. The message says
/// which Debian package to install, so an operator can act on the log line alone.
/// </summary>
public sealed class NativeLibraryMissingException : Exception
{
    public NativeLibraryMissingException()
    {
    }

    public NativeLibraryMissingException(string message)
        : base(message)
    {
    }

    public NativeLibraryMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

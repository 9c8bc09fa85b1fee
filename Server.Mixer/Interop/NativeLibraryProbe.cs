namespace MediaServer.Mixer.Interop;

/// <summary>
/// The start-up check every native library wrapper shares: the first call runs a probe that
/// touches the library (which loads it) and returns its version; a missing library or symbol
/// becomes a <see cref="NativeLibraryMissingException"/> carrying the wrapper's message, which
/// names the Debian package. Thread-safe; cheap after the first success; a failed probe is
/// tried again next time (the operator may have installed the package meanwhile).
/// </summary>
public sealed class NativeLibraryProbe
{
    private readonly Lock _gate = new();
    private readonly string _missingMessage;
    private readonly Func<string> _probe;
    private volatile string? _version;

    /// <param name="missingMessage">What to tell the operator, e.g. "libopus (Debian package libopus0) is not installed: apt-get install libopus0".</param>
    /// <param name="probe">Touches the library and returns its version text; may throw NativeLibraryMissingException itself for a library that loads but lacks a feature.</param>
    public NativeLibraryProbe(string missingMessage, Func<string> probe)
    {
        _missingMessage = missingMessage;
        _probe = probe;
    }

    public string MissingMessage => _missingMessage;

    /// <summary>The version the probe reported; runs the probe first if needed.</summary>
    public string Version
    {
        get
        {
            Ensure();
            return _version!;
        }
    }

    /// <exception cref="NativeLibraryMissingException">The shared library or one of its symbols is missing.</exception>
    public void Ensure()
    {
        if (_version is not null)
        {
            return;
        }

        lock (_gate)
        {
            if (_version is not null)
            {
                return;
            }

            try
            {
                _version = _probe();
            }
            catch (DllNotFoundException e)
            {
                throw new NativeLibraryMissingException(_missingMessage, e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new NativeLibraryMissingException(_missingMessage, e);
            }
        }
    }
}

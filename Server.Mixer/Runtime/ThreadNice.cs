using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Runtime;

/// <summary>
/// Raises the calling thread's scheduling priority on Linux (a negative nice value for that
/// thread alone). .NET's Thread.Priority does nothing on Linux, and a mixer tick that waits
/// behind socket and signalling threads reaches every listener late; where the process may
/// not raise priority (no CAP_SYS_NICE) the thread simply keeps the default.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>True when the nice value was set.</summary>
    public static bool TryRaise(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SetPriority(PrioProcess, GetTid(), nice) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int prio);
}

using System.Runtime.InteropServices;

namespace MediaServer.Bench.Load;

/// <summary>
/// The three epoll calls of Linux libc (epoll(7)), for <see cref="UdpReceiveLoop"/>. struct
/// epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes), so
/// events are read and written as bytes at the offsets of the running architecture.
/// </summary>
internal static partial class EpollNative
{
    public const int EpollIn = 0x001;
    public const int CtlAdd = 1;
    public const int CtlDelete = 2;
    public const int CloseOnExec = 0x80000;
    public const int Interrupted = 4;

    private const string Library = "libc";

    /// <summary>Bytes of one struct epoll_event.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of epoll_data_t inside struct epoll_event.</summary>
    public static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static unsafe partial int Control(int epoll, int operation, int fd, byte* evt);

    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    public static unsafe partial int Wait(int epoll, byte* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MediaServer.Bench.Load;

/// <summary>
/// One thread that receives for every peer: it waits on a level-triggered epoll set holding
/// all their non-blocking UDP sockets and has each ready peer read one datagram (a peer with
/// video reads up to a few: the canvas comes in bursts). A pending async receive per socket
/// costs no thread either, but .NET then wakes an event thread for nearly every datagram, and on a two-core machine shared with the
/// server those wake-ups cost more than the packets. Here, after each batch the thread
/// sleeps about a millisecond so the next one is bigger: at most about a thousand wake-ups a
/// second, whatever the member count, for up to a millisecond more on arrival times (which
/// the jitter figure includes). Linux only, as the rest of the audio scenario.
/// </summary>
internal sealed class UdpReceiveLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const int WaitMilliseconds = 100;

    private readonly int _epoll;
    private readonly Lock _gate = new();
    private readonly List<AudioPeer?> _peers = [];
    private readonly Thread _thread;
    private readonly bool _batch;
    private volatile bool _stopping;
    private int _version;
    private bool _disposed;
    private long _batches;
    private volatile string? _failure;

    public UdpReceiveLoop(bool batch)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the audio scenario receives with epoll: Linux only");
        }
        _batch = batch;
        _epoll = EpollNative.Create(EpollNative.CloseOnExec);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "udp receive" };
        _thread.Start();
    }

    /// <summary>Wake-ups that found datagrams; with the received count this says how well batching works.</summary>
    public long Batches => Volatile.Read(ref _batches);

    /// <summary>Why the loop stopped early (an epoll error), else null.</summary>
    public string? Failure => _failure;

    /// <summary>From now on the peer's datagrams are delivered to it on this loop's thread. Any thread.</summary>
    public unsafe void Add(AudioPeer peer)
    {
        int key;
        lock (_gate)
        {
            key = _peers.Count;
            _peers.Add(peer);
            _version++;
        }
        byte* evt = stackalloc byte[16];
        new Span<byte>(evt, 16).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(evt, 4), EpollNative.EpollIn);
        BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(evt + EpollNative.DataOffset, 8), (ulong)key);
        if (EpollNative.Control(_epoll, EpollNative.CtlAdd, peer.FileDescriptor, evt) != 0)
        {
            throw new IOException($"epoll_ctl(ADD) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Stops delivering to the peer (before it closes its socket).</summary>
    public unsafe void Remove(AudioPeer peer)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                // The epoll descriptor is closed, and its number may already be someone else's.
                return;
            }
            int key = _peers.IndexOf(peer);
            if (key < 0)
            {
                return;
            }
            _peers[key] = null;
            _version++;
        }
        byte* evt = stackalloc byte[16];
        EpollNative.Control(_epoll, EpollNative.CtlDelete, peer.FileDescriptor, evt);
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(2));
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            EpollNative.Close(_epoll);
        }
    }

    private unsafe void Run()
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(2048, pinned: true);
        byte* events = stackalloc byte[MaxEvents * EpollNative.EventSize];
        AudioPeer?[] peers = [];
        int version = 0;
        while (!_stopping)
        {
            int ready = EpollNative.Wait(_epoll, events, MaxEvents, WaitMilliseconds);
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() == EpollNative.Interrupted)
                {
                    continue;
                }
                // The top of a thread of our own: report instead of throwing, which would end the process.
                _failure = $"epoll_wait failed: errno {Marshal.GetLastPInvokeError()}";
                return;
            }
            if (ready == 0)
            {
                continue;
            }
            Volatile.Write(ref _batches, _batches + 1);
            lock (_gate)
            {
                if (version != _version)
                {
                    peers = [.. _peers];
                    version = _version;
                }
            }
            for (int i = 0; i < ready; i++)
            {
                byte* evt = events + i * EpollNative.EventSize;
                ulong key = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(evt + EpollNative.DataOffset, 8));
                if (key < (ulong)peers.Length && peers[key] is { } peer)
                {
                    peer.Receive(buffer);
                }
            }
            if (_batch)
            {
                Thread.Sleep(1);
            }
        }
    }
}

using System.Buffers;
using Org.BouncyCastle.Crypto.Tls;

namespace MediaServer.Media.Dtls;

/// <summary>
/// BouncyCastle's view of one leg's datagram path. The UDP receive thread pushes DTLS
/// datagrams into a small bounded queue of pooled copies (<see cref="TryEnqueue"/>, never
/// blocks); BouncyCastle pulls them on the handshake thread, or later on a pool thread that
/// drains post-handshake records, through <see cref="Receive"/>, which blocks at most the
/// time BouncyCastle asks for. Sends go straight to the leg's <see cref="IDatagramSink"/>.
/// Owned by one <see cref="DtlsTransport"/>.
/// </summary>
internal sealed class DtlsDatagramChannel : DatagramTransport
{
    /// <summary>
    /// Queued datagrams before we drop. A handshake flight is at most a handful of datagrams
    /// and BouncyCastle consumes them as they come; more means a flood, which we shed.
    /// </summary>
    public const int Capacity = 32;

    /// <summary>
    /// Largest datagram we hand to BouncyCastle. Browsers keep DTLS datagrams under the path
    /// MTU; a larger one is truncated, and BouncyCastle drops the record as malformed.
    /// </summary>
    public const int ReceiveLimit = 4096;

    /// <summary>
    /// Largest datagram we send: BouncyCastle fragments handshake messages to fit, and 1200
    /// bytes survives IPv6 minimum MTU plus TURN overhead.
    /// </summary>
    public const int SendLimit = 1200;

    private readonly IDatagramSink _sink;
    private readonly Queue<(byte[] Buffer, int Length)> _queue = new(Capacity);
    private readonly object _gate = new();
    private string? _abortReason;
    private bool _closed;
    private long _dropped;

    public DtlsDatagramChannel(IDatagramSink sink)
    {
        _sink = sink;
    }

    /// <summary>Why the handshake was stopped from outside (timeout, cancellation, dispose), if it was.</summary>
    public string? AbortReason => Volatile.Read(ref _abortReason);

    /// <summary>Datagrams dropped because the queue was full or the channel closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count > 0;
            }
        }
    }

    /// <summary>Copies the datagram into the queue; false when it was dropped. Called by the UDP receive thread.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            if (_closed || _abortReason is not null || _queue.Count >= Capacity)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            var copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
            datagram.CopyTo(copy);
            _queue.Enqueue((copy, datagram.Length));
            Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>
    /// Stops the handshake: the blocked <see cref="Receive"/> throws, BouncyCastle abandons the
    /// handshake, and queued datagrams go back to the pool. The first reason wins.
    /// </summary>
    public void Abort(string reason)
    {
        lock (_gate)
        {
            _abortReason ??= reason;
            ReleaseQueued();
            Monitor.PulseAll(_gate);
        }
    }

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => SendLimit;

    /// <summary>BouncyCastle's read: the next queued datagram, or -1 after <paramref name="waitMillis"/> without one.</summary>
    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        var deadline = Environment.TickCount64 + Math.Max(0, waitMillis);
        lock (_gate)
        {
            while (true)
            {
                if (_abortReason is not null)
                {
                    // Not a SocketException: BouncyCastle would take that for a timeout and retry.
                    throw new IOException(_abortReason);
                }

                if (_queue.TryDequeue(out var datagram))
                {
                    var length = Math.Min(datagram.Length, len);
                    datagram.Buffer.AsSpan(0, length).CopyTo(buf.AsSpan(off, length));
                    ArrayPool<byte>.Shared.Return(datagram.Buffer);
                    return length;
                }

                var remaining = deadline - Environment.TickCount64;
                if (_closed || remaining <= 0)
                {
                    return -1;
                }

                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(remaining));
            }
        }
    }

    /// <summary>BouncyCastle's write. A failed send is a lost datagram: DTLS retransmits.</summary>
    public void Send(byte[] buf, int off, int len)
    {
        if (Volatile.Read(ref _closed))
        {
            return;
        }

        try
        {
            _sink.Send(buf.AsSpan(off, len));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The socket is going away or the path is not up yet; either way the peer's
            // retransmission or our timeout decides, not an exception on the handshake thread.
        }
    }

    /// <summary>BouncyCastle closes its transport after a close_notify or a fatal alert.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            ReleaseQueued();
            Monitor.PulseAll(_gate);
        }
    }

    private void ReleaseQueued()
    {
        while (_queue.TryDequeue(out var datagram))
        {
            ArrayPool<byte>.Shared.Return(datagram.Buffer);
        }
    }
}

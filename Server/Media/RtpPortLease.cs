using System.Net.Sockets;

namespace MediaServer.Media;

/// <summary>
/// One rented RTP/RTCP port pair with its two bound sockets, from an <see cref="RtpPortPool"/>.
/// Owned by the plain RTP transport that uses it; disposing closes the sockets and gives the
/// pair back (once, from any thread).
/// </summary>
internal sealed class RtpPortLease : IDisposable
{
    private readonly RtpPortPool _pool;
    private int _disposed;

    internal RtpPortLease(RtpPortPool pool, int pair, int rtpPort, Socket rtp, Socket rtcp)
    {
        _pool = pool;
        Pair = pair;
        RtpPort = rtpPort;
        Rtp = rtp;
        Rtcp = rtcp;
    }

    /// <summary>The even port: RTP (and RTCP too under rtcp-mux).</summary>
    public int RtpPort { get; }

    /// <summary>RtpPort + 1 (RFC 3550 §11).</summary>
    public int RtcpPort => RtpPort + 1;

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    internal int Pair { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Rtp.Dispose();
        Rtcp.Dispose();
        _pool.Return(this);
    }
}

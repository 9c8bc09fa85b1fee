using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using MediaServer.Configuration;
using MediaServer.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Media;

/// <summary>
/// The UDP ports of plain RTP legs (--rtp-ports, default 20000-29999): an even port for RTP
/// and the next one for RTCP (RFC 3550 §11), both bound on the server's address. Rentals go
/// round the range from where the last one stopped, so a port just given back is the last to
/// be used again (late packets of an ended call do not land in a new one), and ports another
/// process holds are skipped. Bounded by the range: one pass over it at most per rental.
/// Owned by the host; thread-safe; a lease gives its ports back when disposed.
/// </summary>
internal sealed class RtpPortPool
{
    private readonly Lock _gate = new();
    private readonly bool[] _rented;
    private readonly int _firstPort;
    private int _next;
    private int _inUse;

    /// <param name="range">The configured range (ServerSettings.RtpPorts).</param>
    /// <param name="bind">The server's bind address (ServerSettings.Bind); IPv6Any binds dual-mode.</param>
    /// <param name="metrics">Where plain RTP counts go; the server's, so /metrics shows them.</param>
    /// <param name="log">For receive failures (at most a line a second).</param>
    public RtpPortPool(PortRange range, IPAddress bind, ServerMetrics? metrics = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(bind);
        BindAddress = bind;
        Range = range;
        Metrics = metrics ?? new ServerMetrics();
        Log = log ?? NullLogger.Instance;
        _firstPort = range.First + (range.First & 1);
        var pairs = (range.Last - _firstPort + 1) / 2;
        if (pairs < 1)
        {
            throw new ArgumentException($"--rtp-ports {range} holds no even/odd port pair", nameof(range));
        }

        _rented = new bool[pairs];
        // A random start, so a restarted server does not hand out the ports its last run used.
        _next = Random.Shared.Next(pairs);
    }

    public IPAddress BindAddress { get; }

    public PortRange Range { get; }

    public ServerMetrics Metrics { get; }

    public ILogger Log { get; }

    /// <summary>How many RTP/RTCP pairs the range holds.</summary>
    public int Capacity => _rented.Length;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    /// <summary>
    /// A plain leg whose peer should be sending and has sent no RTP for this long fails with
    /// <see cref="TransportFailure.RtpTimeout"/>. Tests shorten it.
    /// </summary>
    public int RtpTimeoutMs { get; set; } = 60_000;

    /// <summary>Binds the next free pair; false when every pair is rented or held by someone else.</summary>
    public bool TryRent([NotNullWhen(true)] out RtpPortLease? lease)
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < _rented.Length; attempt++)
            {
                var pair = _next;
                _next = (_next + 1) % _rented.Length;
                if (_rented[pair])
                {
                    continue;
                }

                var port = _firstPort + (2 * pair);
                var rtp = Open(port);
                if (rtp is null)
                {
                    continue;
                }

                var rtcp = Open(port + 1);
                if (rtcp is null)
                {
                    rtp.Dispose();
                    continue;
                }

                _rented[pair] = true;
                _inUse++;
                Interlocked.Increment(ref Metrics.RtpPortsInUse);
                lease = new RtpPortLease(this, pair, port, rtp, rtcp);
                return true;
            }
        }

        Interlocked.Increment(ref Metrics.RtpPortsExhausted);
        lease = null;
        return false;
    }

    /// <summary>A lease's sockets are closed: its pair can be rented again.</summary>
    internal void Return(RtpPortLease lease)
    {
        lock (_gate)
        {
            if (_rented[lease.Pair])
            {
                _rented[lease.Pair] = false;
                _inUse--;
                Interlocked.Decrement(ref Metrics.RtpPortsInUse);
            }
        }
    }

    private Socket? Open(int port)
    {
        var socket = new Socket(BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (BindAddress.Equals(IPAddress.IPv6Any))
            {
                // Bound to every address: IPv4 phones are reached through mapped addresses.
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(BindAddress, port));
            return socket;
        }
        catch (SocketException)
        {
            // In use by another process (or not bindable at all): the next pair is tried.
            socket.Dispose();
            return null;
        }
    }
}

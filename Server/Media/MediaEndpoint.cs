using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaServer.Media.Srtp;
using MediaServer.Observability;
using MediaServer.Protocol;
using MediaServer.Protocol.Stun;
using Microsoft.Extensions.Logging;

namespace MediaServer.Media;

/// <summary>
/// The one UDP socket of every WebRTC leg (contract.md --media-port). A dedicated thread
/// receives datagrams and demultiplexes them (architecture.md "Media path"): STUN binding
/// requests by the ICE username (our ufrag before the colon), everything else by the remote
/// address a valid check bound to a transport. Classification follows RFC 7983. Owned by
/// the host; transports register and unregister themselves.
/// </summary>
internal sealed class MediaEndpoint : IDisposable
{
    /// <summary>Large enough for any datagram a browser sends plus the SRTP trailer room the relay needs.</summary>
    public const int BufferSize = 2048;

    private readonly Socket _socket;
    private readonly Thread _receiver;
    private readonly Timer _ticker;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, WebRtcTransport> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WebRtcTransport>.AlternateLookup<ReadOnlySpan<char>> _byUfragSpan;
    private readonly ConcurrentDictionary<SocketAddress, WebRtcTransport> _byAddress = new();
    private volatile bool _stopping;
    private long _lastErrorLogMs;

    public MediaEndpoint(IPAddress bind, int port, IPAddress candidateAddress, ServerMetrics metrics, ILogger log)
    {
        _metrics = metrics;
        _log = log;
        _byUfragSpan = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            // Room for bursts of video from many legs while the receive thread is busy.
            ReceiveBufferSize = 4 * 1024 * 1024,
            SendBufferSize = 4 * 1024 * 1024,
        };
        try
        {
            _socket.Bind(new IPEndPoint(bind, port));
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new IOException($"--media-port: cannot listen on UDP {bind}:{port}: {e.Message}", e);
        }

        LocalPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        CandidateAddress = candidateAddress;
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "media-udp" };
        _receiver.Start();
        _ticker = new Timer(_ => Tick(), null, 1000, 1000);
    }

    /// <summary>The UDP port actually bound (differs from the setting when that was 0).</summary>
    public int LocalPort { get; }

    /// <summary>The address put in our host candidate (--public-ip).</summary>
    public IPAddress CandidateAddress { get; }

    public ServerMetrics Metrics => _metrics;

    /// <summary>RFC 7675 §5.1: consent is lost 30 s after the last answered check. Tests shorten it.</summary>
    public int ConsentTimeoutMs { get; set; } = 30_000;

    public ILogger Log => _log;

    /// <summary>The calls whose Debug lines are logged (the host sets the server's switch).</summary>
    public LogDebugSwitch LogDebug { get; set; } = new();

    public int TransportCount => _byUfrag.Count;

    public void Register(WebRtcTransport transport) => _byUfrag[transport.Local.Ufrag] = transport;

    public void Unregister(WebRtcTransport transport)
    {
        _byUfrag.TryRemove(new KeyValuePair<string, WebRtcTransport>(transport.Local.Ufrag, transport));
        foreach (var pair in _byAddress)
        {
            if (pair.Value == transport)
            {
                _byAddress.TryRemove(pair);
            }
        }
    }

    /// <summary>Routes non-STUN traffic from <paramref name="address"/> to the transport a valid check came through.</summary>
    public void Bind(SocketAddress address, WebRtcTransport transport) => _byAddress[address] = transport;

    /// <summary>Sends one datagram; thread-safe (UDP sends are atomic). Failures are counted, never thrown.</summary>
    public void Send(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
            Interlocked.Increment(ref _metrics.MediaPacketsOut);
            Interlocked.Add(ref _metrics.MediaBytesOut, datagram.Length);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _metrics.MediaSendErrors);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _ticker.Dispose();
        _socket.Dispose();
        _receiver.Join(TimeSpan.FromSeconds(2));
        foreach (var transport in _byUfrag.Values)
        {
            transport.Dispose();
        }
    }

    /// <summary>Reads the address and port of an IPv4 or IPv6 socket address (Linux sockaddr layout: port at 2, IPv4 at 4, IPv6 at 8).</summary>
    public static bool TryGetAddress(SocketAddress address, Span<byte> bytes, out int length, out ushort port)
    {
        var raw = address.Buffer.Span;
        port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        switch (address.Family)
        {
            case AddressFamily.InterNetwork:
                raw.Slice(4, 4).CopyTo(bytes);
                length = 4;
                return true;
            case AddressFamily.InterNetworkV6:
                raw.Slice(8, 16).CopyTo(bytes);
                length = 16;
                return true;
            default:
                length = 0;
                return false;
        }
    }

    public static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    private void ReceiveLoop()
    {
        var buffer = GC.AllocateArray<byte>(BufferSize + SrtpSession.MaxTrailer, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer.AsSpan(0, BufferSize), SocketFlags.None, from);
            }
            catch (SocketException)
            {
                // ICMP errors surface here on some kernels; they say nothing about other legs.
                continue;
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            Interlocked.Increment(ref _metrics.MediaPacketsIn);
            Interlocked.Add(ref _metrics.MediaBytesIn, length);
            try
            {
                Dispatch(buffer, length, from);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One bad packet or one broken leg must never stop the thread every leg depends on.
                Interlocked.Increment(ref _metrics.MediaDispatchErrors);
                var now = Environment.TickCount64;
                if (now - _lastErrorLogMs > 1000)
                {
                    // At most one line a second: a failure repeated per packet must not flood the log.
                    _lastErrorLogMs = now;
                    MediaLog.DispatchFailed(_log, e);
                }
            }
        }
    }

    private void Dispatch(byte[] buffer, int length, SocketAddress from)
    {
        var packet = buffer.AsSpan(0, length);
        var kind = PacketClassifier.Classify(packet);
        switch (kind)
        {
            case PacketKind.Stun:
                OnStun(packet, from);
                return;
            case PacketKind.Dtls:
                if (_byAddress.TryGetValue(from, out var dtlsOwner))
                {
                    dtlsOwner.OnDtls(packet);
                    return;
                }

                break;
            case PacketKind.Rtp:
            case PacketKind.Rtcp:
                if (_byAddress.TryGetValue(from, out var mediaOwner))
                {
                    mediaOwner.OnSrtp(buffer, length, kind == PacketKind.Rtcp);
                    return;
                }

                break;
            default:
                Interlocked.Increment(ref _metrics.MediaMalformed);
                return;
        }

        Interlocked.Increment(ref _metrics.MediaUnknownSource);
    }

    private void OnStun(ReadOnlySpan<byte> packet, SocketAddress from)
    {
        if (!StunMessage.TryParse(packet, out var message))
        {
            Interlocked.Increment(ref _metrics.MediaMalformed);
            return;
        }

        if (message.Class != StunClass.Request || message.Method != StunMethod.Binding || !message.TryGetUsername(out var username))
        {
            // Indications (keepalives) and stray responses need no answer from an ICE-lite agent.
            return;
        }

        var colon = username.IndexOf((byte)':');
        var ours = colon < 0 ? username : username[..colon];
        if (ours.Length == 0 || ours.Length > 64)
        {
            Interlocked.Increment(ref _metrics.StunRejected);
            return;
        }

        Span<char> ufrag = stackalloc char[ours.Length];
        var chars = Encoding.ASCII.GetChars(ours, ufrag);
        if (!_byUfragSpan.TryGetValue(ufrag[..chars], out var transport))
        {
            Interlocked.Increment(ref _metrics.StunRejected);
            return;
        }

        transport.OnBindingRequest(message, from);
    }

    private void Tick()
    {
        var now = Environment.TickCount64;
        foreach (var transport in _byUfrag.Values)
        {
            transport.OnTick(now);
        }
    }
}

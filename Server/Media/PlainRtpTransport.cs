using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MediaServer.Media.Srtp;
using MediaServer.Observability;
using MediaServer.Protocol;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Media;

/// <summary>
/// The media path of one SIP leg: plain RTP/AVP and RTCP (RFC 3550, RFC 3551) on a rented
/// port pair, no ICE, DTLS or SRTP. Symmetric RTP (RFC 4961; what SIP media servers call
/// latching or auto-adjust): we send where the SDP says until the first valid RTP packet
/// arrives, then to wherever that packet came from, which gets media through a NAT that
/// rewrote the phone's address; RTCP follows the same way. Packets from other sources, with a
/// payload type the SDP did not agree, or that are no RTP at all are counted and dropped.
/// <para>
/// Each socket is read by its own receive loop (asynchronous, so thousands of legs do not
/// need thousands of threads; the SocketAddress overload reuses one buffer and one address,
/// nothing is allocated per packet), which hands packets to the owning leg through
/// <see cref="IRtpTransportListener"/>. <see cref="Configure"/> comes from signalling, sends
/// from any thread; a once-a-second timer ends the leg when the peer stops sending.
/// </para>
/// </summary>
internal sealed class PlainRtpTransport : IRtpTransport
{
    /// <summary>The largest datagram taken; the buffers add SRTP trailer room, for a relay to a WebRTC leg.</summary>
    public const int BufferSize = MediaEndpoint.BufferSize;

    /// <summary>G.711 is one byte per sample at 8000 Hz: 120 ms, far more than any phone puts in a packet.</summary>
    public const int MaxAudioPayload = 960;

    private const int TickMs = 1000;
    private const int NoPayloadType = -1;

    private readonly RtpPortPool _pool;
    private readonly RtpPortLease _ports;
    private readonly ServerMetrics _metrics;
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly byte[] _rtpBuffer = GC.AllocateArray<byte>(BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private readonly byte[] _rtcpBuffer = GC.AllocateArray<byte>(BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private readonly Lock _gate = new();
    private readonly Timer _ticker;
    private volatile SocketAddress? _rtpTarget;
    private volatile SocketAddress? _rtcpTarget;
    private volatile SocketAddress? _latched;
    private volatile SocketAddress? _rtcpLatched;
    private volatile bool _rtcpMux;
    private volatile int _audioPayloadType = NoPayloadType;
    private volatile int _telephoneEventPayloadType = NoPayloadType;
    private volatile bool _expectRtp;
    private IPEndPoint? _sdpRtp;
    private IPEndPoint? _sdpRtcp;
    private long _lastRtpMs;
    private long _lastErrorLogMs;
    private int _failed;
    private int _disposed;
    private bool _started;

    public PlainRtpTransport(RtpPortPool pool, RtpPortLease ports)
    {
        _pool = pool;
        _ports = ports;
        _metrics = pool.Metrics;
        _rtp = ports.Rtp;
        _rtcp = ports.Rtcp;
        _ticker = new Timer(_ => OnTick(Environment.TickCount64), null, Timeout.Infinite, Timeout.Infinite);
    }

    public IRtpTransportListener? Listener { get; set; }

    public int LocalRtpPort => _ports.RtpPort;

    public int LocalRtcpPort => _ports.RtcpPort;

    /// <summary>RTP can go out: the SDP gave an address, or a packet showed where the peer really is.</summary>
    public bool CanSend => _rtpTarget is not null && Volatile.Read(ref _disposed) == 0;

    /// <summary>Whether the first valid RTP packet arrived and fixed where media goes.</summary>
    public bool IsLatched => _latched is not null;

    /// <summary>Where RTP goes now (for logs and tests); null before an address is known.</summary>
    public IPEndPoint? RemoteRtp => ToEndPoint(_rtpTarget);

    /// <summary>Where RTCP goes now; the RTP address under rtcp-mux.</summary>
    public IPEndPoint? RemoteRtcp => ToEndPoint(_rtcpMux ? _rtpTarget : _rtcpTarget);

    /// <summary>Starts the receive loops and the timeout timer; call once the listener is set.</summary>
    public void Start()
    {
        // The loops live as long as the leg: they must not carry the signalling request's
        // execution context (log scopes, activity) with them.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => ReceiveLoopAsync(_rtp, _rtpBuffer, isRtcpPort: false));
            _ = Task.Run(() => ReceiveLoopAsync(_rtcp, _rtcpBuffer, isRtcpPort: true));
        }

        _ticker.Change(TickMs, TickMs);
    }

    /// <summary>
    /// Takes what an offer/answer agreed (signalling thread): payload types, where to send, mux,
    /// whether the peer should be sending. A re-INVITE that names the same address keeps the
    /// latch (hold and unhold must not undo NAT traversal); a new address starts over, sending
    /// there until a packet latches again. An address of 0.0.0.0 (hold) keeps the old one for RTCP.
    /// </summary>
    public void Configure(PlainRtpMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        lock (_gate)
        {
            _audioPayloadType = media.Codec.PayloadType;
            _telephoneEventPayloadType = media.TelephoneEventPayloadType ?? NoPayloadType;
            _rtcpMux = media.RtcpMux;
            if (media.RemoteRtp is { } rtp && (!_started || !rtp.Equals(_sdpRtp) || !Equals(media.RemoteRtcp, _sdpRtcp)))
            {
                var moved = !rtp.Equals(_sdpRtp);
                _sdpRtp = rtp;
                _sdpRtcp = media.RemoteRtcp;
                if (moved)
                {
                    _latched = null;
                    _rtcpLatched = null;
                    _rtpTarget = ToSocketAddress(rtp);
                }

                if (_rtcpLatched is null)
                {
                    // Behind a NAT (latched elsewhere than the SDP said) the SDP's RTCP port means nothing.
                    var natted = _latched is { } latched && !latched.Equals(ToSocketAddress(rtp)) ? WithNextPort(latched) : null;
                    _rtcpTarget = natted ?? ToSocketAddress(media.RemoteRtcp);
                }
            }

            _started = true;
            // A peer that holds the call (sendonly, inactive, c=0.0.0.0) may well send nothing
            // for as long as the hold lasts; only a call in progress is timed out.
            _expectRtp = media.Receives && !media.RemoteHold;
            // Each negotiation restarts the clock: an unhold gives the peer the full timeout to resume.
            Volatile.Write(ref _lastRtpMs, Environment.TickCount64);
        }
    }

    public bool SendRtp(Span<byte> buffer, int length)
    {
        var target = _rtpTarget;
        return target is not null && SendTo(_rtp, buffer[..length], target);
    }

    public bool SendRtcp(Span<byte> buffer, int length)
    {
        if (_rtcpMux)
        {
            var target = _rtpTarget;
            return target is not null && SendTo(_rtp, buffer[..length], target);
        }

        var rtcpTarget = _rtcpTarget;
        return rtcpTarget is not null && SendTo(_rtcp, buffer[..length], rtcpTarget);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ticker.Dispose();
        // Closing the sockets ends both receive loops; the pair goes back to the pool.
        _ports.Dispose();
    }

    /// <summary>
    /// One datagram on the RTP port (receive loop; tests call it directly). Allocates nothing
    /// once latched. RTCP arrives here too under rtcp-mux, told apart by RFC 5761 §4.
    /// </summary>
    internal void OnRtpDatagram(byte[] buffer, int length, SocketAddress from)
    {
        Interlocked.Increment(ref _metrics.PlainRtpPacketsIn);
        var packet = buffer.AsSpan(0, length);
        var kind = PacketClassifier.Classify(packet);
        if (kind == PacketKind.Rtcp)
        {
            // Muxed RTCP; also taken from peers that mux without having said so.
            OnRtcp(buffer, length, from, muxed: true);
            return;
        }

        if (kind != PacketKind.Rtp || !RtpPacket.TryParse(packet, out var rtp))
        {
            Interlocked.Increment(ref _metrics.PlainRtpMalformed);
            return;
        }

        var latched = _latched;
        if (latched is not null && !latched.Equals(from))
        {
            Interlocked.Increment(ref _metrics.PlainRtpUnknownSource);
            return;
        }

        var payloadType = rtp.PayloadType;
        var isAudio = payloadType == _audioPayloadType;
        if (!isAudio && payloadType != _telephoneEventPayloadType)
        {
            // Comfort noise and the like from the latched peer still show it is alive.
            Interlocked.Increment(ref _metrics.PlainRtpWrongPayloadType);
            if (latched is not null)
            {
                Volatile.Write(ref _lastRtpMs, Environment.TickCount64);
            }

            return;
        }

        var payload = rtp.Payload.Length;
        if (isAudio ? payload is 0 or > MaxAudioPayload : payload < TelephoneEvent.Size)
        {
            Interlocked.Increment(ref _metrics.PlainRtpMalformed);
            return;
        }

        if (latched is null)
        {
            Latch(from);
        }

        Volatile.Write(ref _lastRtpMs, Environment.TickCount64);
        if (Volatile.Read(ref _disposed) == 0)
        {
            Listener?.OnRtp(this, buffer, length);
        }
    }

    /// <summary>One datagram on the RTCP port (receive loop; tests call it directly).</summary>
    internal void OnRtcpDatagram(byte[] buffer, int length, SocketAddress from)
    {
        Interlocked.Increment(ref _metrics.PlainRtpPacketsIn);
        OnRtcp(buffer, length, from, muxed: false);
    }

    /// <summary>The timer's look (tests call it with a clock of their own): a peer that should send and has gone quiet.</summary>
    internal void OnTick(long nowMs)
    {
        try
        {
            if (!_expectRtp || Volatile.Read(ref _disposed) != 0 || Volatile.Read(ref _failed) != 0)
            {
                return;
            }

            var silentMs = nowMs - Volatile.Read(ref _lastRtpMs);
            if (silentMs <= _pool.RtpTimeoutMs || Interlocked.Exchange(ref _failed, 1) != 0)
            {
                return;
            }

            Interlocked.Increment(ref _metrics.PlainRtpTimeouts);
            Listener?.OnFailed(this, TransportFailure.RtpTimeout, $"no RTP from the peer for {silentMs / 1000} s");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer callback that throws would take the process down.
            LogFailure(e);
        }
    }

    private void OnRtcp(byte[] buffer, int length, SocketAddress from, bool muxed)
    {
        if (PacketClassifier.Classify(buffer.AsSpan(0, length)) != PacketKind.Rtcp)
        {
            Interlocked.Increment(ref _metrics.PlainRtpMalformed);
            return;
        }

        var rtpSource = _latched;
        if (muxed)
        {
            if (rtpSource is not null && !rtpSource.Equals(from))
            {
                Interlocked.Increment(ref _metrics.PlainRtpUnknownSource);
                return;
            }
        }
        else
        {
            // RTCP comes from the host RTP latched to (any port: NATs pick their own); the
            // first such packet fixes where our RTCP goes.
            if (rtpSource is not null && !SameHost(rtpSource, from))
            {
                Interlocked.Increment(ref _metrics.PlainRtpUnknownSource);
                return;
            }

            var latched = _rtcpLatched;
            if (latched is null)
            {
                var copy = MediaEndpoint.Copy(from);
                lock (_gate)
                {
                    _rtcpLatched = copy;
                    _rtcpTarget = copy;
                }
            }
            else if (!latched.Equals(from))
            {
                Interlocked.Increment(ref _metrics.PlainRtpUnknownSource);
                return;
            }
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            Listener?.OnRtcp(this, buffer, length);
        }
    }

    /// <summary>Symmetric RTP: from now on media goes where this packet came from.</summary>
    private void Latch(SocketAddress from)
    {
        var copy = MediaEndpoint.Copy(from);
        lock (_gate)
        {
            if (_latched is not null)
            {
                return;
            }

            var asAdvertised = copy.Equals(_rtpTarget);
            _latched = copy;
            _rtpTarget = copy;
            if (_rtcpLatched is { } rtcp && !SameHost(rtcp, copy))
            {
                // RTCP latched before RTP, to some other host: RTP decides who the peer is.
                _rtcpLatched = null;
            }

            if (_rtcpLatched is null && !asAdvertised)
            {
                // A NAT rewrote the source, so the SDP's RTCP port means nothing either: until the
                // peer's RTCP shows its real one, use the port next to its RTP (RFC 3550 §11).
                _rtcpTarget = WithNextPort(copy) ?? _rtcpTarget;
            }
        }

        Interlocked.Increment(ref _metrics.PlainRtpLatched);
    }

    private bool SendTo(Socket socket, ReadOnlySpan<byte> datagram, SocketAddress target)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, target);
            Interlocked.Increment(ref _metrics.PlainRtpPacketsOut);
            return true;
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _metrics.PlainRtpSendErrors);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, byte[] buffer, bool isRtcpPort)
    {
        var from = new SocketAddress(socket.AddressFamily);
        var memory = buffer.AsMemory(0, BufferSize);
        while (Volatile.Read(ref _disposed) == 0)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(memory, SocketFlags.None, from).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                // An ICMP error for something we sent, or an oversized datagram: the next one is fine.
                continue;
            }
            catch (SocketException)
            {
                // Closed under us (OperationAborted) or broken for good.
                return;
            }

            try
            {
                if (isRtcpPort)
                {
                    OnRtcpDatagram(buffer, length, from);
                }
                else
                {
                    OnRtpDatagram(buffer, length, from);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One bad packet or a failing listener must never stop the leg's media.
                Interlocked.Increment(ref _metrics.MediaDispatchErrors);
                LogFailure(e);
            }
        }
    }

    private void LogFailure(Exception e)
    {
        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref _lastErrorLogMs) > 1000)
        {
            // At most one line a second: a failure repeated per packet must not flood the log.
            Volatile.Write(ref _lastErrorLogMs, now);
            MediaLog.DispatchFailed(_pool.Log, e);
        }
    }

    /// <summary>The socket address to send to, in the socket's family (IPv4 mapped when it is dual-mode); null if unreachable.</summary>
    private SocketAddress? ToSocketAddress(IPEndPoint? endpoint)
    {
        if (endpoint is null)
        {
            return null;
        }

        var address = endpoint.Address;
        if (_rtp.AddressFamily == AddressFamily.InterNetworkV6 && address.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv6();
        }
        else if (_rtp.AddressFamily == AddressFamily.InterNetwork && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (_rtp.AddressFamily != address.AddressFamily)
        {
            return null;
        }

        return new IPEndPoint(address, endpoint.Port).Serialize();
    }

    private static IPEndPoint? ToEndPoint(SocketAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        var endpoint = (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);
        return endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;
    }

    /// <summary>The same address with the next port (Linux sockaddr: the port in network order at offset 2).</summary>
    private static SocketAddress? WithNextPort(SocketAddress address)
    {
        var port = BinaryPrimitives.ReadUInt16BigEndian(address.Buffer.Span[2..]);
        if (port == ushort.MaxValue)
        {
            return null;
        }

        var copy = MediaEndpoint.Copy(address);
        BinaryPrimitives.WriteUInt16BigEndian(copy.Buffer.Span[2..], (ushort)(port + 1));
        return copy;
    }

    private static bool SameHost(SocketAddress a, SocketAddress b)
    {
        Span<byte> first = stackalloc byte[16];
        Span<byte> second = stackalloc byte[16];
        return a.Family == b.Family
            && MediaEndpoint.TryGetAddress(a, first, out var length, out _)
            && MediaEndpoint.TryGetAddress(b, second, out var otherLength, out _)
            && first[..length].SequenceEqual(second[..otherLength]);
    }
}

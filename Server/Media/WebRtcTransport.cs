using System.Net;
using System.Net.Sockets;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;
using MediaServer.Protocol.Stun;

namespace MediaServer.Media;

/// <summary>
/// The secure path of one WebRTC leg over the shared <see cref="MediaEndpoint"/>: an ICE-lite
/// responder (RFC 8445 §2.5 lite: we only answer checks, the browser nominates), DTLS-SRTP
/// (RFC 5764) and consent freshness (RFC 7675). Owned by a media leg, which it reports to
/// through <see cref="IWebRtcTransportListener"/>. Checks, DTLS records and SRTP arrive on the
/// endpoint's receive thread; <see cref="Start"/> comes from signalling; the handshake
/// completes on the DTLS thread; sends may come from any thread.
/// </summary>
internal sealed class WebRtcTransport : IDatagramSink, IRtpTransport
{
    /// <summary>How long after the remote description we wait for the first valid check.</summary>
    public const int IceTimeoutMs = 30_000;

    private readonly MediaEndpoint _endpoint;
    private readonly DtlsCertificate _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private DtlsTransport? _dtls;
    private DtlsRole _role;
    private SrtpSession? _srtpIn;
    private SrtpSession? _srtpOut;
    private volatile SocketAddress? _selected;
    private long _startedMs;
    private long _lastConsentMs;
    private volatile int _state;
    private int _failed;
    private int _disposed;
    private bool _handshakeStarted;

    public WebRtcTransport(MediaEndpoint endpoint, DtlsCertificate certificate)
    {
        _endpoint = endpoint;
        _certificate = certificate;
        Local = IceCredentials.Generate();
        endpoint.Register(this);
    }

    private enum State
    {
        New,
        Started,
        Connected,
        Secure,
        Closed,
    }

    public IceCredentials Local { get; }

    public IWebRtcTransportListener? Listener { get; set; }

    /// <summary>The call's logging scope for this transport's Debug lines (README "Logs").</summary>
    public Observability.CallLogScope? LogScope { get; init; }

    public string? RemoteUfrag { get; private set; }

    public bool IsSecure => _state == (int)State.Secure;

    public bool IsClosed => _state == (int)State.Closed;

    /// <summary>Media can be sent once SRTP is keyed.</summary>
    public bool CanSend => IsSecure;

    public SrtpProfile? Profile { get; private set; }

    public long SrtpAuthenticationFailures => (_srtpIn?.AuthenticationFailures ?? 0) + (_srtpIn?.ReplayDrops ?? 0);

    /// <summary>
    /// Arms the transport with what the remote description says: its ICE username fragment,
    /// the fingerprint its certificate must match, and which DTLS role we take. Checks that
    /// arrived before this were answered already (they only need our password).
    /// </summary>
    public void Start(string remoteUfrag, string fingerprintAlgorithm, string fingerprint, DtlsRole role)
    {
        lock (_gate)
        {
            if (_state != (int)State.New)
            {
                return;
            }

            RemoteUfrag = remoteUfrag;
            _role = role;
            _dtls = new DtlsTransport(_certificate, role, fingerprintAlgorithm, fingerprint, this);
            _startedMs = Environment.TickCount64;
            _state = _selected is null ? (int)State.Started : (int)State.Connected;
            if (_selected is not null)
            {
                StartHandshake();
            }
        }
    }

    /// <summary>Answers one connectivity or consent check addressed to our ufrag (RFC 8445 §7.3, RFC 7675).</summary>
    public void OnBindingRequest(in StunMessage request, SocketAddress from)
    {
        var metrics = _endpoint.Metrics;
        Span<byte> response = stackalloc byte[160];
        if (!request.HasMessageIntegrity || !request.VerifyMessageIntegrity(Local.PasswordBytes) || (request.HasFingerprint && !request.VerifyFingerprint()))
        {
            // RFC 8489 §9.1.3: a request failing integrity gets 401 without MESSAGE-INTEGRITY.
            Interlocked.Increment(ref metrics.StunRejected);
            var error = new StunWriter(response, StunMethod.Binding, StunClass.ErrorResponse, request.TransactionId);
            error.AddErrorCode(401, "Unauthorized"u8);
            error.AddFingerprint();
            _endpoint.Send(response[..error.Length], from);
            return;
        }

        if (_state == (int)State.Closed)
        {
            return;
        }

        Span<byte> address = stackalloc byte[16];
        if (!MediaEndpoint.TryGetAddress(from, address, out var addressLength, out var port))
        {
            return;
        }

        var writer = new StunWriter(response, StunMethod.Binding, StunClass.SuccessResponse, request.TransactionId);
        writer.AddXorMappedAddress(address[..addressLength], port);
        writer.AddMessageIntegrity(Local.PasswordBytes);
        writer.AddFingerprint();
        _endpoint.Send(response[..writer.Length], from);
        Interlocked.Increment(ref metrics.StunAnswered);
        Volatile.Write(ref _lastConsentMs, Environment.TickCount64);

        var current = _selected;
        var known = current is not null && current.Equals(from);
        if (LogScope is { } scope && _endpoint.LogDebug.Wants(_endpoint.Log, scope, Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            // Checks come at most a few per second per leg (consent every ~5 s), never per media packet.
            using (_endpoint.Log.BeginScope(scope))
            {
                Observability.MediaLog.IceCheckAnswered(_endpoint.Log, scope.CallId, from.ToString(), request.HasUseCandidate, known);
            }
        }

        if (known && !request.HasUseCandidate)
        {
            return;
        }

        // A lite agent takes the pair the controlling browser nominates (USE-CANDIDATE), and
        // until then the first pair that worked, so DTLS can start as early as the browser does.
        if (!known && (request.HasUseCandidate || current is null))
        {
            var copy = MediaEndpoint.Copy(from);
            _endpoint.Bind(copy, this);
            _selected = copy;
        }
        else if (!known)
        {
            _endpoint.Bind(MediaEndpoint.Copy(from), this);
        }

        lock (_gate)
        {
            if (_state == (int)State.Started)
            {
                _state = (int)State.Connected;
                StartHandshake();
            }
        }
    }

    /// <summary>A DTLS record from the selected or a validated address (receive thread).</summary>
    public void OnDtls(ReadOnlySpan<byte> datagram) => _dtls?.Receive(datagram);

    /// <summary>An SRTP or SRTCP packet, decrypted in place and handed to the listener; failures are counted and dropped.</summary>
    public void OnSrtp(byte[] buffer, int length, bool isRtcp)
    {
        var session = _srtpIn;
        var listener = Listener;
        if (session is null || listener is null)
        {
            Interlocked.Increment(ref _endpoint.Metrics.MediaUnknownSource);
            return;
        }

        var span = buffer.AsSpan();
        if (isRtcp)
        {
            if (!session.TryUnprotectRtcp(span, length, out var plain))
            {
                Interlocked.Increment(ref _endpoint.Metrics.SrtpDropped);
                return;
            }

            listener.OnRtcp(this, span, plain);
        }
        else
        {
            if (!session.TryUnprotectRtp(span, length, out var plain))
            {
                Interlocked.Increment(ref _endpoint.Metrics.SrtpDropped);
                return;
            }

            listener.OnRtp(this, span, plain);
        }
    }

    /// <summary>Protects an RTP packet in place (the buffer needs <see cref="SrtpSession.MaxTrailer"/> spare bytes) and sends it.</summary>
    public bool SendRtp(Span<byte> buffer, int length)
    {
        var session = _srtpOut;
        var destination = _selected;
        if (session is null || destination is null || !session.TryProtectRtp(buffer, length, out var protectedLength))
        {
            return false;
        }

        _endpoint.Send(buffer[..protectedLength], destination);
        return true;
    }

    /// <summary>Protects an RTCP compound in place and sends it.</summary>
    public bool SendRtcp(Span<byte> buffer, int length)
    {
        var session = _srtpOut;
        var destination = _selected;
        if (session is null || destination is null || !session.TryProtectRtcp(buffer, length, out var protectedLength))
        {
            return false;
        }

        _endpoint.Send(buffer[..protectedLength], destination);
        return true;
    }

    /// <summary>DTLS records go to the nominated address (IDatagramSink, DTLS thread).</summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        var destination = _selected;
        if (destination is not null)
        {
            _endpoint.Send(datagram, destination);
        }
    }

    /// <summary>The endpoint's once-a-second look: ICE that never came up, consent that lapsed.</summary>
    public void OnTick(long nowMs)
    {
        switch ((State)_state)
        {
            case State.Started when nowMs - _startedMs > IceTimeoutMs:
                Fail(TransportFailure.IceTimeout, $"no ICE connectivity check arrived within {IceTimeoutMs / 1000} s");
                break;
            case State.Connected or State.Secure when nowMs - Volatile.Read(ref _lastConsentMs) > _endpoint.ConsentTimeoutMs:
                Fail(TransportFailure.ConsentExpired, $"ICE consent expired: no check for {_endpoint.ConsentTimeoutMs / 1000} s");
                break;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _state = (int)State.Closed;
        _endpoint.Unregister(this);
        _stop.Cancel();
        _dtls?.Dispose();
        lock (_gate)
        {
            _srtpIn?.Dispose();
            _srtpOut?.Dispose();
            _srtpIn = null;
            _srtpOut = null;
        }

        _stop.Dispose();
    }

    private void StartHandshake()
    {
        if (_handshakeStarted || _dtls is null)
        {
            return;
        }

        _handshakeStarted = true;
        var dtls = _dtls;
        dtls.Closed += reason => Fail(TransportFailure.PeerClosed, reason);
        _ = CompleteHandshakeAsync(dtls);
    }

    private async Task CompleteHandshakeAsync(DtlsTransport dtls)
    {
        SrtpKeyingMaterial keys;
        try
        {
            keys = await dtls.HandshakeAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (DtlsHandshakeException e)
        {
            Interlocked.Increment(ref _endpoint.Metrics.DtlsFailures);
            Fail(TransportFailure.DtlsFailed, e.Message);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (_state == (int)State.Closed)
            {
                return;
            }

            Profile = keys.Profile;
            _srtpIn = new SrtpSession(keys.Profile, keys.RemoteKey, keys.RemoteSalt, SrtpDirection.Inbound);
            _srtpOut = new SrtpSession(keys.Profile, keys.LocalKey, keys.LocalSalt, SrtpDirection.Outbound);
            _state = (int)State.Secure;
        }

        if (LogScope is { } scope && _endpoint.LogDebug.Wants(_endpoint.Log, scope, Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            using (_endpoint.Log.BeginScope(scope))
            {
                Observability.MediaLog.DtlsConnected(_endpoint.Log, scope.CallId, keys.Profile.ToString());
            }
        }

        Listener?.OnSecure(this);
    }

    private void Fail(TransportFailure failure, string reason)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0 || _state == (int)State.Closed)
        {
            return;
        }

        Listener?.OnFailed(this, failure, reason);
    }
}

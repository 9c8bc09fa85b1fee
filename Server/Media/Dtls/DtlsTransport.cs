using System.Globalization;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using BcDtlsTransport = Org.BouncyCastle.Crypto.Tls.DtlsTransport;

namespace MediaServer.Media.Dtls;

/// <summary>
/// DTLS-SRTP for one leg (RFC 5764, RFC 5763): runs the DTLS 1.2 handshake over the leg's
/// datagram path, authenticates the peer by its SDP fingerprint, and hands out the SRTP keys.
/// Owned by the leg. Threads: the UDP receive thread calls <see cref="Receive"/> (copies and
/// returns); the handshake runs on a dedicated thread of its own (BouncyCastle blocks) that
/// ends with the handshake; after it, DTLS records the peer still sends (its close_notify or
/// alerts, a retransmitted final flight when our last one was lost) are processed by a short
/// thread-pool work item per burst, so no thread stays blocked per leg. <see cref="Closed"/> is
/// raised from that work item.
/// </summary>
public sealed class DtlsTransport : IDisposable
{
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What we offer and accept, in preference order: GCM first (RFC 7714), AES-CM as the fallback every browser has.</summary>
    public static readonly IReadOnlyList<SrtpProfile> DefaultProfiles = [SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80];

    private const int RecordHeaderLength = 13;
    private const byte ContentTypeApplicationData = 23;

    private const int New = 0;
    private const int Handshaking = 1;
    private const int Connected = 2;
    private const int Ended = 3;
    private const int Disposed = 4;

    // BouncyCastle's SecureRandom serialises its own use, so all legs can share one.
    private static readonly SecureRandom Random = new();

    private readonly DtlsRole _role;
    private readonly TimeSpan _handshakeTimeout;
    private readonly DtlsDatagramChannel _channel;
    private readonly DtlsSrtpNegotiation _negotiation;
    private readonly string? _configurationError;
    private readonly Lock _recordLock = new();
    private int _state;
    private int _draining;
    private int _closedRaised;
    private BcDtlsTransport? _connection;
    private byte[]? _drainBuffer;
    private string? _closeReason;

    /// <param name="certificate">Our certificate, shared by all legs.</param>
    /// <param name="role">Server when our SDP says a=setup:passive, client when a=setup:active.</param>
    /// <param name="remoteFingerprintAlgorithm">The hash function of the peer's a=fingerprint (sha-256, sha-1, sha-384, sha-512).</param>
    /// <param name="remoteFingerprint">The peer's a=fingerprint value, hex pairs joined by colons.</param>
    /// <param name="sink">The leg's path to the peer.</param>
    /// <param name="offeredProfiles">SRTP profiles to offer or accept, most preferred first; <see cref="DefaultProfiles"/> when null.</param>
    /// <param name="handshakeTimeout">How long the handshake may take; <see cref="DefaultHandshakeTimeout"/> when null.</param>
    public DtlsTransport(
        DtlsCertificate certificate,
        DtlsRole role,
        string remoteFingerprintAlgorithm,
        string remoteFingerprint,
        IDatagramSink sink,
        IReadOnlyList<SrtpProfile>? offeredProfiles = null,
        TimeSpan? handshakeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(sink);
        var profiles = offeredProfiles ?? DefaultProfiles;
        if (profiles.Count == 0 || profiles.Any(p => !Enum.IsDefined(p)))
        {
            throw new ArgumentException("Offer at least one supported SRTP profile.", nameof(offeredProfiles));
        }

        _role = role;
        _handshakeTimeout = handshakeTimeout ?? DefaultHandshakeTimeout;
        if (_handshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(handshakeTimeout), "The handshake timeout must be positive.");
        }

        _channel = new DtlsDatagramChannel(sink);

        // A bad fingerprint in the SDP is the peer's fault, not a programming error: it fails
        // the handshake with a hangup cause instead of throwing here.
        var fingerprint = DtlsFingerprint.TryParse(remoteFingerprintAlgorithm, remoteFingerprint, out _configurationError);
        _negotiation = new DtlsSrtpNegotiation(certificate, role, fingerprint, [.. profiles], OnAlertReceived);
    }

    /// <summary>
    /// Raised once, from a thread-pool thread, when the peer ends an established DTLS
    /// association: its close_notify (a browser's pc.close()), a fatal alert, or a record that
    /// broke the association. The argument says which, for the hangup cause. Handlers must not
    /// throw and should not block.
    /// </summary>
    public event Action<string>? Closed;

    public DtlsRole Role => _role;

    /// <summary>True between a successful handshake and the peer's close or <see cref="Dispose"/>.</summary>
    public bool IsConnected => Volatile.Read(ref _state) == Connected;

    /// <summary>The negotiated profile once the handshake finished.</summary>
    public SrtpProfile? SelectedProfile => IsConnected ? _negotiation.SelectedProfile : null;

    /// <summary>DTLS datagrams dropped because the queue was full or the transport had ended.</summary>
    public long DroppedDatagrams => _channel.Dropped;

    /// <summary>
    /// Takes one DTLS datagram (RFC 7983: first byte 20-63) from the UDP receive thread. Copies
    /// it into a bounded queue and returns; drops it when the queue is full. Never throws.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> datagram)
    {
        var state = Volatile.Read(ref _state);
        if (state >= Ended || datagram.Length < RecordHeaderLength)
        {
            return;
        }

        // We negotiate no data channel, so application data after the handshake is nothing
        // we would use; leaving it out also keeps a forged record from failing the association.
        if (state == Connected && datagram[0] == ContentTypeApplicationData)
        {
            return;
        }

        if (_channel.TryEnqueue(datagram) && Volatile.Read(ref _state) == Connected)
        {
            // Read the state again after queueing: the handshake thread checks the queue after
            // it switches to Connected, so one of us always schedules the drain.
            ScheduleDrain();
        }
    }

    /// <summary>
    /// Runs the handshake on a thread of its own and completes with our and the peer's SRTP
    /// keys. Fails with <see cref="DtlsHandshakeException"/> whose message is the cause
    /// (timeout, fingerprint mismatch, peer alert, no common profile); is cancelled when
    /// <paramref name="cancellationToken"/> fires. Call once.
    /// </summary>
    public Task<SrtpKeyingMaterial> HandshakeAsync(CancellationToken cancellationToken)
    {
        var previous = Interlocked.CompareExchange(ref _state, Handshaking, New);
        ObjectDisposedException.ThrowIf(previous == Disposed, this);
        if (previous != New)
        {
            throw new InvalidOperationException("The DTLS handshake runs once per transport.");
        }

        if (_configurationError is not null)
        {
            Interlocked.CompareExchange(ref _state, Ended, Handshaking);
            return Task.FromException<SrtpKeyingMaterial>(new DtlsHandshakeException(_configurationError));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _state, Ended, Handshaking);
            return Task.FromCanceled<SrtpKeyingMaterial>(cancellationToken);
        }

        var completion = new TaskCompletionSource<SrtpKeyingMaterial>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => RunHandshake(completion, cancellationToken))
        {
            IsBackground = true,
            Name = _role == DtlsRole.Server ? "DTLS server handshake" : "DTLS client handshake",
        };
        thread.Start();
        return completion.Task;
    }

    /// <summary>Sends close_notify if connected (best effort), stops the handshake if one runs, and releases the queue.</summary>
    public void Dispose()
    {
        var previous = Interlocked.Exchange(ref _state, Disposed);
        if (previous == Disposed)
        {
            return;
        }

        if (previous == Connected)
        {
            lock (_recordLock)
            {
                try
                {
                    // BouncyCastle sends close_notify and then closes the channel.
                    _connection?.Close();
                }
                catch (IOException)
                {
                    // Best effort: the peer learns from ICE consent expiry instead.
                }
            }
        }

        _channel.Abort("DTLS transport was disposed before the handshake finished");
    }

    private void RunHandshake(TaskCompletionSource<SrtpKeyingMaterial> completion, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seconds = _handshakeTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        using var registration = limit.Token.Register(() => _channel.Abort(
            cancellationToken.IsCancellationRequested ? "DTLS handshake cancelled" : $"DTLS handshake timed out after {seconds} s"));
        limit.CancelAfter(_handshakeTimeout);
        try
        {
            var connection = _role == DtlsRole.Server
                ? new DtlsServerProtocol(Random).Accept(new DtlsSrtpServer(_negotiation), _channel)
                : new DtlsClientProtocol(Random).Connect(new DtlsSrtpClient(_negotiation), _channel);
            var keys = _negotiation.Keys ?? throw new DtlsHandshakeException("DTLS handshake finished without SRTP keys");
            lock (_recordLock)
            {
                _connection = connection;
            }

            // Unregistering waits for a timeout or cancellation callback already running, so
            // after it the channel's abort reason is final: a deadline that struck as the
            // handshake finished still counts, and otherwise nothing can abort the channel and
            // make it drop the records the association needs from now on.
            registration.Dispose();
            if (_channel.AbortReason is not null || Interlocked.CompareExchange(ref _state, Connected, Handshaking) != Handshaking)
            {
                connection.Close();
                Interlocked.CompareExchange(ref _state, Ended, Handshaking);
                var reason = _channel.AbortReason ?? "DTLS transport was disposed before the handshake finished";
                if (cancellationToken.IsCancellationRequested)
                {
                    completion.TrySetCanceled(cancellationToken);
                }
                else
                {
                    completion.TrySetException(new DtlsHandshakeException(reason));
                }

                return;
            }

            completion.TrySetResult(keys);
            if (_channel.HasPending)
            {
                ScheduleDrain();
            }
        }
        catch (Exception e)
        {
            // Everything, because this is the top of a thread of our own: anything escaping
            // would end the process. BouncyCastle wraps its own failures in TlsFatalAlert.
            Interlocked.CompareExchange(ref _state, Ended, Handshaking);
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
            }
            else
            {
                completion.TrySetException(e as DtlsHandshakeException ?? new DtlsHandshakeException(DescribeFailure(e), e));
            }
        }
    }

    private string DescribeFailure(Exception e)
    {
        if (_channel.AbortReason is { } aborted)
        {
            return aborted;
        }

        if (_negotiation.FailureReason is { } failure)
        {
            return failure;
        }

        return e is TlsFatalAlert alert
            ? $"DTLS handshake failed: {AlertDescription.GetName(alert.AlertDescription)}"
            : $"DTLS handshake failed: {e.Message}";
    }

    /// <summary>BouncyCastle tells both the handshake and the post-handshake drain about alerts here.</summary>
    private void OnAlertReceived(byte alertLevel, byte alertDescription)
    {
        var name = AlertDescription.GetName(alertDescription);
        if (Volatile.Read(ref _state) == Handshaking)
        {
            // Warnings other than close_notify (e.g. no_renegotiation) do not end a handshake.
            if (alertLevel == AlertLevel.fatal)
            {
                _negotiation.Fail($"DTLS alert from peer: {name}");
            }
            else if (alertDescription == AlertDescription.close_notify)
            {
                _negotiation.Fail("DTLS peer closed the connection during the handshake (close_notify)");
            }

            return;
        }

        if (alertLevel == AlertLevel.fatal || alertDescription == AlertDescription.close_notify)
        {
            Interlocked.CompareExchange(
                ref _closeReason,
                alertDescription == AlertDescription.close_notify ? "DTLS close_notify from peer" : $"DTLS alert from peer: {name}",
                null);
        }
    }

    private void ScheduleDrain()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static transport => transport.Drain(), this, preferLocal: false);
        }
    }

    /// <summary>
    /// Feeds queued post-handshake datagrams through BouncyCastle so alerts are authenticated
    /// and a retransmitted final flight from the peer gets our last flight again (RFC 6347
    /// §4.2.4). Each call waits at most 1 ms for more, then the work item ends.
    /// </summary>
    private void Drain()
    {
        while (true)
        {
            string? closeReason;
            lock (_recordLock)
            {
                var connection = _connection;
                while (connection is not null && Volatile.Read(ref _state) == Connected && _closeReason is null && _channel.HasPending)
                {
                    _drainBuffer ??= new byte[DtlsDatagramChannel.ReceiveLimit];
                    try
                    {
                        // Application data comes back as a length; we have no use for it.
                        _ = connection.Receive(_drainBuffer, 0, _drainBuffer.Length, 1);
                    }
                    catch (Exception e)
                    {
                        // BouncyCastle has already sent the peer a fatal alert and closed.
                        Interlocked.CompareExchange(
                            ref _closeReason,
                            e is TlsFatalAlert alert ? $"DTLS error: {AlertDescription.GetName(alert.AlertDescription)}" : $"DTLS error: {e.Message}",
                            null);
                    }
                }

                closeReason = _closeReason;
            }

            if (closeReason is not null)
            {
                RaiseClosed(closeReason);
                return;
            }

            Volatile.Write(ref _draining, 0);
            if (!_channel.HasPending || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private void RaiseClosed(string reason)
    {
        if (Interlocked.Exchange(ref _closedRaised, 1) != 0)
        {
            return;
        }

        Interlocked.CompareExchange(ref _state, Ended, Connected);
        Closed?.Invoke(reason);
    }
}

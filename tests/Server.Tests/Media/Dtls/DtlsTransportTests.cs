using MediaServer.Media.Dtls;

namespace MediaServer.Tests.Media.Dtls;

public sealed class DtlsTransportTests
{
    private static readonly SrtpProfile[] AesCmOnly = [SrtpProfile.AesCm128HmacSha1_80];

    [Fact]
    public async Task ServerAndClientAgreeOnMirroredKeysAndPreferGcm()
    {
        using var pair = new DtlsPair();
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        var clientTask = pair.Client.HandshakeAsync(CancellationToken.None);
        var server = await serverTask;
        var client = await clientTask;

        Assert.Equal(SrtpProfile.AeadAes128Gcm, server.Profile);
        Assert.Equal(SrtpProfile.AeadAes128Gcm, client.Profile);
        AssertMirrored(server, client);
        Assert.Equal(12, server.LocalSalt.Length);
        Assert.True(pair.Server.IsConnected);
        Assert.True(pair.Client.IsConnected);
        Assert.Equal(SrtpProfile.AeadAes128Gcm, pair.Server.SelectedProfile);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task AesCmIsChosenWhenOneSideOffersOnlyAesCm(bool serverOnlyAesCm, bool clientOnlyAesCm)
    {
        using var pair = new DtlsPair(serverOnlyAesCm ? AesCmOnly : null, clientOnlyAesCm ? AesCmOnly : null);
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        var client = await pair.Client.HandshakeAsync(CancellationToken.None);
        var server = await serverTask;

        Assert.Equal(SrtpProfile.AesCm128HmacSha1_80, server.Profile);
        Assert.Equal(SrtpProfile.AesCm128HmacSha1_80, client.Profile);
        Assert.Equal(14, server.LocalSalt.Length);
        AssertMirrored(server, client);
    }

    [Fact]
    public async Task NoCommonProfileFailsBothSidesWithACause()
    {
        using var pair = new DtlsPair(AesCmOnly, [SrtpProfile.AeadAes128Gcm]);
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        var clientTask = pair.Client.HandshakeAsync(CancellationToken.None);

        var server = await Assert.ThrowsAsync<DtlsHandshakeException>(() => serverTask);
        Assert.Equal("peer offered no SRTP profile we support", server.Message);
        var client = await Assert.ThrowsAsync<DtlsHandshakeException>(() => clientTask);
        Assert.Equal("peer did not negotiate DTLS-SRTP (no use_srtp extension in its ServerHello)", client.Message);
    }

    [Fact]
    public async Task AWrongFingerprintFailsTheClientWithAMismatchAndTheServerWithTheAlert()
    {
        var wrong = string.Join(':', Enumerable.Repeat("AB", 32));
        using var pair = new DtlsPair(clientExpects: wrong);
        var started = DateTime.UtcNow;
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        var clientTask = pair.Client.HandshakeAsync(CancellationToken.None);

        var client = await Assert.ThrowsAsync<DtlsHandshakeException>(() => clientTask);
        Assert.Equal("DTLS fingerprint mismatch: the peer's certificate does not match a=fingerprint in its SDP", client.Message);
        var server = await Assert.ThrowsAsync<DtlsHandshakeException>(() => serverTask);
        Assert.Equal("DTLS alert from peer: bad_certificate", server.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "the server should learn from the alert, not the timeout");
        Assert.False(pair.Client.IsConnected);
    }

    [Fact]
    public async Task TheServerChecksTheClientCertificateToo()
    {
        var certificate = DtlsCertificate.Generate();
        var serverSink = new LoopbackDatagramSink();
        var clientSink = new LoopbackDatagramSink();
        var other = DtlsCertificate.Generate();
        using var server = new DtlsTransport(certificate, DtlsRole.Server, "sha-256", other.Sha256Fingerprint, serverSink, handshakeTimeout: TimeSpan.FromSeconds(3));
        using var client = new DtlsTransport(certificate, DtlsRole.Client, "sha-256", certificate.Sha256Fingerprint, clientSink, handshakeTimeout: TimeSpan.FromSeconds(3));
        serverSink.Peer = client;
        clientSink.Peer = server;

        var serverTask = server.HandshakeAsync(CancellationToken.None);
        var clientTask = client.HandshakeAsync(CancellationToken.None);

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => serverTask);
        Assert.StartsWith("DTLS fingerprint mismatch", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DtlsHandshakeException>(() => clientTask);
    }

    [Theory]
    [InlineData("sha-1")]
    [InlineData("SHA-384")]
    [InlineData("sha-512")]
    public async Task OtherFingerprintHashesFromTheSdpAreHonoured(string algorithm)
    {
        var serverCertificate = DtlsCertificate.Generate();
        var clientCertificate = DtlsCertificate.Generate();
        var serverSink = new LoopbackDatagramSink();
        var clientSink = new LoopbackDatagramSink();
        using var server = new DtlsTransport(serverCertificate, DtlsRole.Server, algorithm, Fingerprint(clientCertificate, algorithm), serverSink, handshakeTimeout: TimeSpan.FromSeconds(3));
        using var client = new DtlsTransport(clientCertificate, DtlsRole.Client, algorithm, Fingerprint(serverCertificate, algorithm).ToLowerInvariant(), clientSink, handshakeTimeout: TimeSpan.FromSeconds(3));
        serverSink.Peer = client;
        clientSink.Peer = server;

        var serverTask = server.HandshakeAsync(CancellationToken.None);
        var clientTask = client.HandshakeAsync(CancellationToken.None);
        AssertMirrored(await serverTask, await clientTask);
    }

    [Theory]
    [InlineData("md5", "AB:CD")]
    [InlineData("sha-256", "not hex")]
    [InlineData("sha-256", "AB:CD")]
    public async Task AnUnusableSdpFingerprintFailsTheHandshakeAtOnce(string algorithm, string value)
    {
        using var transport = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Server, algorithm, value, new LoopbackDatagramSink());

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => transport.HandshakeAsync(CancellationToken.None));
        Assert.Contains("fingerprint", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASilentPeerTimesOutWithTheTimeoutAsCause()
    {
        using var server = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256", DtlsCertificate.Generate().Sha256Fingerprint, new LoopbackDatagramSink(), handshakeTimeout: TimeSpan.FromSeconds(1));

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.HandshakeAsync(CancellationToken.None));
        Assert.Equal("DTLS handshake timed out after 1 s", failure.Message);
        Assert.False(server.IsConnected);
    }

    [Fact]
    public async Task CancellingTheTokenCancelsTheHandshake()
    {
        using var client = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Client, "sha-256", DtlsCertificate.Generate().Sha256Fingerprint, new LoopbackDatagramSink());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.HandshakeAsync(cancel.Token));
    }

    [Fact]
    public async Task DisposingDuringTheHandshakeEndsIt()
    {
        var client = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Client, "sha-256", DtlsCertificate.Generate().Sha256Fingerprint, new LoopbackDatagramSink());
        var task = client.HandshakeAsync(CancellationToken.None);
        await Task.Delay(100);
        client.Dispose();

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => task);
        Assert.Contains("disposed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageBeforeAndDuringTheHandshakeIsIgnored()
    {
        var random = new Random(7);
        var injected = 0;

        // Between every real datagram the client sends, the server also gets junk that the
        // UDP layer would classify as DTLS (first byte 20-63): random bytes, truncated
        // records, and records whose length field lies.
        byte[] Garbage()
        {
            var kind = injected++ % 3;
            var bytes = new byte[kind == 1 ? random.Next(1, 13) : random.Next(13, 300)];
            random.NextBytes(bytes);
            bytes[0] = (byte)random.Next(20, 64);
            if (kind == 2)
            {
                bytes[0] = 22;
                bytes[1] = 0xFE;
                bytes[2] = 0xFD;
                bytes[11] = 0xFF;
                bytes[12] = 0xFF;
            }

            return bytes;
        }

        using var pair = new DtlsPair(dropFromClient: (_, _) => false);
        for (var i = 0; i < 10; i++)
        {
            pair.Server.Receive(Garbage());
            pair.Client.Receive(Garbage());
        }

        var clientSink = new GarbageInjector(pair, Garbage);
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        var clientTask = pair.Client.HandshakeAsync(CancellationToken.None);
        clientSink.Start();
        try
        {
            AssertMirrored(await serverTask, await clientTask);
        }
        finally
        {
            await clientSink.StopAsync();
        }

        // Twenty went in before the handshake; how many more land during it depends on timing.
        Assert.True(injected >= 20);
    }

    [Fact]
    public async Task ALostFirstFlightIsRetransmittedWithinTheTimeout()
    {
        // The client's ClientHello and the server's whole first flight are lost once.
        using var pair = new DtlsPair(
            dropFromServer: (index, _) => index < 5,
            dropFromClient: (index, _) => index == 0,
            timeout: TimeSpan.FromSeconds(8));
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        var clientTask = pair.Client.HandshakeAsync(CancellationToken.None);

        AssertMirrored(await serverTask, await clientTask);
        Assert.Equal(1, pair.ClientSink.Dropped);
        Assert.Equal(5, pair.ServerSink.Dropped);
    }

    [Fact]
    public async Task ALostFinalFlightIsRetransmittedAfterTheServerFinished()
    {
        // The server's last flight (ChangeCipherSpec + Finished) is lost: the server is done,
        // the client retransmits its flight, and the server must answer after its handshake
        // thread has ended, from the post-handshake drain.
        var serverDone = 0;
        using var pair = new DtlsPair(dropFromServer: (_, datagram) => datagram[0] == 20 && Interlocked.Exchange(ref serverDone, 1) == 0, timeout: TimeSpan.FromSeconds(8));
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        var clientTask = pair.Client.HandshakeAsync(CancellationToken.None);

        var server = await serverTask;
        var client = await clientTask;
        AssertMirrored(server, client);
        Assert.Equal(1, pair.ServerSink.Dropped);
    }

    [Theory]
    [InlineData(DtlsRole.Client)]
    [InlineData(DtlsRole.Server)]
    public async Task ThePeersCloseNotifyRaisesClosedOnce(DtlsRole closing)
    {
        using var pair = new DtlsPair();
        var serverTask = pair.Server.HandshakeAsync(CancellationToken.None);
        await pair.Client.HandshakeAsync(CancellationToken.None);
        await serverTask;
        var (closer, other) = closing == DtlsRole.Client ? (pair.Client, pair.Server) : (pair.Server, pair.Client);
        var reasons = new List<string>();
        var raised = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        other.Closed += reason =>
        {
            lock (reasons)
            {
                reasons.Add(reason);
            }

            raised.TrySetResult(reason);
        };
        var closerRaised = false;
        closer.Closed += _ => closerRaised = true;

        closer.Dispose();

        Assert.Equal("DTLS close_notify from peer", await raised.Task.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.False(other.IsConnected);
        other.Receive(pair.ServerSink.Log[^1]);
        await Task.Delay(100);
        lock (reasons)
        {
            Assert.Single(reasons);
        }

        Assert.False(closerRaised);
    }

    private static string Fingerprint(DtlsCertificate certificate, string algorithm)
    {
        var der = certificate.Der;
        var digest = algorithm.ToLowerInvariant() switch
        {
            "sha-1" => System.Security.Cryptography.SHA1.HashData(der),
            "sha-384" => System.Security.Cryptography.SHA384.HashData(der),
            "sha-512" => System.Security.Cryptography.SHA512.HashData(der),
            _ => System.Security.Cryptography.SHA256.HashData(der),
        };
        return string.Join(':', digest.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static void AssertMirrored(SrtpKeyingMaterial server, SrtpKeyingMaterial client)
    {
        Assert.Equal(server.Profile, client.Profile);
        Assert.Equal(server.LocalKey, client.RemoteKey);
        Assert.Equal(server.LocalSalt, client.RemoteSalt);
        Assert.Equal(server.RemoteKey, client.LocalKey);
        Assert.Equal(server.RemoteSalt, client.LocalSalt);
        Assert.NotEqual(server.LocalKey, server.RemoteKey);
    }

    /// <summary>Keeps throwing junk at both transports from another thread while they shake hands.</summary>
    private sealed class GarbageInjector(DtlsPair pair, Func<byte[]> garbage)
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _task;

        public void Start() => _task = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                byte[] a, b;
                lock (_stop)
                {
                    a = garbage();
                    b = garbage();
                }

                pair.Server.Receive(a);
                pair.Client.Receive(b);
                await Task.Delay(5);
            }
        });

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            if (_task is not null)
            {
                await _task;
            }

            _stop.Dispose();
        }
    }
}

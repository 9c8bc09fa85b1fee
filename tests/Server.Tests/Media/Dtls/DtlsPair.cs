using MediaServer.Media.Dtls;

namespace MediaServer.Tests.Media.Dtls;

/// <summary>Our DTLS server and our DTLS client wired back to back through loopback sinks.</summary>
internal sealed class DtlsPair : IDisposable
{
    private static readonly Lazy<DtlsCertificate> SharedServerCertificate = new(DtlsCertificate.Generate);
    private static readonly Lazy<DtlsCertificate> SharedClientCertificate = new(DtlsCertificate.Generate);

    public DtlsPair(
        IReadOnlyList<SrtpProfile>? serverProfiles = null,
        IReadOnlyList<SrtpProfile>? clientProfiles = null,
        string? clientExpects = null,
        Func<int, byte[], bool>? dropFromServer = null,
        Func<int, byte[], bool>? dropFromClient = null,
        TimeSpan? timeout = null)
    {
        ServerCertificate = SharedServerCertificate.Value;
        ClientCertificate = SharedClientCertificate.Value;
        ServerSink = new LoopbackDatagramSink(dropFromServer);
        ClientSink = new LoopbackDatagramSink(dropFromClient);
        var limit = timeout ?? TimeSpan.FromSeconds(3);
        Server = new DtlsTransport(ServerCertificate, DtlsRole.Server, "sha-256", ClientCertificate.Sha256Fingerprint, ServerSink, serverProfiles, limit);
        Client = new DtlsTransport(ClientCertificate, DtlsRole.Client, "sha-256", clientExpects ?? ServerCertificate.Sha256Fingerprint, ClientSink, clientProfiles, limit);
        ServerSink.Peer = Client;
        ClientSink.Peer = Server;
    }

    public DtlsCertificate ServerCertificate { get; }

    public DtlsCertificate ClientCertificate { get; }

    public LoopbackDatagramSink ServerSink { get; }

    public LoopbackDatagramSink ClientSink { get; }

    public DtlsTransport Server { get; }

    public DtlsTransport Client { get; }

    /// <summary>A completed handshake's keys, for SRTP tests that want real DTLS-SRTP keys.</summary>
    public static async Task<(SrtpKeyingMaterial Server, SrtpKeyingMaterial Client)> HandshakeAsync(IReadOnlyList<SrtpProfile>? profiles = null)
    {
        using var pair = new DtlsPair(profiles, profiles);
        var server = pair.Server.HandshakeAsync(CancellationToken.None);
        var client = pair.Client.HandshakeAsync(CancellationToken.None);
        return (await server, await client);
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}

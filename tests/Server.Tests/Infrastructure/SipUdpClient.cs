using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.Tests.Infrastructure;

/// <summary>Raw SIP over UDP on 127.0.0.1 for tests: send text or bytes, read the next datagram with a deadline.</summary>
public sealed class SipUdpClient : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint _server;

    public SipUdpClient(int serverPort)
    {
        _server = new IPEndPoint(IPAddress.Loopback, serverPort);
    }

    public int LocalPort => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public void Send(string message) => Send(Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n")));

    public void Send(byte[] datagram) => _udp.Send(datagram, datagram.Length, _server);

    /// <summary>The next datagram as text, or null when nothing came in time.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(3));
        try
        {
            var received = await _udp.ReceiveAsync(limit.Token);
            return Encoding.UTF8.GetString(received.Buffer);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>An OPTIONS with a fresh branch and Call-ID, from this client's port.</summary>
    public string Options(string? branch = null) =>
        $"OPTIONS sip:ping@127.0.0.1:{_server.Port} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:{LocalPort};branch={branch ?? "z9hG4bK" + Guid.NewGuid().ToString("N")};rport\n" +
        $"From: <sip:probe@127.0.0.1:{LocalPort}>;tag={Guid.NewGuid():N}\n" +
        $"To: <sip:ping@127.0.0.1:{_server.Port}>\n" +
        $"Call-ID: {Guid.NewGuid():N}\n" +
        "CSeq: 1 OPTIONS\n" +
        "Max-Forwards: 70\n" +
        "Content-Length: 0\n\n";

    public void Dispose() => _udp.Dispose();
}

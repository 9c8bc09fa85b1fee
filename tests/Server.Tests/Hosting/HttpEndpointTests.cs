using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Hosting;

/// <summary>/health, /metrics, the web client and the WebSocket origin check, over HTTPS.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = _server.HttpsUri };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task HealthSaysOkOnceListening()
    {
        using var response = await _http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task MetricsArePrometheusTextThatCountsConnections()
    {
        await using var client = await _server.LoginAsync();
        var text = await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("# TYPE mediaserver_connections gauge", text, StringComparison.Ordinal);
        Assert.Contains("\nmediaserver_connections 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nmediaserver_logins_total 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWebClientIsServedAtTheRoot()
    {
        var page = await _http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<title>MediaServer</title>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageOfAnotherOriginCannotOpenTheWebSocket()
    {
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => _server.ConnectAsync("https://evil.example"));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        await using var sameHost = await _server.ConnectAsync($"https://127.0.0.1:{_server.Port}");
        var answer = await sameHost.CallAsync("login", new System.Text.Json.Nodes.JsonObject());
        Assert.Equal(-32000, answer.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task AnyPathTakesTheUpgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{_server.Port}/some/other/path?x=1"), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
        socket.Abort();
    }

    [Fact]
    public void TheDatabaseIsInWalMode()
    {
        Assert.Equal("wal", _server.Host.Database.JournalMode());
        Assert.True(File.Exists(Path.Combine(_server.DataDirectory, "mediaserver.db")));
    }

    [Fact]
    public async Task PlainWebSocketOnlyWhenTlsIsTurnedOffInConfig()
    {
        await using var plain = await TestServer.StartAsync(serverJson: new System.Text.Json.Nodes.JsonObject { ["tls"] = new System.Text.Json.Nodes.JsonObject { ["enabled"] = false } });
        Assert.Equal("http", plain.Host.Scheme);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{plain.Port}/verto"), CancellationToken.None);
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"login","params":{},"id":1}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Contains("-32000", System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count), StringComparison.Ordinal);
        socket.Abort();

        // The default server refuses plain ws: its port speaks TLS only.
        using var refused = new ClientWebSocket();
        await Assert.ThrowsAnyAsync<Exception>(() => refused.ConnectAsync(new Uri($"ws://127.0.0.1:{_server.Port}/verto"), CancellationToken.None));
    }
}

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
}

using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Security;

/// <summary>
/// Frames that are valid JSON but not valid text: a \u escape that leaves a lone UTF-16
/// surrogate, in the version, the method, the id or a param. Each is refused like invalid JSON
/// (Invalid Request with a null id) and the connection goes on, logged in or not.
/// </summary>
public sealed class WebSocketGarbageTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"\ud800","method":"verto.ping","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"\udc00","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"verto.ping","id":"\ud800"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"login","params":{"login":"1000@localhost","passwd":"\ud800x"},"id":1}""")]
    [InlineData("""[{"jsonrpc":"2.0","method":"verto.ping","id":1},{"jsonrpc":"2.0","method":"echo","params":{"\ud83d":1},"id":2}]""")]
    public async Task ALoneSurrogateEscapeIsAnInvalidRequestAndTheConnectionLives(string frame)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync(frame);
        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}""", await client.ReceiveTextAsync());

        await client.LoginAsync("1000", TestServer.AlicePassword);
        await client.SendAsync(frame);
        // verto.clientReady may come first after a login.
        var refused = await client.ReceiveUntilAsync(m => m.TryGetProperty("error", out _));
        Assert.Equal(-32600, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, refused.GetProperty("id").ValueKind);
        var pong = await client.CallAsync("verto.ping", new JsonObject());
        Assert.Equal("PONG", pong.GetProperty("result").GetProperty("message").GetString());
        Assert.Equal(WebSocketState.Open, client.State);
        Assert.Equal(0, server.Verto.Metrics.HandlerErrors);
    }
}

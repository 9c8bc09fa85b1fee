using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Signalling;

/// <summary>JSON-RPC framing and the error cases of verto-protocol.md §1.3, as raw frames over wss.</summary>
public sealed class FramingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"jsonrpc\":\"2.0\",")]
    [InlineData("{} {}")]
    [InlineData("")]
    public async Task GarbageIsAnInvalidRequestWithNullId(string frame)
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync(frame);

        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}""", await client.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("""{"method":"login","params":{},"id":3}""", "3")]
    [InlineData("""{"jsonrpc":"1.0","method":"login","params":{},"id":"three"}""", "\"three\"")]
    public async Task WrongVersionIsAnInvalidMessageWithTheIdEchoed(string frame, string id)
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync(frame);

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32600,\"message\":\"Invalid message\"}}", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task BinaryFramesAreInvalidRequestsAndTheConnectionLives()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Contains("Invalid Request", await client.ReceiveTextAsync(), StringComparison.Ordinal);

        var answer = await client.CallAsync("login", new JsonObject());
        Assert.Equal(-32000, answer.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task InvalidUtf8InATextFrameFailsTheConnectionWith1007()
    {
        // RFC 6455 section 8.1: a text frame that is not UTF-8 fails the WebSocket connection.
        await using var client = await _server.LoginAsync();
        await client.SendBytesAsync([(byte)'"', 0xC3, 0x28, (byte)'"'], WebSocketMessageType.Text);

        await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
        await WaitFor.ConditionAsync(() => _server.Verto.ConnectionCount == 0);
    }

    [Fact]
    public async Task UnknownAndMissingMethodsAreRefusedAfterLogin()
    {
        await using var client = await _server.LoginAsync();

        var unknown = await client.CallAsync("verto.nonsense");
        Assert.Equal(-32601, unknown.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Invalid Method, Missing Method or Permission Denied", unknown.GetProperty("error").GetProperty("message").GetString());

        await client.SendAsync("""{"jsonrpc":"2.0","params":{},"id":"m"}""");
        var missing = await client.ReceiveUntilAsync(m => m.GetProperty("id").ValueKind == JsonValueKind.String);
        Assert.Equal(-32601, missing.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task EveryResultCarriesTheSessidAndErrorsDoNot()
    {
        await using var client = await _server.LoginAsync();

        var pong = await client.CallAsync("verto.ping");
        Assert.Equal("PONG", pong.GetProperty("result").GetProperty("message").GetString());
        Assert.Equal(client.SessionId, pong.GetProperty("result").GetProperty("sessid").GetString());

        var error = await client.CallAsync("verto.nonsense");
        Assert.False(error.GetProperty("error").TryGetProperty("sessid", out _));
    }

    [Fact]
    public async Task EchoCopiesParamsAndEchoParamsAddsRequestParams()
    {
        await using var client = await _server.LoginAsync();

        var echo = await client.CallAsync("echo", new JsonObject { ["a"] = 1, ["b"] = new JsonArray("x") });
        Assert.Equal(1, echo.GetProperty("result").GetProperty("a").GetInt32());
        Assert.Equal("x", echo.GetProperty("result").GetProperty("b")[0].GetString());

        var pong = await client.CallAsync("verto.ping", new JsonObject { ["echoParams"] = true, ["tag"] = "t" });
        Assert.Equal("t", pong.GetProperty("result").GetProperty("requestParams").GetProperty("tag").GetString());
    }

    [Fact]
    public async Task StringAndNumericIdsAreEchoedAndNotificationsGetANullId()
    {
        await using var client = await _server.LoginAsync();

        await client.SendAsync("""{"jsonrpc":"2.0","method":"verto.ping","params":{},"id":"abc"}""");
        var byString = await client.ReceiveUntilAsync(m => m.TryGetProperty("result", out _));
        Assert.Equal("abc", byString.GetProperty("id").GetString());

        await client.SendAsync("""{"jsonrpc":"2.0","method":"verto.ping","params":{}}""");
        var notification = await client.ReceiveUntilAsync(m => m.TryGetProperty("result", out _));
        Assert.Equal(JsonValueKind.Null, notification.GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task ResponsesFromTheClientAreIgnored()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","id":5,"result":{"method":"verto.invite"}}""");
        await client.SendAsync("""{"id":6,"error":{"code":1,"message":"x"}}""");
        var answer = await client.CallAsync("login", new JsonObject(), id: 77);

        Assert.Equal(77, answer.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task BatchesGetAnArrayOfResponses()
    {
        await using var client = await _server.LoginAsync();
        await client.SendAsync("""[{"jsonrpc":"2.0","method":"verto.ping","params":{},"id":1},{"jsonrpc":"2.0","id":9,"result":{}},{"method":"x","id":2},42]""");

        var batch = await client.ReceiveUntilAsync(m => m.ValueKind == JsonValueKind.Array);
        Assert.Equal(3, batch.GetArrayLength());
        Assert.Equal("PONG", batch[0].GetProperty("result").GetProperty("message").GetString());
        Assert.Equal("Invalid message", batch[1].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("Invalid Request", batch[2].GetProperty("error").GetProperty("message").GetString());

        await client.SendAsync("[]");
        var empty = await client.ReceiveUntilAsync(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("error", out _));
        Assert.Equal(-32600, empty.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task FramesAreAnsweredInOrder()
    {
        await using var client = await _server.LoginAsync();
        for (var i = 1000; i < 1100; i++)
        {
            await client.SendRequestAsync(i % 2 == 0 ? "verto.ping" : "echo", id: i);
        }

        for (var i = 1000; i < 1100; i++)
        {
            var answer = await client.ReceiveUntilAsync(m => !m.TryGetProperty("method", out _));
            Assert.Equal(i, answer.GetProperty("id").GetInt32());
        }
    }

    [Fact]
    public async Task AFrameOverTheLimitClosesWith1009()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["maxFrameBytes"] = 4096 });
        await using var client = await server.LoginAsync();
        var big = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"x\":\"" + new string('a', 5000) + "\"},\"id\":1}";
        await client.SendBytesAsync(Encoding.UTF8.GetBytes(big), WebSocketMessageType.Text);

        await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        Assert.Equal(1, server.Verto.Metrics.OversizedFrames);

        // A frame just under the limit is fine.
        await using var other = await server.LoginAsync();
        var fits = await other.CallAsync("echo", new JsonObject { ["x"] = new string('b', 3500) });
        Assert.Equal(3500, fits.GetProperty("result").GetProperty("x").GetString()!.Length);
    }
}

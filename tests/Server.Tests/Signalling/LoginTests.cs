using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Signalling;

/// <summary>The login dance of verto-protocol.md §2.1 and the sessid rules of §1.5, over wss.</summary>
public sealed class LoginTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheEmptyLoginIsAnsweredAuthenticationRequired()
    {
        await using var client = await _server.ConnectAsync();
        var answer = await client.CallAsync("login", new JsonObject());

        var error = answer.GetProperty("error");
        Assert.Equal(-32000, error.GetProperty("code").GetInt32());
        Assert.Equal("Authentication Required", error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("sessid", out _));
    }

    [Fact]
    public async Task ACredentialedLoginSucceedsBindsTheSessidAndIsFollowedByClientReady()
    {
        await using var client = await _server.ConnectAsync();
        var result = await client.LoginAsync("1000", TestServer.AlicePassword);

        Assert.Equal("logged in", result.GetProperty("message").GetString());
        Assert.Equal(client.SessionId, result.GetProperty("sessid").GetString());
        Assert.True(result.GetProperty("moderator").GetBoolean());

        var ready = await client.ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.clientReady");
        Assert.Equal(0, ready.GetProperty("params").GetProperty("reattached_sessions").GetArrayLength());
        Assert.NotNull(_server.Verto.Sessions.Find(client.SessionId));
    }

    [Fact]
    public async Task ARequestRefusedBeforeLoginIsProcessedWhenResentAfterIt()
    {
        await using var client = await _server.ConnectAsync();
        var channel = new JsonObject { ["eventChannel"] = "app.resend" };

        var before = await client.CallAsync("verto.subscribe", channel.DeepClone().AsObject(), id: 42);
        Assert.Equal(-32000, before.GetProperty("error").GetProperty("code").GetInt32());

        await client.LoginAsync("1000", TestServer.AlicePassword);
        var after = await client.CallAsync("verto.subscribe", channel.DeepClone().AsObject(), id: 42);

        Assert.Equal(42, after.GetProperty("id").GetInt32());
        Assert.Equal("app.resend", after.GetProperty("result").GetProperty("subscribedChannels")[0].GetString());
    }

    [Fact]
    public async Task AnyMethodCarryingCredentialsAuthenticatesAndIsProcessed()
    {
        await using var client = await _server.ConnectAsync();
        var answer = await client.CallAsync("verto.ping", new JsonObject { ["login"] = "1000@localhost", ["passwd"] = TestServer.AlicePassword });

        Assert.Equal("PONG", answer.GetProperty("result").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("1000@localhost", "wrong", "Authentication Failure")]
    [InlineData("9999@localhost", "whatever", "Login Incorrect")]
    [InlineData("1000@elsewhere.org", TestServer.AlicePassword, "Login Incorrect")]
    [InlineData("1000@localhost", "", "Missing passwd")]
    [InlineData("@localhost", "x", "Missing or improper credentials")]
    [InlineData("1000@", "x", "Missing or improper credentials")]
    public async Task BadCredentialsGetTheExactMinus32001Variant(string login, string passwd, string message)
    {
        await using var client = await _server.ConnectAsync();
        var answer = await client.CallAsync("login", new JsonObject { ["login"] = login, ["passwd"] = passwd });

        Assert.Equal(-32001, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(message, answer.GetProperty("error").GetProperty("message").GetString());

        // Still not logged in: the next request needs credentials.
        var next = await client.CallAsync("verto.ping");
        Assert.Equal(-32000, next.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ALoginWithoutParamsIsMissingParams()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","method":"login","id":1}""");
        var answer = await client.ReceiveJsonAsync();

        Assert.Equal(-32001, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Missing params", answer.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task HashedPasswordsAndBareUserIdsWork()
    {
        await using var client = await _server.ConnectAsync();
        var answer = await client.CallAsync("login", new JsonObject { ["login"] = "1001", ["passwd"] = TestServer.BobPassword });

        Assert.Equal("logged in", answer.GetProperty("result").GetProperty("message").GetString());
        Assert.False(answer.GetProperty("result").TryGetProperty("moderator", out _));
    }

    [Fact]
    public async Task ASecondConnectionWithTheSameSessidPuntsTheFirst()
    {
        var sessid = Guid.NewGuid().ToString();
        await using var first = await _server.LoginAsync(sessid: sessid);
        await first.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = "app.punt" });

        await using var second = await _server.LoginAsync(sessid: sessid);

        var punt = await first.ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.punt");
        Assert.Equal(JsonValueKind.Object, punt.GetProperty("params").ValueKind);
        await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, first.CloseStatus);

        // The new connection holds the sessid; the old one's subscription is gone.
        await WaitFor.ConditionAsync(() => _server.Verto.Bus.SubscriberCount("app.punt") == 0);
        Assert.Equal("PONG", (await second.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
        await WaitFor.ConditionAsync(() => _server.Verto.ConnectionCount == 1, what: "only the new connection is left");
        Assert.NotNull(_server.Verto.Sessions.Find(sessid));
        Assert.Equal(1, _server.Verto.Metrics.Punts);
    }

    [Fact]
    public async Task AnotherUsersSessidIsInUseAndTheNewSocketIsClosed()
    {
        var sessid = Guid.NewGuid().ToString();
        await using var alice = await _server.LoginAsync(sessid: sessid);

        await using var bob = await _server.ConnectAsync();
        var answer = await bob.CallAsync("login", new JsonObject { ["login"] = "1001@localhost", ["passwd"] = TestServer.BobPassword, ["sessid"] = sessid });

        Assert.Equal(-32001, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Session in use", answer.GetProperty("error").GetProperty("message").GetString());
        await bob.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, bob.CloseStatus);

        Assert.Equal("PONG", (await alice.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountOutEvenForTheRightPassword()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["loginFailuresPerAccount"] = 3, ["lockoutSeconds"] = 60 });
        await using var client = await server.ConnectAsync();
        for (var i = 0; i < 3; i++)
        {
            var wrong = await client.CallAsync("login", new JsonObject { ["login"] = "1000@localhost", ["passwd"] = "nope" });
            Assert.Equal("Authentication Failure", wrong.GetProperty("error").GetProperty("message").GetString());
        }

        var locked = await client.CallAsync("login", new JsonObject { ["login"] = "1000@localhost", ["passwd"] = TestServer.AlicePassword });
        Assert.Equal(-32001, locked.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Too many failed logins, try again later", locked.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, server.Verto.Metrics.LoginLockouts);
    }

    [Fact]
    public async Task ASocketThatNeverLogsInIsClosedAfterTheLoginTimeout()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["loginTimeoutSeconds"] = 1 });
        await using var client = await server.ConnectAsync();

        await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
    }

    [Fact]
    public async Task AnIdleConnectionGetsVertoPingAndStaysOpenWithoutAnswering()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["keepaliveSeconds"] = 1 });
        await using var client = await server.LoginAsync();

        var ping = await client.ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.ping");
        Assert.True(ping.GetProperty("params").GetProperty("serno").GetInt64() > 1_700_000_000);
        await client.ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.ping");
        Assert.Equal(WebSocketState.Open, client.State);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Signalling;

/// <summary>verto.subscribe / unsubscribe / broadcast with the shapes of verto-protocol.md §3.9-3.11 and §7.</summary>
public sealed class ChannelTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject Channel(string name) => new() { ["eventChannel"] = name };

    private static JsonObject LocalBroadcast(string channel, JsonObject data) =>
        new() { ["eventChannel"] = channel, ["data"] = data, ["localBroadcast"] = true };

    [Fact]
    public async Task ALocalBroadcastReachesEverySubscriberIncludingTheSender()
    {
        await using var alice = await _server.LoginAsync();
        await using var bob = await _server.LoginAsync("1001", TestServer.BobPassword);
        var subscribed = await alice.CallAsync("verto.subscribe", Channel("chat.lobby"));
        Assert.Equal("chat.lobby", subscribed.GetProperty("result").GetProperty("subscribedChannels")[0].GetString());
        await bob.CallAsync("verto.subscribe", Channel("chat.lobby"));

        var answer = await bob.CallAsync("verto.broadcast", LocalBroadcast("chat.lobby", new JsonObject { ["text"] = "hello" }));
        Assert.Equal(bob.SessionId, answer.GetProperty("result").GetProperty("sessid").GetString());
        Assert.False(answer.GetProperty("result").TryGetProperty("code", out _));

        foreach (var client in new[] { alice, bob })
        {
            var received = await client.ReceiveEventAsync();
            Assert.Equal("chat.lobby", received.GetProperty("eventChannel").GetString());
            Assert.Equal("hello", received.GetProperty("data").GetProperty("text").GetString());
            Assert.Equal("1001@localhost", received.GetProperty("userid").GetString());
            Assert.Equal(bob.SessionId, received.GetProperty("sessid").GetString());
            Assert.Equal("Bob", received.GetProperty("fromDisplay").GetString());
            Assert.Equal(0, received.GetProperty("eventSerno").GetInt64());
            Assert.Equal("chat.lobby", received.GetProperty("subscribedChannel").GetString());
        }

        await bob.CallAsync("verto.broadcast", LocalBroadcast("chat.lobby", new JsonObject { ["text"] = "again" }));
        Assert.Equal(1, (await alice.ReceiveEventAsync()).GetProperty("eventSerno").GetInt64());
    }

    [Fact]
    public async Task APlainBroadcastGoesToServerHandlersOnlyNotToSubscribers()
    {
        await using var alice = await _server.LoginAsync();
        await using var bob = await _server.LoginAsync("1001", TestServer.BobPassword);
        await alice.CallAsync("verto.subscribe", Channel("chat.quiet"));

        await bob.CallAsync("verto.broadcast", new JsonObject { ["eventChannel"] = "chat.quiet", ["data"] = new JsonObject { ["n"] = 1 } });
        await bob.CallAsync("verto.broadcast", LocalBroadcast("chat.quiet", new JsonObject { ["n"] = 2 }));

        // The first event Alice sees is the local one: the plain broadcast was not fanned out (§3.11).
        Assert.Equal(2, (await alice.ReceiveEventAsync()).GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task AFamilySubscriptionReceivesEveryChannelOfTheFamily()
    {
        await using var alice = await _server.LoginAsync();
        await alice.CallAsync("verto.subscribe", Channel("scores"));
        await alice.CallAsync("verto.broadcast", LocalBroadcast("scores", new JsonObject { ["n"] = 0 }));
        var own = await alice.ReceiveEventAsync();
        Assert.Equal("scores", own.GetProperty("subscribedChannel").GetString());

        await using var bob = await _server.LoginAsync("1001", TestServer.BobPassword);
        await bob.CallAsync("verto.subscribe", Channel("scores.match1"));
        await bob.CallAsync("verto.broadcast", LocalBroadcast("scores.match1", new JsonObject { ["n"] = 1 }));
        Assert.Equal("scores.match1", (await bob.ReceiveEventAsync()).GetProperty("subscribedChannel").GetString());

        // localBroadcast goes to exactly that channel's subscribers; the family hears server publications (live arrays below).
        var added = await alice.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = "scores.match1",
            ["data"] = new JsonObject { ["liveArray"] = new JsonObject { ["command"] = "add", ["context"] = "scores.match1", ["name"] = "m1", ["obj"] = new JsonObject { ["hashKey"] = "k", ["data"] = 5 } } },
        });
        Assert.False(added.GetProperty("result").TryGetProperty("code", out _), added.ToString());
        var familyEvent = await alice.ReceiveEventAsync();
        Assert.Equal("scores", familyEvent.GetProperty("subscribedChannel").GetString());
        Assert.Equal("scores.match1", familyEvent.GetProperty("eventChannel").GetString());
    }

    [Fact]
    public async Task SubscribingAgainIsAnErrorListingTheChannelAsAlreadySubscribed()
    {
        await using var alice = await _server.LoginAsync();
        await alice.CallAsync("verto.subscribe", Channel("chat.twice"));

        var again = await alice.CallAsync("verto.subscribe", Channel("chat.twice"));
        var error = again.GetProperty("error");
        Assert.Equal("chat.twice", error.GetProperty("alreadySubscribedChannels")[0].GetString());
        Assert.False(error.TryGetProperty("code", out _));
        Assert.False(error.TryGetProperty("subscribedChannels", out _));
    }

    [Fact]
    public async Task ServerChannelsAndOtherDomainsAreUnauthorized()
    {
        await using var alice = await _server.LoginAsync();

        var refused = await alice.CallAsync("verto.subscribe", Channel("conference-mod.3500@localhost"));
        Assert.Equal("conference-mod.3500@localhost", refused.GetProperty("error").GetProperty("unauthorizedChannels")[0].GetString());

        var mixed = await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = new JsonArray("chat.ok@localhost", "chat.x@elsewhere.org", "FSevent") });
        var result = mixed.GetProperty("result");
        Assert.Equal("chat.ok@localhost", result.GetProperty("subscribedChannels")[0].GetString());
        Assert.Equal(2, result.GetProperty("unauthorizedChannels").GetArrayLength());

        var publish = await alice.CallAsync("verto.broadcast", LocalBroadcast("conference-chat.3500@localhost", new JsonObject { ["x"] = 1 }));
        Assert.Equal("Permission Denied.", publish.GetProperty("result").GetProperty("message").GetString());
        Assert.Equal(-32002, publish.GetProperty("result").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ABroadcastWithoutChannelSaysSoInTheResult()
    {
        await using var alice = await _server.LoginAsync();
        var answer = await alice.CallAsync("verto.broadcast", new JsonObject { ["data"] = new JsonObject() });

        Assert.Equal("eventChannel not specified.", answer.GetProperty("result").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ARestrictedUserGetsOnlyItsMethodsAndChannels()
    {
        await using var carol = await _server.LoginAsync("1002", TestServer.CarolPassword);

        var echo = await carol.CallAsync("echo", new JsonObject { ["a"] = 1 });
        Assert.Equal(-32601, echo.GetProperty("error").GetProperty("code").GetInt32());
        var ping = await carol.CallAsync("verto.ping");
        Assert.Equal(-32601, ping.GetProperty("error").GetProperty("code").GetInt32());

        var team = await carol.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = new JsonArray("team.red", "chat.lobby") });
        Assert.Equal("team.red", team.GetProperty("result").GetProperty("subscribedChannels")[0].GetString());
        Assert.Equal("chat.lobby", team.GetProperty("result").GetProperty("unauthorizedChannels")[0].GetString());

        var publish = await carol.CallAsync("verto.broadcast", LocalBroadcast("chat.lobby", new JsonObject()));
        Assert.Equal("Permission Denied.", publish.GetProperty("result").GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnsubscribeListsWhatItRemovedAndWhatWasNotSubscribed()
    {
        await using var alice = await _server.LoginAsync();
        await alice.CallAsync("verto.subscribe", Channel("chat.leave"));

        var answer = await alice.CallAsync("verto.unsubscribe", new JsonObject { ["eventChannel"] = new JsonArray("chat.leave", "chat.never") });
        Assert.Equal("chat.leave", answer.GetProperty("result").GetProperty("unsubscribedChannels")[0].GetString());
        Assert.Equal("chat.never", answer.GetProperty("result").GetProperty("notSubscribedChannels")[0].GetString());
        Assert.Equal(0, _server.Verto.Bus.SubscriberCount("chat.leave"));

        var nothing = await alice.CallAsync("verto.unsubscribe", Channel("chat.leave"));
        Assert.Equal("chat.leave", nothing.GetProperty("error").GetProperty("notSubscribedChannels")[0].GetString());
    }

    [Fact]
    public async Task SubscriptionsDieWithTheConnection()
    {
        var alice = await _server.LoginAsync();
        await alice.CallAsync("verto.subscribe", Channel("chat.gone"));
        Assert.Equal(1, _server.Verto.Bus.SubscriberCount("chat.gone"));

        await alice.CloseAsync();
        await alice.DisposeAsync();
        await WaitFor.ConditionAsync(() => _server.Verto.Bus.SubscriberCount("chat.gone") == 0);
    }

    [Fact]
    public async Task OverTheRateLimitRequestsGetAClearError()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["messagesPerSecond"] = 1, ["messageBurst"] = 5 });
        await using var alice = await server.LoginAsync();
        var codes = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            var answer = await alice.CallAsync("verto.ping");
            codes.Add(answer.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 0);
        }

        Assert.Contains(-32010, codes);
        Assert.True(server.Verto.Metrics.RateLimited > 0);
        var limited = await alice.CallAsync("verto.ping");
        Assert.Equal("Rate limit exceeded", limited.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task AClientThatKeepsFloodingAfterBeingToldIsClosed()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["messagesPerSecond"] = 1, ["messageBurst"] = 5 });
        await using var flooder = await server.LoginAsync();
        await using var bystander = await server.LoginAsync("1001", TestServer.BobPassword);
        try
        {
            for (var i = 0; i < 150 && flooder.State == System.Net.WebSockets.WebSocketState.Open; i++)
            {
                await flooder.SendRequestAsync("verto.ping");
            }
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // The server may close while we are still sending; that is the point.
        }

        await flooder.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, flooder.CloseStatus);
        Assert.Equal("PONG", (await bystander.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Signalling;

/// <summary>Live arrays (verto-protocol.md §8): bootstrap, gapless wireSerno, the change shapes, persistence.</summary>
public sealed class LiveArrayTests : IAsyncLifetime
{
    internal const string Channel = "app.board@localhost";
    internal const string Name = "board";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new JsonObject { ["messagesPerSecond"] = 100_000, ["messageBurst"] = 5_000 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    internal static JsonObject Command(string command, JsonObject? obj = null, string channel = Channel, string name = Name)
    {
        var liveArray = new JsonObject { ["command"] = command, ["context"] = channel, ["name"] = name };
        if (obj is not null)
        {
            liveArray["obj"] = obj;
        }

        return new JsonObject { ["eventChannel"] = channel, ["data"] = new JsonObject { ["liveArray"] = liveArray } };
    }

    internal static JsonObject Row(string key, JsonNode data, int? arrIndex = null)
    {
        var obj = new JsonObject { ["hashKey"] = key, ["data"] = data };
        if (arrIndex is { } index)
        {
            obj["arrIndex"] = index;
        }

        return obj;
    }

    /// <summary>Subscribes and bootstraps as verto.js does; returns the bootObj's data.</summary>
    internal static async Task<JsonElement> SubscribeAndBootAsync(VertoTestClient client, string channel = Channel, string name = Name, bool subscribe = true)
    {
        if (subscribe)
        {
            var subscribed = await client.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = channel });
            Assert.True(subscribed.TryGetProperty("result", out _), subscribed.ToString());
        }

        var answer = await client.CallAsync("verto.broadcast", Command("bootstrap", channel: channel, name: name));
        Assert.False(answer.GetProperty("result").TryGetProperty("code", out _), answer.ToString());

        // The very next frame is the private bootObj: nothing may come between the answer and it.
        var boot = await client.ReceiveJsonAsync();
        var parameters = boot.GetProperty("params");
        Assert.Equal(client.SessionId, parameters.GetProperty("sessid").GetString());
        Assert.False(parameters.TryGetProperty("eventSerno", out _));
        var data = parameters.GetProperty("data");
        Assert.Equal("bootObj", data.GetProperty("action").GetString());
        Assert.Equal(-1, data.GetProperty("wireSerno").GetInt32());
        return data.GetProperty("data");
    }

    [Fact]
    public async Task ThreeSubscribersSeeAThousandModificationsInOrderWithoutAGap()
    {
        await using var writer = await _server.LoginAsync();
        Assert.False((await writer.CallAsync("verto.broadcast", Command("add", Row("counter", 0)))).GetProperty("result").TryGetProperty("code", out _));

        var readers = new List<VertoTestClient>();
        try
        {
            foreach (var (user, password) in new[] { ("1000", TestServer.AlicePassword), ("1001", TestServer.BobPassword), ("1000", TestServer.AlicePassword) })
            {
                var reader = await _server.LoginAsync(user, password);
                readers.Add(reader);
                var boot = await SubscribeAndBootAsync(reader);
                Assert.Equal("counter", boot[0][0].GetString());
                Assert.Equal(0, boot[0][1].GetInt32());
            }

            const int changes = 1000;
            for (var i = 1; i <= changes; i++)
            {
                await writer.SendRequestAsync("verto.broadcast", Command("modify", Row("counter", i)));
            }

            foreach (var reader in readers)
            {
                // serno 1 was the add before the boot; the modifications follow with 2..1001 and no gap.
                for (var i = 1; i <= changes; i++)
                {
                    var packet = (await reader.ReceiveEventAsync()).GetProperty("data");
                    Assert.Equal("modify", packet.GetProperty("action").GetString());
                    Assert.Equal(Name, packet.GetProperty("name").GetString());
                    Assert.Equal("counter", packet.GetProperty("hashKey").GetString());
                    Assert.Equal(i + 1, packet.GetProperty("wireSerno").GetInt64());
                    Assert.Equal(i, packet.GetProperty("data").GetInt32());
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AddModifyDelAndClearHaveTheirShapes()
    {
        await using var writer = await _server.LoginAsync();
        await using var reader = await _server.LoginAsync("1001", TestServer.BobPassword);
        Assert.Equal(0, (await SubscribeAndBootAsync(reader)).GetArrayLength());

        await writer.CallAsync("verto.broadcast", Command("add", Row("a", new JsonArray("0001", "Alice"))));
        await writer.CallAsync("verto.broadcast", Command("add", Row("b", new JsonObject { ["n"] = 2 }, arrIndex: 0)));
        await writer.CallAsync("verto.broadcast", Command("modify", Row("a", "changed")));
        await writer.CallAsync("verto.broadcast", Command("del", new JsonObject { ["hashKey"] = "b" }));
        await writer.CallAsync("verto.broadcast", Command("clear"));

        var add = (await reader.ReceiveEventAsync()).GetProperty("data");
        Assert.Equal(("add", 1L, 0, "Alice"), (add.GetProperty("action").GetString(), add.GetProperty("wireSerno").GetInt64(), add.GetProperty("arrIndex").GetInt32(), add.GetProperty("data")[1].GetString()));
        var insert = (await reader.ReceiveEventAsync()).GetProperty("data");
        Assert.Equal(("add", 2L, 0), (insert.GetProperty("action").GetString(), insert.GetProperty("wireSerno").GetInt64(), insert.GetProperty("arrIndex").GetInt32()));
        var modify = (await reader.ReceiveEventAsync()).GetProperty("data");
        Assert.Equal(("modify", 3L, "changed"), (modify.GetProperty("action").GetString(), modify.GetProperty("wireSerno").GetInt64(), modify.GetProperty("data").GetString()));
        Assert.False(modify.TryGetProperty("arrIndex", out _));
        var del = (await reader.ReceiveEventAsync()).GetProperty("data");
        Assert.Equal(("del", 4L, "b"), (del.GetProperty("action").GetString(), del.GetProperty("wireSerno").GetInt64(), del.GetProperty("hashKey").GetString()));
        var clear = (await reader.ReceiveEventAsync()).GetProperty("data");
        Assert.Equal(("clear", -1L), (clear.GetProperty("action").GetString(), clear.GetProperty("wireSerno").GetInt64()));
    }

    [Fact]
    public async Task TheBootObjHoldsTheRowsInOrderAndGoesOnlyToTheRequester()
    {
        await using var writer = await _server.LoginAsync();
        await writer.CallAsync("verto.broadcast", Command("add", Row("x", 1)));
        await writer.CallAsync("verto.broadcast", Command("add", Row("y", 2)));
        await writer.CallAsync("verto.broadcast", Command("add", Row("w", 0, arrIndex: 0)));
        await writer.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = Channel });

        await using var reader = await _server.LoginAsync("1001", TestServer.BobPassword);
        var boot = await SubscribeAndBootAsync(reader);
        Assert.Equal(["w", "x", "y"], boot.EnumerateArray().Select(pair => pair[0].GetString()!).ToArray());

        // The writer, also subscribed, sees the next change but never the reader's bootObj.
        await writer.CallAsync("verto.broadcast", Command("modify", Row("x", 10)));
        var next = (await writer.ReceiveEventAsync()).GetProperty("data");
        Assert.Equal("modify", next.GetProperty("action").GetString());
    }

    [Fact]
    public async Task BadCommandsAreAnsweredInTheResult()
    {
        await using var client = await _server.LoginAsync();

        async Task<string?> Problem(JsonObject parameters) =>
            (await client.CallAsync("verto.broadcast", parameters)).GetProperty("result").TryGetProperty("message", out var m) ? m.GetString() : null;

        Assert.Equal("liveArray not found.", await Problem(Command("modify", Row("nope", 1))));
        Assert.Null(await Problem(Command("add", Row("k", 1))));
        Assert.Equal("liveArray key not found.", await Problem(Command("modify", Row("nope", 1))));
        Assert.Equal("liveArray key not found.", await Problem(Command("del", new JsonObject { ["hashKey"] = "nope" })));
        Assert.Equal("liveArray hashKey missing.", await Problem(Command("add", new JsonObject { ["data"] = 1 })));
        Assert.Equal("liveArray data missing.", await Problem(Command("add", new JsonObject { ["hashKey"] = "k" })));
        Assert.Equal("Unknown liveArray command.", await Problem(Command("explode")));
        Assert.Equal("liveArray name missing.", await Problem(new JsonObject { ["eventChannel"] = Channel, ["data"] = new JsonObject { ["liveArray"] = new JsonObject { ["command"] = "add" } } }));
        Assert.Equal("Permission Denied.", await Problem(Command("add", Row("k", 1), channel: "conference-liveArray.3500@localhost", name: "3500")));

        // The context must be the channel the permission was checked on.
        var sneaky = Command("add", Row("k", 1));
        sneaky["data"]!["liveArray"]!["context"] = "conference-liveArray.3500@localhost";
        Assert.Equal("Permission Denied.", await Problem(sneaky));
    }

    [Fact]
    public async Task APersistentArraySurvivesARestartAndItsNumberingGoesOn()
    {
        var server = await TestServer.StartAsync(root: null);
        try
        {
            await using (var writer = await server.LoginAsync())
            {
                await writer.CallAsync("verto.broadcast", Command("create", new JsonObject { ["persistent"] = true }));
                await writer.CallAsync("verto.broadcast", Command("add", Row("first", new JsonObject { ["v"] = 1 })));
                await writer.CallAsync("verto.broadcast", Command("add", Row("second", "two")));
                await writer.CallAsync("verto.broadcast", Command("add", Row("zeroth", 0, arrIndex: 0)));
                await writer.CallAsync("verto.broadcast", Command("modify", Row("first", new JsonObject { ["v"] = 11 })));
                await writer.CallAsync("verto.broadcast", Command("del", new JsonObject { ["hashKey"] = "second" }));

                // A second, non-persistent array is gone after the restart.
                await writer.CallAsync("verto.broadcast", Command("add", Row("k", 1), name: "scratch"));
            }

            server = await server.RestartAsync();

            await using var reader = await server.LoginAsync();
            var boot = await SubscribeAndBootAsync(reader);
            Assert.Equal(2, boot.GetArrayLength());
            Assert.Equal("zeroth", boot[0][0].GetString());
            Assert.Equal("first", boot[1][0].GetString());
            Assert.Equal(11, boot[1][1].GetProperty("v").GetInt32());
            Assert.Equal(0, (await SubscribeAndBootAsync(reader, Channel, "scratch", subscribe: false)).GetArrayLength());

            await reader.CallAsync("verto.broadcast", Command("modify", Row("zeroth", 100)));
            var next = (await reader.ReceiveEventAsync()).GetProperty("data");
            Assert.Equal(6, next.GetProperty("wireSerno").GetInt64());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

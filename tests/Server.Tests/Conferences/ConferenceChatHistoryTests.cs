using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;
using static MediaServer.Tests.Conferences.ConferenceControlTests;
using static MediaServer.Tests.Conferences.ConferenceMediaTests;

namespace MediaServer.Tests.Conferences;

/// <summary>
/// Our chat history extension (not Verto, VC never asks for it): a member sends
/// <c>verto.broadcast</c> with <c>data:{"action":"history","limit":N}</c> on the room's chat
/// channel, gets <c>{}</c>, then a direct event (top-level sessid, §7.4 rule 1) holding the
/// current meeting's lines oldest first. Members join by signalling alone, as in
/// <see cref="ConferenceControlTests"/>.
/// </summary>
public sealed class ConferenceChatHistoryTests
{
    private const string Chat = "conference-chat.3500@localhost";

    [Fact]
    public async Task ALateJoinerGetsTheRoomsLinesOldestFirstAfterAnEmptyResult()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await DialAsync(alice, "3500");
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = Chat });
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SayAsync(alice, "hi");
        await SayAsync(alice, "anyone here?");
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Bob joins later and does not even subscribe: direct delivery needs no subscription.
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bob, "3500");
        var (result, history) = await AskAsync(bob, limit: null);

        Assert.Equal(["sessid"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(bob.SessionId, history.GetProperty("sessid").GetString());
        Assert.Equal(Chat, history.GetProperty("eventChannel").GetString());
        Assert.False(history.TryGetProperty("eventSerno", out _));
        Assert.False(history.TryGetProperty("subscribedChannel", out _));
        var data = history.GetProperty("data");
        Assert.Equal("history", data.GetProperty("action").GetString());
        var messages = data.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["hi", "anyone here?"], messages.Select(m => m.GetProperty("message").GetString()));
        foreach (var message in messages)
        {
            Assert.Equal("1000@localhost", message.GetProperty("from").GetString());
            Assert.Equal("Alice", message.GetProperty("fromDisplay").GetString());
            Assert.Equal("message", message.GetProperty("type").GetString());
            Assert.InRange(message.GetProperty("sentAt").GetInt64(), before, after);
        }

        // Private: Alice, subscribed to the chat channel, hears her next line and nothing of Bob's history before it.
        await SayAsync(alice, "welcome bob");
    }

    [Fact]
    public async Task ALimitOfOneGivesOnlyTheNewestLineAndZeroCountsAsOne()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await DialAsync(alice, "3500");
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = Chat });
        await SayAsync(alice, "first");
        await SayAsync(alice, "second");

        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bob, "3500");
        foreach (var limit in new[] { 1, 0 })
        {
            var (_, history) = await AskAsync(bob, limit);
            var only = Assert.Single(history.GetProperty("data").GetProperty("messages").EnumerateArray());
            Assert.Equal("second", only.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task SomeoneOutsideTheRoomIsRefusedAndGetsNoHistory()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await DialAsync(alice, "3500");
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = Chat });
        await SayAsync(alice, "members only");

        // One with no call at all, and a member of another room.
        await using var outsider = await server.LoginAsync("1001", TestServer.BobPassword);
        await using var neighbour = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(neighbour, "3501");
        foreach (var client in new[] { outsider, neighbour })
        {
            var id = await client.SendRequestAsync("verto.broadcast", HistoryRequest(limit: null));
            var first = await client.ReceiveUntilAsync(m => IsResponse(m, id) || IsHistory(m));
            Assert.True(IsResponse(first, id), first.ToString());
            Assert.Equal("Permission Denied.", first.GetProperty("result").GetProperty("message").GetString());

            // Anything sent to this connection after the refusal comes before the echo's answer.
            var echoId = await client.SendRequestAsync("echo", new JsonObject { ["x"] = 1 });
            var next = await client.ReceiveUntilAsync(m => IsResponse(m, echoId) || IsHistory(m));
            Assert.True(IsResponse(next, echoId), next.ToString());
        }
    }

    [Fact]
    public async Task ARoomMadeAgainAfterEveryoneLeftStartsWithAnEmptyHistory()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var (callId, _) = await DialAsync(alice, "3500");
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = Chat });
        await SayAsync(alice, "yesterday's meeting");
        await alice.SendRequestAsync("verto.bye", new JsonObject { ["dialogParams"] = new JsonObject { ["callID"] = callId } });
        await WaitFor.ConditionAsync(() => server.Verto.Conferences!.Find("3500") is null, what: "room dropped");

        await DialAsync(alice, "3500");
        var (_, history) = await AskAsync(alice, limit: null);
        Assert.Empty(history.GetProperty("data").GetProperty("messages").EnumerateArray());
        // The line is still on record, it is just not this meeting's.
        Assert.Single(server.Verto.Conferences!.ChatLog!.Recent("3500@localhost", 10));
    }

    /// <summary>Sends a line and waits for its echo, so it is stored before the test goes on.</summary>
    private static async Task SayAsync(VertoTestClient client, string text)
    {
        var reply = await client.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = Chat,
            ["data"] = new JsonObject { ["action"] = "send", ["message"] = text, ["type"] = "message" },
        });
        Assert.True(reply.TryGetProperty("result", out _), reply.ToString());
        var echo = await client.ReceiveUntilAsync(m => IsHistory(m) || EventData(m, Chat) is { } d && d.TryGetProperty("message", out _));
        Assert.False(IsHistory(echo), echo.ToString());
        Assert.Equal(text, EventData(echo, Chat)!.Value.GetProperty("message").GetString());
    }

    /// <summary>Asks for the history; the answer must come first, then the event. Returns the result and the event's params.</summary>
    private static async Task<(JsonElement Result, JsonElement Event)> AskAsync(VertoTestClient client, int? limit)
    {
        var id = await client.SendRequestAsync("verto.broadcast", HistoryRequest(limit));
        var first = await client.ReceiveUntilAsync(m => IsResponse(m, id) || IsHistory(m));
        Assert.True(IsResponse(first, id), $"the history event came before the answer: {first}");
        var history = await client.ReceiveUntilAsync(IsHistory);
        return (first.GetProperty("result"), history.GetProperty("params"));
    }

    private static JsonObject HistoryRequest(int? limit)
    {
        var data = new JsonObject { ["action"] = "history" };
        if (limit is { } n)
        {
            data["limit"] = n;
        }

        return new JsonObject { ["eventChannel"] = Chat, ["data"] = data };
    }

    private static bool IsResponse(JsonElement message, int id) =>
        !message.TryGetProperty("method", out _) && message.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == id;

    private static bool IsHistory(JsonElement message) =>
        EventData(message, Chat) is { } data && data.TryGetProperty("action", out var action) && action.GetString() == "history";
}

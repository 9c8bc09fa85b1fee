using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;
using static MediaServer.Tests.Conferences.ConferenceMediaTests;

namespace MediaServer.Tests.Conferences;

/// <summary>
/// The conference control plane over real wss connections (verto-protocol.md §8.4, §8.5, §9):
/// pvtData, the member rows of the live array and their gapless wireSerno, mod commands with
/// FreeSWITCH's answers and our moderator check, chat echo and storage, PIN, lock, kick and
/// DTMF. Members here join by signalling; media is exercised in <see cref="ConferenceMediaTests"/>.
/// </summary>
public sealed class ConferenceControlTests
{
    [Fact]
    public async Task AJoinSendsPvtDataWithTheRoomsChannelsAndTheRoleAndARowOfSevenElements()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var (callId, pvt) = await DialAsync(alice, "3500");
        Assert.Equal(callId, pvt.GetProperty("callID").GetString());
        Assert.Equal("conference-liveArray.3500@localhost", pvt.GetProperty("laChannel").GetString());
        Assert.Equal("3500", pvt.GetProperty("laName").GetString());
        Assert.Equal("moderator", pvt.GetProperty("role").GetString());
        Assert.Equal("conference-mod.3500@localhost", pvt.GetProperty("modChannel").GetString());
        Assert.Equal("conference-chat.3500@localhost", pvt.GetProperty("chatChannel").GetString());
        Assert.Equal("conference-info.3500@localhost", pvt.GetProperty("infoChannel").GetString());
        Assert.Equal("conf+3500@localhost", pvt.GetProperty("chatID").GetString());
        Assert.Equal("1", pvt.GetProperty("conferenceMemberID").GetString());
        Assert.Equal(1, pvt.GetProperty("canvasCount").GetInt32());

        // The row, from a bootstrap: [ "0001", number, name, "opus@48000", "<status JSON>", {}, null ].
        var rows = await BootstrapAsync(alice, "conference-liveArray.3500@localhost", "3500");
        var pair = Assert.Single(rows.EnumerateArray());
        Assert.Equal(callId, pair[0].GetString());
        var row = pair[1];
        Assert.Equal(7, row.GetArrayLength());
        Assert.Equal("0001", row[0].GetString());
        Assert.Equal("1000", row[1].GetString());
        Assert.Equal("Alice", row[2].GetString());
        Assert.Equal("opus@48000", row[3].GetString());
        Assert.Equal(JsonValueKind.String, row[4].ValueKind);
        Assert.Equal(JsonValueKind.Object, row[5].ValueKind);
        Assert.Equal(JsonValueKind.Null, row[6].ValueKind);
        var status = Status(row);
        Assert.False(status.GetProperty("audio").GetProperty("muted").GetBoolean());
        Assert.False(status.GetProperty("audio").GetProperty("deaf").GetBoolean());
        Assert.False(status.GetProperty("audio").GetProperty("talking").GetBoolean());
        Assert.Equal(JsonValueKind.Number, status.GetProperty("audio").GetProperty("energyScore").ValueKind);
        // The offer had video, so the legacy text says so.
        Assert.Equal("ACTIVE VIDEO", status.GetProperty("oldStatus").GetString());
        Assert.Equal(JsonValueKind.Object, status.GetProperty("video").ValueKind);

        // A participant gets no mod channel.
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        var (_, bobPvt) = await DialAsync(bob, "3500");
        Assert.Equal("participant", bobPvt.GetProperty("role").GetString());
        Assert.False(bobPvt.TryGetProperty("modChannel", out _));
        Assert.Equal("2", bobPvt.GetProperty("conferenceMemberID").GetString());
    }

    [Fact]
    public async Task RoomsAreMadeOnFirstJoinAndDroppedWhenTheLastMemberLeaves()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var (callId, _) = await DialAsync(alice, "conf-standup");
        Assert.NotNull(server.Verto.Conferences!.Find("standup"));
        Assert.NotNull(server.Verto.LiveArrays.Find("conference-liveArray.standup@localhost", "standup"));

        // Not CallAsync: that would skip the part event, which comes before the bye's answer.
        await alice.SendRequestAsync("verto.bye", new JsonObject { ["dialogParams"] = new JsonObject { ["callID"] = callId } });
        var part = await alice.ReceiveUntilAsync(m => ConferenceParticipant.IsPvtData(m, "conference-liveArray-part"));
        Assert.Equal(callId, part.GetProperty("params").GetProperty("pvtData").GetProperty("callID").GetString());
        await WaitFor.ConditionAsync(() => server.Verto.Conferences.Find("standup") is null, what: "room dropped");
        Assert.Null(server.Verto.LiveArrays.Find("conference-liveArray.standup@localhost", "standup"));
        // The mixer's clock thread lets go of it at its next tick.
        await WaitFor.ConditionAsync(() => server.Verto.Conferences.MixerMetrics.Mixers == 0, what: "mixer released");
    }

    [Fact]
    public async Task TenQuickJoinsAndLeavesReachASubscriberInOrderWithoutAGap()
    {
        await using var server = await TestServer.StartAsync();
        await using var watcher = await server.LoginAsync();
        var (watcherCall, _) = await DialAsync(watcher, "3510");
        const string channel = "conference-liveArray.3510@localhost";
        await BootstrapAsync(watcher, channel, "3510");

        var joiners = new List<VertoTestClient>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                var client = await server.LoginAsync("1001", TestServer.BobPassword);
                joiners.Add(client);
                var (callId, _) = await DialAsync(client, "3510");
                await client.SendRequestAsync("verto.bye", new JsonObject { ["dialogParams"] = new JsonObject { ["callID"] = callId } });
            }

            // Each join is add + modify (more modifies when the canvas moves tiles), each leave a
            // del: read until all ten are gone, every serno one more than the last.
            var sernos = new List<long>();
            var keys = new Dictionary<string, int>();
            var deletes = 0;
            while (deletes < 10)
            {
                var message = await watcher.ReceiveUntilAsync(m => EventData(m, channel) is { } d && d.GetProperty("wireSerno").GetInt64() > 0);
                var data = EventData(message, channel)!.Value;
                sernos.Add(data.GetProperty("wireSerno").GetInt64());
                var key = data.GetProperty("hashKey").GetString()!;
                var action = data.GetProperty("action").GetString();
                keys[key] = action == "del" ? keys.GetValueOrDefault(key) - 1 : action == "add" ? keys.GetValueOrDefault(key) + 1 : keys.GetValueOrDefault(key);
                deletes += action == "del" ? 1 : 0;
            }

            for (var i = 1; i < sernos.Count; i++)
            {
                Assert.Equal(sernos[i - 1] + 1, sernos[i]);
            }

            // The watcher's own row may be modified too (its tile moves); the ten joiners came and went.
            Assert.Equal(10, keys.Count(k => k.Value == 0 && k.Key != watcherCall));
            Assert.All(keys.Values, v => Assert.Equal(0, v));
            Assert.Equal(1, server.Verto.LiveArrays.Find(channel, "3510")!.Count);
        }
        finally
        {
            foreach (var client in joiners)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AParticipantCannotSendModeratorCommandsAndAModeratorCannotSteerAnotherRoom()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await DialAsync(alice, "3520");
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bob, "3521");

        // Bob is a participant of 3521: kicking there is refused, and so is anything in 3520 where he is no member.
        var own = await Mod(bob, "conference-mod.3521@localhost", "kick", 1);
        Assert.Equal("Permission Denied: only moderators may send conference commands.", own.GetProperty("result").GetProperty("message").GetString());
        var other = await Mod(bob, "conference-mod.3520@localhost", "kick", 1);
        Assert.Equal("Permission Denied.", other.GetProperty("result").GetProperty("message").GetString());

        // Alice moderates 3520 only.
        var foreign = await Mod(alice, "conference-mod.3521@localhost", "kick", 1);
        Assert.Equal("Permission Denied.", foreign.GetProperty("result").GetProperty("message").GetString());
        Assert.Equal(1, server.Verto.Conferences!.Find("3521")!.Count);
    }

    [Fact]
    public async Task ModCommandsAnswerLikeFreeSwitchAndChangeTheRows()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await DialAsync(alice, "3530");
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        var (bobCall, _) = await DialAsync(bob, "3530");
        const string mod = "conference-mod.3530@localhost";
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = mod });

        Assert.Equal("+OK mute 2\n", await ModResponse(alice, mod, "tmute", 2));
        Assert.Equal("+OK unmute 2\n", await ModResponse(alice, mod, "tmute", 2));
        Assert.Equal("+OK deaf 2\n", await ModResponse(alice, mod, "deaf", 2));
        Assert.Equal("+OK undeaf 2\n", await ModResponse(alice, mod, "undeaf", 2));
        Assert.Equal("+OK Volume IN 2 = 1\n", await ModResponse(alice, mod, "volume_in", 2, "up"));
        Assert.Equal("+OK Volume OUT 2 = -1\n", await ModResponse(alice, mod, "volume_out", 2, "down"));
        Assert.Equal("+OK Energy 2 = 300\n", await ModResponse(alice, mod, "energy", 2, "300"));
        Assert.Equal("+OK vmute 2\n", await ModResponse(alice, mod, "tvmute", 2));
        Assert.Equal("-ERR Non-Existant ID 9\n", await ModResponse(alice, mod, "mute", 9));
        Assert.Equal("+OK 3530 locked\n", await ModResponse(alice, mod, "lock", null));

        // Locked: a new caller is answered, then let go with the reason.
        await using var carol = await server.LoginAsync("1001", TestServer.BobPassword);
        await carol.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("locked-out", "3530") });
        var bye = await ConferenceParticipant.ReceiveRequestAsync(carol, "verto.bye");
        Assert.Equal("CALL_REJECTED", bye.GetProperty("cause").GetString());
        Assert.Equal("+OK 3530 unlocked\n", await ModResponse(alice, mod, "unlock", null));

        var invalid = await Mod(alice, mod, "frobnicate", 2);
        Assert.True(invalid.TryGetProperty("result", out _));
        var error = await alice.ReceiveUntilAsync(m => EventData(m, mod) is { } d && d.TryGetProperty("error", out _));
        Assert.Equal("Invalid Command", EventData(error, mod)!.Value.GetProperty("error").GetString());

        const string la = "conference-liveArray.3530@localhost";
        await bob.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = la });
        var bobConnection = server.Verto.Sessions.Find(bob.SessionId)!;
        Assert.True(bobConnection.HasSubscription(la));
        Assert.Equal("+OK kicked 2\n", await ModResponse(alice, mod, "kick", 2));
        var kicked = await ConferenceParticipant.ReceiveRequestAsync(bob, "verto.bye");
        Assert.Equal(bobCall, kicked.GetProperty("callID").GetString());
        await WaitFor.ConditionAsync(() => server.Verto.Conferences!.Find("3530")!.Count == 1, what: "bob gone");
        // Out of the room, out of its channels: a client that does not unsubscribe hears no more of it.
        Assert.False(bobConnection.HasSubscription(la));
        Assert.False(bobConnection.MayUseChannel(la));
    }

    [Fact]
    public async Task DtmfZeroTogglesTheCallersOwnMuteAndTheRowConfirmsIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        var (callId, pvt) = await DialAsync(bob, "3540");
        var channel = pvt.GetProperty("laChannel").GetString()!;
        await BootstrapAsync(bob, channel, "3540");

        var sent = await bob.CallAsync("verto.info", new JsonObject { ["dtmf"] = "0", ["dialogParams"] = new JsonObject { ["callID"] = callId } });
        Assert.Equal("SENT", sent.GetProperty("result").GetProperty("message").GetString());
        var muted = await bob.ReceiveUntilAsync(m => EventData(m, channel) is { } d && d.GetProperty("action").GetString() == "modify"
            && Status(d.GetProperty("data")).GetProperty("audio").GetProperty("muted").GetBoolean());
        Assert.Equal(callId, EventData(muted, channel)!.Value.GetProperty("hashKey").GetString());
        Assert.Equal("MUTE VIDEO", Status(EventData(muted, channel)!.Value.GetProperty("data")).GetProperty("oldStatus").GetString());

        await bob.CallAsync("verto.info", new JsonObject { ["dtmf"] = "0", ["dialogParams"] = new JsonObject { ["callID"] = callId } });
        await bob.ReceiveUntilAsync(m => EventData(m, channel) is { } d && d.GetProperty("action").GetString() == "modify"
            && !Status(d.GetProperty("data")).GetProperty("audio").GetProperty("muted").GetBoolean());
        Assert.False(server.Verto.Conferences!.Find("3540")!.Find(1)!.Muted);
    }

    [Fact]
    public async Task ChatIsEchoedToEveryoneIncludingTheSenderAndStored()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var (_, pvt) = await DialAsync(alice, "3550");
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bob, "3550");
        var chat = pvt.GetProperty("chatChannel").GetString()!;
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = chat });
        await bob.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = chat });

        var reply = await alice.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = chat,
            ["data"] = new JsonObject { ["action"] = "send", ["message"] = "hello all", ["type"] = "message" },
        });
        Assert.True(reply.TryGetProperty("result", out _));
        foreach (var client in new[] { alice, bob })
        {
            var message = await client.ReceiveUntilAsync(m => EventData(m, chat) is not null);
            var data = EventData(message, chat)!.Value;
            Assert.Equal("outbound", data.GetProperty("direction").GetString());
            Assert.Equal("hello all", data.GetProperty("message").GetString());
            Assert.Equal("Alice", data.GetProperty("fromDisplay").GetString());
            Assert.Equal("1000@localhost", data.GetProperty("from").GetString());
            Assert.Equal("message", data.GetProperty("type").GetString());
        }

        var tooLong = await alice.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = chat,
            ["data"] = new JsonObject { ["action"] = "send", ["message"] = new string('x', 5000) },
        });
        Assert.Equal("Chat message longer than 4096 characters.", tooLong.GetProperty("result").GetProperty("message").GetString());

        var stored = Assert.Single(server.Verto.Conferences!.ChatLog!.Recent("3550@localhost", 10));
        Assert.Equal("hello all", stored.Message);
        Assert.Equal("1000@localhost", stored.Sender);

        // Someone outside the room may neither read nor write its chat.
        await using var outsider = await server.LoginAsync("1001", TestServer.BobPassword);
        var refused = await outsider.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = chat,
            ["data"] = new JsonObject { ["action"] = "send", ["message"] = "spam" },
        });
        Assert.Equal("Permission Denied.", refused.GetProperty("result").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ARoomWithAPinLetsInOnlyCallersWhoGiveIt()
    {
        var profiles = new JsonObject
        {
            ["profiles"] = new JsonObject { ["default"] = new JsonObject() },
            ["rooms"] = new JsonObject { ["3599"] = new JsonObject { ["pin"] = "1234" } },
        };
        await using var server = await TestServer.StartAsync(conferenceProfiles: profiles);
        await using var alice = await server.LoginAsync();
        foreach (var (callId, pin) in new[] { ("no-pin", (string?)null), ("bad-pin", "9999") })
        {
            var dialog = Dialog(callId, "3599");
            if (pin is not null)
            {
                dialog["pin"] = pin;
            }

            await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = dialog });
            var bye = await ConferenceParticipant.ReceiveRequestAsync(alice, "verto.bye");
            Assert.Equal(callId, bye.GetProperty("callID").GetString());
            Assert.Equal("CALL_REJECTED", bye.GetProperty("cause").GetString());
        }

        Assert.Null(server.Verto.Conferences!.Find("3599"));
        var (_, pvt) = await DialAsync(alice, "3599", pin: "1234");
        Assert.Equal("3599", pvt.GetProperty("laName").GetString());
    }

    /// <summary>Dials a room by signalling alone and waits for the pvtData join; returns the callID and pvtData.</summary>
    internal static async Task<(string CallId, JsonElement PvtData)> DialAsync(VertoTestClient client, string room, string? pin = null)
    {
        var callId = Guid.NewGuid().ToString();
        var dialog = Dialog(callId, room);
        if (pin is not null)
        {
            dialog["pin"] = pin;
        }

        var created = await client.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = dialog });
        Assert.Equal("CALL CREATED", created.GetProperty("result").GetProperty("message").GetString());
        var answer = await ConferenceParticipant.ReceiveRequestAsync(client, "verto.answer");
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("sdp").GetString()));
        var join = await client.ReceiveUntilAsync(m => ConferenceParticipant.IsPvtData(m, "conference-liveArray-join"));
        return (callId, join.GetProperty("params").GetProperty("pvtData").Clone());
    }

    /// <summary>Subscribes and bootstraps the live array; returns the bootObj's data (pairs of [hashKey, row]).</summary>
    internal static async Task<JsonElement> BootstrapAsync(VertoTestClient client, string channel, string name)
    {
        await client.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = channel });
        await client.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = channel,
            ["data"] = new JsonObject { ["liveArray"] = new JsonObject { ["command"] = "bootstrap", ["context"] = channel, ["name"] = name } },
        });
        var boot = await client.ReceiveUntilAsync(m => EventData(m, channel) is { } d && d.GetProperty("action").GetString() == "bootObj");
        return EventData(boot, channel)!.Value.GetProperty("data").Clone();
    }

    private static JsonObject Dialog(string callId, string destination) => new()
    {
        ["callID"] = callId,
        ["destination_number"] = destination,
        ["caller_id_name"] = "Alice",
        ["caller_id_number"] = "1000",
    };

    internal static Task<JsonElement> Mod(VertoTestClient client, string channel, string command, int? id, string? value = null) =>
        client.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = channel,
            ["data"] = new JsonObject { ["application"] = "conf-control", ["command"] = command, ["id"] = id, ["value"] = value },
        });

    /// <summary>Sends a mod command and returns the text answer it gets on the mod channel (data answers are skipped).</summary>
    internal static async Task<string> ModResponse(VertoTestClient client, string channel, string command, int? id, string? value = null)
    {
        var reply = await Mod(client, channel, command, id, value);
        Assert.True(reply.TryGetProperty("result", out _), reply.ToString());
        var response = await client.ReceiveUntilAsync(m => EventData(m, channel) is { } d && d.TryGetProperty("response", out _) && !d.TryGetProperty("responseData", out _));
        return EventData(response, channel)!.Value.GetProperty("response").GetString()!;
    }
}

using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;
using static MediaServer.Tests.Conferences.ConferenceControlTests;

namespace MediaServer.Tests.Conferences;

/// <summary>
/// Call admission control and overload shedding on a real server with tiny limits: the call
/// past limits.maxCalls gets CALL ERROR with NORMAL_CIRCUIT_CONGESTION and nothing is kept,
/// the join past limits.maxConferenceMembers is answered and let go with a verto.bye carrying
/// that cause, and a governor driven through the mixer's own lateness histogram moves the live
/// room to level 1 and 2 (new calls then refused with SWITCH_CONGESTION), shows it in /metrics,
/// and comes back to the profile's values.
/// </summary>
public sealed class AdmissionControlTests
{
    [Fact]
    public async Task TheCallPastMaxCallsIsRefusedWithACongestionCauseAndLeavesNothingBehind()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["maxCalls"] = 2 });
        await using var alice = await server.LoginAsync();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(alice, "3540");
        var (bobCall, _) = await DialAsync(bob, "3540");

        var refused = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("third-call", "3540") });
        var error = refused.GetProperty("error");
        Assert.Equal("CALL ERROR", error.GetProperty("message").GetString());
        Assert.Equal("NORMAL_CIRCUIT_CONGESTION", error.GetProperty("cause").GetString());
        Assert.Equal(34, error.GetProperty("causeCode").GetInt32());
        Assert.Contains("call limit (2 calls)", error.GetProperty("detail").GetString());
        Assert.Equal(2, server.Verto.Calls!.Count);
        Assert.Null(server.Verto.Calls.Find("third-call"));
        Assert.Equal(2, server.Verto.Conferences!.MemberCount);
        Assert.Contains("mediaserver_calls_refused_total{reason=\"max_calls\"} 1\n", await server.MetricsAsync());

        // A freed slot takes the next call.
        await bob.SendRequestAsync("verto.bye", new JsonObject { ["dialogParams"] = new JsonObject { ["callID"] = bobCall } });
        await WaitFor.ConditionAsync(() => server.Verto.Calls.Count == 1, what: "bob's call gone");
        await DialAsync(alice, "3540");
    }

    [Fact]
    public async Task TheJoinPastMaxConferenceMembersGetsAByeWithTheCauseAndNoRoomIsMade()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["maxConferenceMembers"] = 2 });
        await using var alice = await server.LoginAsync();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(alice, "3541");
        await DialAsync(bob, "3542");

        var created = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("one-too-many", "3543") });
        Assert.Equal("CALL CREATED", created.GetProperty("result").GetProperty("message").GetString());
        var bye = await ConferenceParticipant.ReceiveRequestAsync(alice, "verto.bye");
        Assert.Equal("one-too-many", bye.GetProperty("callID").GetString());
        Assert.Equal("NORMAL_CIRCUIT_CONGESTION", bye.GetProperty("cause").GetString());
        Assert.Equal(34, bye.GetProperty("causeCode").GetInt32());

        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 2, what: "the refused call released");
        Assert.Null(server.Verto.Conferences!.Find("3543"));
        Assert.Equal(2, server.Verto.Conferences.Count);
        Assert.Equal(2, server.Verto.Conferences.MemberCount);
        Assert.Contains("mediaserver_calls_refused_total{reason=\"max_conference_members\"} 1\n", await server.MetricsAsync());
    }

    [Fact]
    public async Task LateMixerTicksRaiseTheLevelOfTheLiveRoomRefuseNewCallsAndTheServerComesBack()
    {
        // 100 ms: the injected 150 ms ticks (the bucket up to 200 ms) are over it, and quiet means
        // under 50 ms, which a busy shared test box's own scheduler hiccups stay within.
        await using var server = await TestServer.StartAsync(new JsonObject { ["overloadLatenessMs"] = 100 });
        // A member with real media: the test outlasts the media timeout of a call whose ICE never
        // starts, and the room must live through every level and back.
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3544");
        alice.SendSilence();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        var conferences = server.Verto.Conferences!;
        var room = conferences.Find("3544")!;
        Assert.Equal(0, room.Mixer.ComplexityReduction);
        Assert.Contains("mediaserver_overload_level 0\n", await server.MetricsAsync());

        await DriveLatenessUntil(server, level: 1);
        Assert.Equal(3, room.Mixer.ComplexityReduction);
        var metrics = await server.MetricsAsync();
        Assert.Contains("mediaserver_overload_level 1\n", metrics);
        Assert.Contains("mediaserver_overload_raises_total 1\n", metrics);

        // Level 1 still takes calls.
        var (bobCall, _) = await DialAsync(bob, "3544");
        await bob.SendRequestAsync("verto.bye", new JsonObject { ["dialogParams"] = new JsonObject { ["callID"] = bobCall } });

        await DriveLatenessUntil(server, level: 2);
        Assert.Equal(10, room.Mixer.ComplexityReduction);
        var refused = await bob.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("while-overloaded", "3544") });
        var error = refused.GetProperty("error");
        Assert.Equal("SWITCH_CONGESTION", error.GetProperty("cause").GetString());
        Assert.Equal(42, error.GetProperty("causeCode").GetInt32());
        Assert.Contains("overloaded", error.GetProperty("detail").GetString());
        Assert.Null(server.Verto.Calls!.Find("while-overloaded"));
        metrics = await server.MetricsAsync();
        Assert.Contains("mediaserver_overload_level 2\n", metrics);
        Assert.Contains("mediaserver_calls_refused_total{reason=\"overloaded\"} 1\n", metrics);

        // Nothing late any more: ten quiet seconds per level, back to the profile's complexity.
        await WaitFor.ConditionAsync(() => conferences.OverloadLevel == 0, TimeSpan.FromSeconds(40), $"back to level 0 (at {conferences.OverloadLevel})");
        Assert.Same(room, conferences.Find("3544"));
        await WaitFor.ConditionAsync(() => room.Mixer.ComplexityReduction == 0, what: "profile complexity restored");
        metrics = await server.MetricsAsync();
        Assert.Contains("mediaserver_overload_level 0\n", metrics);
        Assert.Contains("mediaserver_overload_lowers_total 2\n", metrics);
        await DialAsync(bob, "3544");
    }

    /// <summary>
    /// Feeds the mixer's lateness histogram (the governor's only input) with 150 ms late ticks
    /// five times a second until the governor reaches <paramref name="level"/>; bounded.
    /// </summary>
    private static async Task DriveLatenessUntil(TestServer server, int level)
    {
        var conferences = server.Verto.Conferences!;
        for (var round = 0; round < 100 && conferences.OverloadLevel < level; round++)
        {
            for (var i = 0; i < 500; i++)
            {
                conferences.MixerMetrics.RecordLateness(150_000);
            }

            await Task.Delay(200);
        }

        Assert.Equal(level, conferences.OverloadLevel);
    }

    private static JsonObject Dialog(string callId, string destination) => new()
    {
        ["callID"] = callId,
        ["destination_number"] = destination,
        ["caller_id_name"] = "Alice",
        ["caller_id_number"] = "1000",
    };
}

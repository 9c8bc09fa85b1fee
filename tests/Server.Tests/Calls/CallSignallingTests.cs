using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Calls;

/// <summary>
/// The call methods over a real wss connection with exact shapes and error strings
/// (verto-protocol.md §3.3-3.8, §4, §6): routing, refusals, hold, DTMF, messages, ringing a
/// user and declining, detach on disconnect and the verto.attach offer on reconnect.
/// Offers come from <see cref="WebRtcTestPeer"/>; no media flows in these tests.
/// </summary>
public sealed class CallSignallingTests
{
    [Fact]
    public async Task InviteWithoutDialogParamsCallIdOrSdpIsRefusedWithFreeSwitchsMessages()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var noDialog = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = "v=0" });
        Assert.Equal("Dialog data missing", noDialog.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(-32002, noDialog.GetProperty("error").GetProperty("code").GetInt32());

        var noCallId = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = "v=0", ["dialogParams"] = new JsonObject() });
        Assert.Equal("CallID missing", noCallId.GetProperty("error").GetProperty("message").GetString());

        var noSdp = await alice.CallAsync("verto.invite", new JsonObject { ["dialogParams"] = Dialog("c1", "9196") });
        Assert.Equal("SDP missing", noSdp.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, server.Verto.Calls!.Count);
    }

    [Fact]
    public async Task BrokenSdpGetsACallErrorWithTheParsersReasonAndLeavesNothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var reply = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = "this is not sdp\r\nm=audio x\r\n", ["dialogParams"] = Dialog("c2", "9196") });
        var error = reply.GetProperty("error");
        Assert.Equal("CALL ERROR", error.GetProperty("message").GetString());
        Assert.Equal(95, error.GetProperty("causeCode").GetInt32());
        Assert.Equal("INVALID_MSG_UNSPECIFIED", error.GetProperty("cause").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("detail").GetString()));
        Assert.Equal(0, server.Verto.Calls!.Count);
        Assert.Equal(0, server.Host.Media.TransportCount);
    }

    [Fact]
    public async Task AnOfferWithNoCommonCodecGetsCodecNegotiationError()
    {
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["codecs"] = "opus" });
        await using var alice = await server.LoginAsync();
        using var peer = new WebRtcTestPeer();
        var offer = peer.CreateOffer(video: false, codecs: "pcma");
        var reply = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = offer, ["dialogParams"] = Dialog("c3", "9196") });
        var error = reply.GetProperty("error");
        Assert.Equal("CODEC NEGOTIATION ERROR", error.GetProperty("message").GetString());
        Assert.Equal("INCOMPATIBLE_DESTINATION", error.GetProperty("cause").GetString());
        Assert.Equal(88, error.GetProperty("causeCode").GetInt32());
        Assert.Equal(0, server.Verto.Calls!.Count);
        Assert.Equal(0, server.Host.Media.TransportCount);
    }

    [Fact]
    public async Task EchoIsAnsweredWithAnSdpThenDisplayAndByeEndsIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = new WebRtcTestPeer();
        var created = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = Dialog("echo-1", "9196") });
        var result = created.GetProperty("result");
        Assert.Equal("CALL CREATED", result.GetProperty("message").GetString());
        Assert.Equal("echo-1", result.GetProperty("callID").GetString());
        Assert.Equal(alice.SessionId, result.GetProperty("sessid").GetString());

        var answer = await ReceiveRequestAsync(alice, "verto.answer");
        Assert.Equal("echo-1", answer.GetProperty("callID").GetString());
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        Assert.True(peer.Answer!.IceLite);
        Assert.Equal("audio", peer.Answer.Media[0].Media);
        Assert.Equal("video", peer.Answer.Media[1].Media);

        var display = await ReceiveRequestAsync(alice, "verto.display");
        Assert.Equal("9196", display.GetProperty("display_number").GetString());

        var bye = await alice.CallAsync("verto.bye", new JsonObject { ["dialogParams"] = Dialog("echo-1", "9196") });
        Assert.Equal("CALL ENDED", bye.GetProperty("result").GetProperty("message").GetString());
        Assert.Equal(16, bye.GetProperty("result").GetProperty("causeCode").GetInt32());
        Assert.Equal("NORMAL_CLEARING", bye.GetProperty("result").GetProperty("cause").GetString());
        Assert.Equal(0, server.Verto.Calls!.Count);

        // verto.js sends its own bye after a server bye; an unknown call is answered, not ignored.
        var again = await alice.CallAsync("verto.bye", new JsonObject { ["dialogParams"] = Dialog("echo-1", "9196") });
        Assert.Equal("CALL DOES NOT EXIST", again.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("echo-1", again.GetProperty("error").GetProperty("callID").GetString());
    }

    [Fact]
    public async Task ByeCarriesTheClientsCauseByNameOrCode()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = new WebRtcTestPeer();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = Dialog("cause-1", "9196") });
        var byName = await alice.CallAsync("verto.bye", new JsonObject { ["cause"] = "USER_BUSY", ["dialogParams"] = Dialog("cause-1", "9196") });
        Assert.Equal(17, byName.GetProperty("result").GetProperty("causeCode").GetInt32());

        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("cause-2", "9196") });
        var byCode = await alice.CallAsync("verto.bye", new JsonObject { ["causeCode"] = "21", ["dialogParams"] = Dialog("cause-2", "9196") });
        Assert.Equal("CALL_REJECTED", byCode.GetProperty("result").GetProperty("cause").GetString());
    }

    [Fact]
    public async Task ModifyHoldsAndResumesAnAnsweredCall()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = new WebRtcTestPeer();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = Dialog("hold-1", "9196") });

        var missing = await alice.CallAsync("verto.modify", new JsonObject { ["dialogParams"] = Dialog("hold-1", "9196") });
        Assert.Equal("action missing", missing.GetProperty("error").GetProperty("message").GetString());

        var hold = await alice.CallAsync("verto.modify", new JsonObject { ["action"] = "hold", ["dialogParams"] = Dialog("hold-1", "9196") });
        Assert.Equal("held", hold.GetProperty("result").GetProperty("holdState").GetString());
        Assert.Equal("hold", hold.GetProperty("result").GetProperty("action").GetString());
        Assert.True(server.Verto.Calls!.Find("hold-1")!.Leg!.Held);

        var toggle = await alice.CallAsync("verto.modify", new JsonObject { ["action"] = "toggleHold", ["dialogParams"] = Dialog("hold-1", "9196") });
        Assert.Equal("active", toggle.GetProperty("result").GetProperty("holdState").GetString());
        Assert.False(server.Verto.Calls!.Find("hold-1")!.Leg!.Held);

        var unknownCall = await alice.CallAsync("verto.modify", new JsonObject { ["action"] = "hold", ["dialogParams"] = Dialog("nope", "9196") });
        Assert.Equal("CALL DOES NOT EXIST", unknownCall.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task InfoAcceptsDtmfAndDeliversMessagesToEveryConnectionOfTheAddressee()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        using var peer = new WebRtcTestPeer();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = Dialog("dtmf-1", "9196") });
        var dtmf = await alice.CallAsync("verto.info", new JsonObject { ["dtmf"] = "*0", ["dialogParams"] = Dialog("dtmf-1", "9196") });
        Assert.Equal("SENT", dtmf.GetProperty("result").GetProperty("message").GetString());

        var bad = await alice.CallAsync("verto.info", new JsonObject { ["msg"] = new JsonObject { ["body"] = "no addressee" } });
        var error = bad.GetProperty("error");
        Assert.Equal("INVALID MESSAGE to and body params required", error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("code", out _));

        var sent = await alice.CallAsync("verto.info", new JsonObject
        {
            ["msg"] = new JsonObject { ["to"] = "1001@localhost", ["body"] = "hello bob", ["from_msg_name"] = "Alice" },
        });
        Assert.Equal("SENT", sent.GetProperty("result").GetProperty("message").GetString());
        var delivered = await ReceiveRequestAsync(bob, "verto.info");
        var msg = delivered.GetProperty("msg");
        Assert.Equal("hello bob", msg.GetProperty("body").GetString());
        Assert.Equal("1000@localhost", msg.GetProperty("from").GetString());
        Assert.Equal("Alice", msg.GetProperty("from_msg_name").GetString());
    }

    [Fact]
    public async Task CallingAnUnknownOrOfflineUserEndsWithTheRightCause()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var created = await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("u-1", "4711") });
        Assert.Equal("CALL CREATED", created.GetProperty("result").GetProperty("message").GetString());
        var bye = await ReceiveRequestAsync(alice, "verto.bye");
        Assert.Equal("UNALLOCATED_NUMBER", bye.GetProperty("cause").GetString());
        Assert.Equal(1, bye.GetProperty("causeCode").GetInt32());

        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("u-2", "1001") });
        var offline = await ReceiveRequestAsync(alice, "verto.bye");
        Assert.Equal("USER_NOT_REGISTERED", offline.GetProperty("cause").GetString());
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0 && server.Host.Media.TransportCount == 0, what: "nothing left");
    }

    [Fact]
    public async Task ACalleeThatDeclinesMakesTheCallerHearCallRejected()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("ring-1", "1001") });

        // Early media first, so the caller's 30 s "trying" timer does not run out while Bob rings.
        var media = await ReceiveRequestAsync(alice, "verto.media");
        Assert.Contains("a=ice-lite", media.GetProperty("sdp").GetString(), StringComparison.Ordinal);

        var invite = await ReceiveRequestAsync(bob, "verto.invite");
        var bobCall = invite.GetProperty("callID").GetString()!;
        Assert.Equal("outbound", invite.GetProperty("display_direction").GetString());
        Assert.Equal("1001", invite.GetProperty("callee_id_number").GetString());
        Assert.Equal(JsonValueKind.Object, invite.GetProperty("variables").ValueKind);
        var sdp = invite.GetProperty("sdp").GetString()!;
        Assert.True(sdp.IndexOf("m=audio", StringComparison.Ordinal) < sdp.IndexOf("m=video", StringComparison.Ordinal), "audio before video in server offers (§5)");
        Assert.Contains("a=setup:actpass", sdp, StringComparison.Ordinal);

        await bob.CallAsync("verto.bye", new JsonObject { ["dialogParams"] = new JsonObject { ["callID"] = bobCall } });
        var bye = await ReceiveRequestAsync(alice, "verto.bye");
        Assert.Equal("CALL_REJECTED", bye.GetProperty("cause").GetString());
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0, what: "both legs ended");
    }

    [Fact]
    public async Task AnAnsweredCallIsDetachedOnDisconnectAndOfferedBackWithVertoAttach()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.LoginAsync();
        var sessid = alice.SessionId;
        using var peer = new WebRtcTestPeer();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = Dialog("att-1", "9196") });
        var answer = await ReceiveRequestAsync(alice, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        var firstUfrag = MediaServer.Protocol.Sdp.OfferAnswer.GetRemoteTransport(peer.Answer!)!.IceUfrag;
        await alice.DisposeAsync();
        await WaitFor.ConditionAsync(() => server.Verto.Sessions.Count == 0, what: "the socket closed");
        Assert.NotNull(server.Verto.Calls!.Find("att-1"));

        await using var again = await server.LoginAsync(sessid: sessid);
        var attach = await ReceiveRequestAsync(again, "verto.attach");
        Assert.Equal("att-1", attach.GetProperty("callID").GetString());
        Assert.Contains("a=setup:actpass", attach.GetProperty("sdp").GetString(), StringComparison.Ordinal);
        // A fresh offer: new ICE credentials (and a new DTLS session) for the browser's new peer connection.
        Assert.DoesNotContain("a=ice-ufrag:" + firstUfrag, attach.GetProperty("sdp").GetString(), StringComparison.Ordinal);
        var ready = await ReceiveRequestAsync(again, "verto.clientReady");
        Assert.Equal("att-1", ready.GetProperty("reattached_sessions")[0].GetString());

        var unanswered = await again.CallAsync("verto.attach", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("nope", "9196") });
        Assert.Equal("CALL DOES NOT EXIST", unanswered.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ADetachedCallEndsWhenNobodyReclaimsItInTime()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["detachTimeoutSeconds"] = 1 });
        var alice = await server.LoginAsync();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = Dialog("det-1", "9196") });
        await ReceiveRequestAsync(alice, "verto.answer");
        await alice.DisposeAsync();
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0, TimeSpan.FromSeconds(10), "RECOVERY_ON_TIMER_EXPIRE");
    }

    [Fact]
    public async Task ACallThatAsksNotToRecoverEndsWithItsSocket()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.LoginAsync();
        var dialog = Dialog("norecover-1", "9196");
        dialog["recoverCall"] = false;
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = dialog });
        await ReceiveRequestAsync(alice, "verto.answer");
        await alice.DisposeAsync();
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0, what: "ended with the socket");
    }

    internal static JsonObject Dialog(string callId, string destination) => new()
    {
        ["callID"] = callId,
        ["destination_number"] = destination,
        ["caller_id_name"] = "Alice",
        ["caller_id_number"] = "1000",
        ["useVideo"] = true,
        ["login"] = "1000@localhost",
    };

    internal static async Task<JsonElement> ReceiveRequestAsync(VertoTestClient client, string method) =>
        (await client.ReceiveUntilAsync(m => m.TryGetProperty("method", out var name) && name.GetString() == method)).GetProperty("params");
}

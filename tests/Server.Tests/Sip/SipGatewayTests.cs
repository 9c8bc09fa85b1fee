using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Sip;

/// <summary>
/// The SIP gateway against SIPp (Debian's sip-tester), a peer nobody here wrote: a phone
/// calling a room with PCMU and a pcap of a tone, the same phone as a directory user
/// answering a digest challenge, and a phone answering a moderator's dial-out.
/// </summary>
[Collection(nameof(MediaServer.Tests.Browser.BrowserCollection))]
public sealed class SipGatewayTests
{
    private const uint PcapSsrc = 0x5eed1234;

    [Fact]
    public async Task APhoneCallsRoom3500PlaysAToneHearsTheRoomAndHangsUp()
    {
        await using var server = await StartAsync();
        var sipPort = server.SipPort;
        var pcap = Tone(server, seconds: 4, frequency: 1000);
        var sipp = new Sipp();

        var run = sipp.CallAsync("uac-room.xml", sipPort, "3500", new Dictionary<string, string> { ["PCAP"] = pcap, ["HOLD_MS"] = "5000" });
        MediaServer.Calls.Call? phone = null;
        await sipp.WaitWhileRunningAsync(
            run, () => (phone = PhoneIn(server, "3500")) is not null,
            "the phone to join room 3500");
        // The pcap's RTP reached the phone's leg, and the room's mix goes back to the phone.
        await WaitFor.ConditionAsync(() => phone!.Leg!.AudioIn.Ssrc == PcapSsrc, TimeSpan.FromSeconds(10), "the pcap's RTP to arrive");
        await WaitFor.ConditionAsync(() => phone!.Leg!.AudioOut?.PacketCount > 100, TimeSpan.FromSeconds(10), "RTP to go back to the phone");
        Assert.Equal("phone", phone!.CallerIdNumber);

        Assert.True(await run == 0, $"SIPp failed ({sipp.ExitCode}):\n{sipp.Output}");
        await WaitFor.ConditionAsync(() => server.Verto.Conferences!.Find("3500") is null, TimeSpan.FromSeconds(10), "the room to close after the BYE");
        Assert.Equal(0, server.Verto.Calls!.Count);
    }

    [Fact]
    public async Task APhoneCallingTheEchoTestGetsItsOwnRtpBack()
    {
        await using var server = await StartAsync();
        var sipPort = server.SipPort;
        var pcap = Tone(server, seconds: 3, frequency: 1000);
        var sipp = new Sipp();

        var run = sipp.CallAsync("uac-room.xml", sipPort, "9196", new Dictionary<string, string> { ["PCAP"] = pcap, ["HOLD_MS"] = "3500" });
        MediaServer.Calls.Call? phone = null;
        await sipp.WaitWhileRunningAsync(run, () => (phone = server.Verto.Calls!.All().FirstOrDefault(c => c.IsEcho)) is not null, "the echo call");
        await WaitFor.ConditionAsync(() => phone!.Leg!.AudioIn.Ssrc == PcapSsrc && phone.Leg.AudioOut?.PacketCount > 50, TimeSpan.FromSeconds(10), "the tone to come back");
        Assert.True(await run == 0, $"SIPp failed ({sipp.ExitCode}):\n{sipp.Output}");
    }

    [Fact]
    public async Task APhoneThatGivesUpWhileTheUserRingsCancelsAndTheBrowserHearsWhy()
    {
        await using var server = await StartAsync();
        var sipPort = server.SipPort;
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        var sipp = new Sipp();

        var run = sipp.CallAsync("uac-cancel.xml", sipPort, "1001", new Dictionary<string, string> { ["USER"] = "1000", ["PASSWORD"] = TestServer.AlicePassword });
        var invite = await bob.ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.invite");
        var bye = await bob.ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.bye");
        Assert.Equal(invite.GetProperty("params").GetProperty("callID").GetString(), bye.GetProperty("params").GetProperty("callID").GetString());
        Assert.Equal("ORIGINATOR_CANCEL", bye.GetProperty("params").GetProperty("cause").GetString());
        Assert.True(await run == 0, $"SIPp failed ({sipp.ExitCode}):\n{sipp.Output}");
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0, TimeSpan.FromSeconds(5), "every leg to end");
    }

    [Fact]
    public async Task APhoneCallsTheRoomOverTcp()
    {
        await using var server = await StartAsync();
        var sipPort = server.SipPort;
        var pcap = Tone(server, seconds: 2, frequency: 1000);
        var sipp = new Sipp();

        var run = sipp.CallAsync("uac-room.xml", sipPort, "3500", new Dictionary<string, string> { ["PCAP"] = pcap, ["HOLD_MS"] = "2000" }, null, "-t", "t1");
        MediaServer.Calls.Call? phone = null;
        await sipp.WaitWhileRunningAsync(
            run, () => (phone = PhoneIn(server, "3500")) is not null,
            "the phone to join room 3500 over TCP");
        Assert.Equal(MediaServer.Sip.SipTransportKind.Tcp, phone!.Sip!.Dialog.Destination.Transport);
        Assert.True(await run == 0, $"SIPp failed ({sipp.ExitCode}):\n{sipp.Output}");
    }

    [Fact]
    public async Task ADirectoryUsersPhoneIsChallengedAndJoinsWithDigestButNotWithAWrongPassword()
    {
        await using var server = await StartAsync();
        var sipPort = server.SipPort;
        var pcap = Tone(server, seconds: 1, frequency: 1000);

        var sipp = new Sipp();
        var run = sipp.CallAsync("uac-room-auth.xml", sipPort, "3500", new Dictionary<string, string>
        {
            ["PCAP"] = pcap, ["HOLD_MS"] = "2000", ["USER"] = "1000", ["PASSWORD"] = TestServer.AlicePassword,
        });
        MediaServer.Calls.Call? phone = null;
        await sipp.WaitWhileRunningAsync(
            run, () => (phone = PhoneIn(server, "3500")) is not null,
            "the phone to join room 3500");
        // Authenticated as Alice: her directory identity, moderator rights included.
        Assert.Equal("1000@localhost", phone!.User.Uid);
        Assert.True(phone.Member!.IsModerator);
        Assert.True(await run == 0, $"SIPp failed ({sipp.ExitCode}):\n{sipp.Output}");

        var wrong = new Sipp();
        var refused = await wrong.CallAsync("uac-room-auth.xml", sipPort, "3500", new Dictionary<string, string>
        {
            ["PCAP"] = pcap, ["HOLD_MS"] = "100", ["USER"] = "1000", ["PASSWORD"] = "not-her-password",
        }, TimeSpan.FromSeconds(15));
        Assert.NotEqual(0, refused);
        Assert.Contains("403", wrong.Output, StringComparison.Ordinal);
        Assert.Contains("mediaserver_sip_auth_failures_total 1", await server.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModeratorDialsAPhoneIntoTheRoomAndKicksItOut()
    {
        await using var server = await StartAsync();
        var sipPort = server.SipPort;
        var pcap = Tone(server, seconds: 2, frequency: 1000);
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3500");
        var modChannel = alice.PvtData.GetProperty("modChannel").GetString()!;
        await alice.Client.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = new JsonArray(modChannel) });

        var phone = new Sipp();
        var answering = phone.AnswerAsync("uas-answer.xml", new Dictionary<string, string> { ["PCAP"] = pcap });
        await Task.Delay(300); // SIPp binds its port
        var target = $"sip:answer@127.0.0.1:{phone.LocalPort}";
        var dialled = await ModCommandAsync(alice, modChannel, "dial", null, target);
        Assert.Equal($"+OK dialing {target}\n", dialled);

        var conference = server.Verto.Conferences!.Find("3500")!;
        await phone.WaitWhileRunningAsync(answering, () => conference.Count == 2, "the dialled phone to join");
        var member = conference.Members().First(m => m.Call.Sip is not null);
        await WaitFor.ConditionAsync(() => member.Call.Leg!.AudioIn.Ssrc == PcapSsrc, TimeSpan.FromSeconds(10), "the phone's RTP to arrive");

        var kicked = await ModCommandAsync(alice, modChannel, "kick", member.Id, null);
        Assert.Equal($"+OK kicked {member.Id}\n", kicked);
        Assert.True(await answering == 0, $"SIPp failed ({phone.ExitCode}):\n{phone.Output}");
        await WaitFor.ConditionAsync(() => conference.Count == 1, TimeSpan.FromSeconds(10), "the phone to leave");
    }

    /// <summary>A test server with SIP on any free port (read it back from <see cref="TestServer.SipPort"/>).</summary>
    private static Task<TestServer> StartAsync() => TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });

    /// <summary>A pcap of a PCMU tone in the server's folder, for SIPp to play.</summary>
    private static string Tone(TestServer server, int seconds, int frequency)
    {
        var path = Path.Combine(server.Root, $"tone-{frequency}.pcap");
        PcmuPcap.Write(path, seconds, frequency);
        return path;
    }

    /// <summary>The first SIP member of a room, or null.</summary>
    private static MediaServer.Calls.Call? PhoneIn(TestServer server, string room) =>
        server.Verto.Conferences!.Find(room)?.Members().Select(m => m.Call).FirstOrDefault(c => c.Sip is not null);

    private static async Task<string> ModCommandAsync(ConferenceParticipant moderator, string modChannel, string command, int? id, string? value)
    {
        await moderator.Client.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = modChannel,
            ["data"] = new JsonObject { ["application"] = "conf-control", ["command"] = command, ["id"] = id, ["value"] = value },
        });
        var response = await moderator.Client.ReceiveUntilAsync(m =>
            m.TryGetProperty("params", out var p) && p.TryGetProperty("eventChannel", out var c) && c.GetString() == modChannel
            && p.GetProperty("data").TryGetProperty("response", out _)
            && p.GetProperty("data").GetProperty("conf-command").GetString()!.Contains(command, StringComparison.Ordinal));
        return response.GetProperty("params").GetProperty("data").GetProperty("response").GetString()!;
    }
}

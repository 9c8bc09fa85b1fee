using System.Text.Json.Nodes;
using MediaServer.Tests.Browser;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Sip;

/// <summary>
/// Trunks (conf/sip-trunks.json) against SIPp playing the carrier: the server registers with
/// the trunk's credentials (the carrier checks the digest), a number the dialplan sends to
/// the trunk goes out and is bridged to the caller, and the carrier's own calls are let in
/// by address (IP-ACL) where anonymous callers are not. Also: a room's PIN keyed as RFC 4733
/// digits from SIPp's own DTMF pcaps.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class SipTrunkTests
{
    private const uint PcapSsrc = 0x5eed1234;

    [Fact]
    public async Task TheServerRegistersWithTheTrunkAnsweringItsDigestChallenge()
    {
        var carrier = new Sipp();
        var registrar = carrier.AnswerAsync("trunk-registrar.xml", new Dictionary<string, string> { ["USER"] = "trunkuser", ["PASSWORD"] = "trunk-secret" });
        await Task.Delay(300);
        await using var server = await StartAsync(carrier.LocalPort, register: true, acl: null, guests: true);

        Assert.True(await registrar == 0, $"the carrier refused the registration ({carrier.ExitCode}):\n{carrier.Output}");
        await WaitFor.ConditionAsync(() => server.Verto.Sip!.Trunks.IsRegistered("carrier"), TimeSpan.FromSeconds(5), "the trunk to count as registered");
    }

    [Fact]
    public async Task ANumberDialledOutThroughTheTrunkIsBridgedToTheCaller()
    {
        var carrier = new Sipp();
        var pcap = Path.Combine(Path.GetTempPath(), $"trunk-{Guid.NewGuid():N}.pcap");
        PcmuPcap.Write(pcap, seconds: 3, frequency: 700);
        var answering = carrier.AnswerAsync("trunk-answer.xml", new Dictionary<string, string> { ["PCAP"] = pcap, ["NUMBER"] = "4930123456" });
        await Task.Delay(300);
        await using var server = await StartAsync(carrier.LocalPort, register: false, acl: null, guests: true);

        // Alice's phone dials 9 + the number: out through the trunk (calls out need digest: toll fraud).
        var phone = new Sipp();
        var phonePcap = Path.Combine(server.Root, "phone.pcap");
        PcmuPcap.Write(phonePcap, seconds: 3, frequency: 440);
        var calling = phone.CallAsync("uac-room-auth.xml", server.Verto.Sip!.Stack.Port, "94930123456", new Dictionary<string, string>
        {
            ["PCAP"] = phonePcap, ["HOLD_MS"] = "4000", ["USER"] = "1000", ["PASSWORD"] = TestServer.AlicePassword,
        });
        MediaServer.Calls.Call? outbound = null;
        await Task.WhenAny(answering, WaitFor.ConditionAsync(
            () => (outbound = server.Verto.Calls!.All().FirstOrDefault(c => c.Direction == MediaServer.Calls.CallDirection.Outbound && c.Peer is not null)) is not null,
            TimeSpan.FromSeconds(15), "the trunk leg to be bridged"));
        if (outbound is null)
        {
            var carrierExit = answering.IsCompleted ? await answering : -1;
            Assert.Fail($"the trunk leg was not bridged; the carrier said ({carrierExit}):\n{carrier.Output}\nthe phone said:\n{phone.Output}");
        }

        await WaitFor.ConditionAsync(() => outbound!.Leg!.AudioIn.Ssrc == PcapSsrc, TimeSpan.FromSeconds(10), "the carrier's RTP to arrive");

        Assert.True(await calling == 0, $"the phone's call failed ({phone.ExitCode}):\n{phone.Output}");
        Assert.True(await answering == 0, $"the carrier saw a wrong INVITE or no BYE ({carrier.ExitCode}):\n{carrier.Output}");
        File.Delete(pcap);
    }

    [Fact]
    public async Task TheCarriersCallsAreLetInByAddressWhereAnonymousCallersAreChallenged()
    {
        var pcap = Path.Combine(Path.GetTempPath(), $"acl-{Guid.NewGuid():N}.pcap");
        PcmuPcap.Write(pcap, seconds: 1, frequency: 700);
        try
        {
            // Guests off and no ACL: an anonymous phone is challenged and cannot answer.
            await using (var closed = await StartAsync(5, register: false, acl: null, guests: false))
            {
                var refused = new Sipp();
                Assert.NotEqual(0, await refused.CallAsync("uac-room.xml", closed.Verto.Sip!.Stack.Port, "3500", new Dictionary<string, string> { ["PCAP"] = pcap, ["HOLD_MS"] = "500" }, TimeSpan.FromSeconds(10)));
                Assert.Contains("401", refused.Output, StringComparison.Ordinal);
            }

            // The same call from the trunk's address is the trunk's, and joins.
            await using var open = await StartAsync(5, register: false, acl: "127.0.0.1", guests: false);
            var carrier = new Sipp();
            var run = carrier.CallAsync("uac-room.xml", open.Verto.Sip!.Stack.Port, "3500", new Dictionary<string, string> { ["PCAP"] = pcap, ["HOLD_MS"] = "2000" });
            MediaServer.Calls.Call? call = null;
            await carrier.WaitWhileRunningAsync(run, () => (call = open.Verto.Conferences!.Find("3500")?.Members().Select(m => m.Call).FirstOrDefault()) is not null, "the trunk's call to join");
            Assert.Equal("phone@trunk-carrier.sip", call!.User.Uid);
            Assert.True(await run == 0, $"SIPp failed ({carrier.ExitCode}):\n{carrier.Output}");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [Fact]
    public async Task APhoneKeysTheRoomsPinAsRfc4733DigitsAndJoins()
    {
        var profiles = new JsonObject
        {
            ["profiles"] = new JsonObject { ["default"] = new JsonObject() },
            ["rooms"] = new JsonObject { ["3599"] = new JsonObject { ["pin"] = "1234" } },
        };
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 }, conferenceProfiles: profiles);
        var sipPort = server.SipPort;
        var phone = new Sipp();
        var run = phone.CallAsync("uac-room-pin.xml", sipPort, "3599", new Dictionary<string, string> { ["HOLD_MS"] = "3000" });

        await phone.WaitWhileRunningAsync(run, () => server.Verto.Conferences!.Find("3599")?.Count == 1, "the phone to join 3599 after its PIN", TimeSpan.FromSeconds(20));
        Assert.Equal("1234", server.Verto.Conferences!.Find("3599")!.Members()[0].Call.Pin);
        Assert.True(await run == 0, $"SIPp failed ({phone.ExitCode}):\n{phone.Output}");
    }

    /// <summary>A server with one trunk "carrier" on 127.0.0.1:<paramref name="carrierPort"/> and a dialplan of rooms plus "9 + number" out through it.</summary>
    private static Task<TestServer> StartAsync(int carrierPort, bool register, string? acl, bool guests)
    {
        var trunk = new JsonObject
        {
            ["name"] = "carrier",
            ["host"] = "127.0.0.1",
            ["port"] = carrierPort,
            ["username"] = "trunkuser",
            ["password"] = "trunk-secret",
            ["register"] = register,
            ["fromUser"] = "4930999",
        };
        if (acl is not null)
        {
            trunk["inboundAddresses"] = new JsonArray(acl);
        }

        var dialplan = new JsonObject
        {
            ["rules"] = new JsonArray(
                new JsonObject { ["name"] = "out", ["match"] = "^9(\\d+)$", ["action"] = "trunk", ["trunk"] = "carrier", ["target"] = "$1" },
                new JsonObject { ["name"] = "rooms", ["match"] = "^(3[0-9]{3})$", ["action"] = "conference", ["target"] = "$1" }),
        };
        return TestServer.StartAsync(
            serverJson: new JsonObject { ["sipPort"] = 0, ["sipGuests"] = guests },
            confFiles: new Dictionary<string, JsonObject> { ["sip-trunks.json"] = new JsonObject { ["trunks"] = new JsonArray(trunk) }, ["dialplan.json"] = dialplan });
    }
}

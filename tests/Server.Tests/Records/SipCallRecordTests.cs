using System.Text.Json.Nodes;
using MediaServer.Records;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Records;

/// <summary>The record of a SIP leg, from SIPp (a peer nobody here wrote) calling the echo test over UDP.</summary>
[Collection(nameof(MediaServer.Tests.Browser.BrowserCollection))]
public sealed class SipCallRecordTests
{
    [Fact]
    public async Task APhonesEchoCallIsRecordedAsSipWithItsFromAddressAndPackets()
    {
        Sipp.RequireInstalled();
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });
        var pcap = Path.Combine(server.Root, "tone.pcap");
        PcmuPcap.Write(pcap, 2, 1000);
        var sipp = new Sipp();

        var run = sipp.CallAsync("uac-room.xml", server.SipPort, "9196", new Dictionary<string, string> { ["PCAP"] = pcap, ["HOLD_MS"] = "2500" });
        Assert.True(await run == 0, $"SIPp failed ({sipp.ExitCode}):\n{sipp.Output}");

        CallDetailRecord? record = null;
        await WaitFor.ConditionAsync(() => (record = server.Verto.Records!.Store.Query(null, null, 10).FirstOrDefault()) is not null, what: "the phone's record");
        Assert.Equal("sip-udp", record!.Protocol);
        Assert.Equal("9196", record.Destination);
        Assert.Equal("inbound", record.Direction);
        Assert.Contains("sip:", record.User, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{sipp.LocalPort}", record.RemoteAddress);
        Assert.Equal("NORMAL_CLEARING", record.HangupCause);
        Assert.Equal("PCMU/8000", record.AudioCodec);
        Assert.True(record.PacketsReceived > 50, $"received {record.PacketsReceived}");
        Assert.True(record.PacketsSent > 50, $"sent {record.PacketsSent}");
        Assert.NotNull(record.AnsweredAt);
        Assert.NotNull(record.Mos);
    }
}

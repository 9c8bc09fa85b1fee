using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Conferences;

/// <summary>
/// The audio MCU end to end with real media: members are C# WebRTC peers (ICE, DTLS-SRTP)
/// sending Opus at the real pace; the server decodes, mixes and re-encodes; the tests decode
/// what each member gets and measure a tone in it. Levels are compared with generous
/// margins, never timed.
/// </summary>
public sealed class ConferenceMediaTests
{
    private const double ToneHz = 1000;
    private const int ToneAmplitude = 8000;

    [Fact]
    public async Task EveryoneHearsTheTalkerExceptTheTalkerAndAModeratorMuteSilencesIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3500");
        await using var bob = await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3500");
        await using var carol = await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3500");
        Assert.Equal(3, server.Verto.Conferences!.Find("3500")!.Count);

        bob.SendSilence();
        carol.SendSilence();
        alice.SendTone(ToneHz, ToneAmplitude);
        await WaitFor.ConditionAsync(() => bob.ReceivedToneAmplitude(ToneHz) > ToneAmplitude / 4.0, TimeSpan.FromSeconds(10), "bob hears the tone");
        await WaitFor.ConditionAsync(() => carol.ReceivedToneAmplitude(ToneHz) > ToneAmplitude / 4.0, TimeSpan.FromSeconds(10), "carol hears the tone");
        // The talker gets the mix without itself: at most a small leak.
        Assert.True(alice.ReceivedToneAmplitude(ToneHz) < ToneAmplitude / 50.0, $"alice hears herself at {alice.ReceivedToneAmplitude(ToneHz):F0}");

        // Alice is a directory moderator: she subscribes to the mod channel and mutes herself by member id.
        var modChannel = alice.PvtData.GetProperty("modChannel").GetString()!;
        var laChannel = alice.PvtData.GetProperty("laChannel").GetString()!;
        await alice.Client.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = new JsonArray(modChannel, laChannel) });
        var reply = await alice.Client.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = modChannel,
            ["data"] = new JsonObject { ["application"] = "conf-control", ["command"] = "mute", ["id"] = alice.MemberId, ["value"] = null },
        });
        Assert.True(reply.TryGetProperty("result", out _), reply.ToString());
        // The row changes first, then the command's answer comes on the mod channel.
        var row = await alice.Client.ReceiveUntilAsync(m => EventData(m, laChannel) is { } d && d.TryGetProperty("hashKey", out var key) && key.GetString() == alice.CallId
            && Status(d.GetProperty("data")).GetProperty("audio").GetProperty("muted").GetBoolean());
        var response = await alice.Client.ReceiveUntilAsync(m => EventData(m, modChannel) is { } d && d.TryGetProperty("response", out _));
        Assert.Equal($"+OK mute {alice.MemberId}\n", EventData(response, modChannel)!.Value.GetProperty("response").GetString());
        Assert.Equal($"3500 mute {alice.MemberId}", EventData(response, modChannel)!.Value.GetProperty("conf-command").GetString());
        Assert.Equal("modify", EventData(row, laChannel)!.Value.GetProperty("action").GetString());

        await WaitFor.ConditionAsync(() => bob.ReceivedToneAmplitude(ToneHz) < ToneAmplitude / 100.0, TimeSpan.FromSeconds(10), "bob hears silence after the mute");
        Assert.True(server.Verto.Conferences.MixerMetrics.Encodes > 0);
    }

    [Fact]
    public async Task ListenersWithTheSameCodecShareOneEncode()
    {
        await using var server = await TestServer.StartAsync();
        var members = new List<ConferenceParticipant>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                members.Add(await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3501"));
            }

            foreach (var member in members.Skip(1))
            {
                member.SendSilence();
            }

            members[0].SendTone(ToneHz, ToneAmplitude);
            await WaitFor.ConditionAsync(() => members[3].ReceivedToneAmplitude(ToneHz) > ToneAmplitude / 4.0, TimeSpan.FromSeconds(10), "the last member hears the talker");
            var mixer = server.Verto.Conferences!.Find("3501")!.Mixer;
            // One talker: its own encode plus one shared encode of the whole mix for the three listeners.
            Assert.Equal(1, mixer.SharedEncoders);
            var metrics = server.Verto.Conferences.MixerMetrics;
            Assert.True(metrics.SharedEncodeDeliveries > 0);
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task APcmuMemberAndAnOpusMemberHearEachOtherThroughTheMixer()
    {
        await using var server = await TestServer.StartAsync();
        await using var phone = await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3503", codecs: "pcmu");
        await using var browser = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3503");
        Assert.Equal("PCMU@8000", Row(server, "3503", phone.MemberId));

        // G.711 in, resampled to 48 kHz, mixed, encoded as Opus for the browser; and back.
        phone.SendTone(ToneHz, ToneAmplitude);
        browser.SendSilence();
        await WaitFor.ConditionAsync(() => browser.ReceivedToneAmplitude(ToneHz) > ToneAmplitude / 4.0, TimeSpan.FromSeconds(10), "the browser hears the phone");
        phone.SendSilence();
        browser.SendTone(ToneHz, ToneAmplitude);
        await WaitFor.ConditionAsync(() => phone.ReceivedToneAmplitude(ToneHz) > ToneAmplitude / 4.0, TimeSpan.FromSeconds(10), "the phone hears the browser");
    }

    [Fact]
    public async Task TheVideoFloorFollowsTheMemberWhoTalks()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3504", video: true);
        await using var bob = await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3504", video: true);
        var room = server.Verto.Conferences!.Find("3504")!;
        Assert.True(room.Canvas!.TrySetLayout("1up_top_left+5"));
        alice.SendSilence();
        bob.SendTone(ToneHz, ToneAmplitude);
        await WaitFor.ConditionAsync(() => room.Canvas.FloorId == bob.MemberId, TimeSpan.FromSeconds(10), "bob takes the video floor");
        await WaitFor.ConditionAsync(() => room.Find(bob.MemberId)!.VideoLayerId == 0, TimeSpan.FromSeconds(5), "bob in the big floor tile");
        Assert.NotEqual(0, room.Find(alice.MemberId)!.VideoLayerId);
    }

    [Fact]
    public async Task MetricsShowTheMixerAtWork()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3502");
        alice.SendTone(ToneHz, ToneAmplitude);
        await WaitFor.ConditionAsync(() => server.Verto.Conferences!.MixerMetrics.Decodes > 20, TimeSpan.FromSeconds(10), "decodes");
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        var text = await http.GetStringAsync(new Uri(server.HttpsUri, "/metrics"));
        Assert.Contains("mediaserver_conferences 1", text, StringComparison.Ordinal);
        Assert.Contains("mediaserver_conference_members 1", text, StringComparison.Ordinal);
        Assert.Contains("mediaserver_mixer_tick_lateness_seconds_bucket{le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Contains("mediaserver_audio_encodes_total", text, StringComparison.Ordinal);
        Assert.Contains("mediaserver_audio_decode_seconds_total", text, StringComparison.Ordinal);
    }

    private static string Row(TestServer server, string room, int memberId) =>
        server.Verto.Conferences!.Find(room)!.Find(memberId)!.CodecDescription;

    internal static JsonElement? EventData(JsonElement message, string channel)
    {
        if (!message.TryGetProperty("method", out var method) || method.GetString() != "verto.event")
        {
            return null;
        }

        var parameters = message.GetProperty("params");
        return parameters.TryGetProperty("eventChannel", out var c) && c.GetString() == channel && parameters.TryGetProperty("data", out var data) ? data : null;
    }

    /// <summary>Row index 4 is a JSON string holding the status object (§8.5).</summary>
    internal static JsonElement Status(JsonElement row) => JsonDocument.Parse(row[4].GetString()!).RootElement;
}

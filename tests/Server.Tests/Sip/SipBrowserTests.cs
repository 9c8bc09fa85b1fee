using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Browser;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Tests.Sip;

/// <summary>
/// Phones and browsers together: a SIPp phone and a Chromium page in room 3500 hear each
/// other (the page measures the phone's tone with WebAudio; the phone's echo carries the
/// page's tone back, which the page can only hear if the phone received it); and baresip,
/// registered as a directory user, answers a call from a Verto page with audio both ways.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class SipBrowserTests
{
    private const double HeardDb = -60;
    private const double SilentDb = -85;

    [Fact]
    public async Task APhoneAndABrowserInRoom3500HearEachOther()
    {
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });
        var sipPort = server.SipPort;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenPhonePageAsync(browser, server);
        await BrowserCallTests.ConnectAsync(page, server, "1001", TestServer.BobPassword);
        await page.EvaluateAsync("() => { phone.tone = { frequency: 1000, gain: 0 }; }");
        var callId = await JoinAsync(page);

        // The phone plays a 440 Hz tone from a pcap: the page hears it.
        var pcap = Path.Combine(server.Root, "tone.pcap");
        PcmuPcap.Write(pcap, seconds: 8, frequency: 440);
        var tonePhone = new Sipp();
        var toneCall = tonePhone.CallAsync("uac-room.xml", sipPort, "3500", new Dictionary<string, string> { ["PCAP"] = pcap, ["HOLD_MS"] = "8000" });
        await WaitForLevelAsync(page, callId, 440, "the page hears the phone's tone", above: HeardDb);
        Assert.True(await toneCall == 0, $"SIPp failed ({tonePhone.ExitCode}):\n{tonePhone.Output}");

        // The page sends 1 kHz. Alone in the room it does not hear itself; once a phone that
        // echoes what it receives joins, the tone comes back: the phone got it.
        await page.EvaluateAsync(
            "async id => { phone.tone = { frequency: 1000, gain: 0.3 }; const m = await phone.media(false); const s = phone.calls.get(id).pc.getSenders().find(s => s.track && s.track.kind === 'audio'); await s.replaceTrack(m.getAudioTracks()[0]); }",
            callId);
        await WaitForLevelAsync(page, callId, 1000, "alone, the page does not hear its own tone", below: SilentDb);
        var echoPhone = new Sipp();
        var echoCall = echoPhone.CallAsync("uac-room-echo.xml", sipPort, "3500", new Dictionary<string, string> { ["HOLD_MS"] = "8000" }, null, "-rtp_echo");
        await WaitForLevelAsync(page, callId, 1000, "the page hears its tone back through the phone", above: HeardDb);
        Assert.True(await echoCall == 0, $"SIPp failed ({echoPhone.ExitCode}):\n{echoPhone.Output}");
    }

    [Fact]
    public async Task BaresipRegisteredAsADirectoryUserAnswersAVertoPageWithAudioBothWays()
    {
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });
        var sipPort = server.SipPort;
        var wav = Path.Combine(server.Root, "mic.wav");
        WavFile.WriteTone(wav, 8000, 60, 440);
        await using var phone = Baresip.Start("1002", TestServer.CarolPassword, sipPort, wav);
        await WaitFor.ConditionAsync(() => server.Verto.Sip!.BindingsOf("1002@localhost").Count > 0, TimeSpan.FromSeconds(20), "baresip to register as 1002");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenPhonePageAsync(browser, server);
        await BrowserCallTests.ConnectAsync(page, server, "1000", TestServer.AlicePassword);
        await page.EvaluateAsync("() => { phone.tone = { frequency: 1000, gain: 0.3 }; }");
        var placed = await page.EvaluateAsync<JsonElement>("() => phone.call('1002', { video: false })");
        var callId = placed.GetProperty("callID").GetString()!;
        try
        {
            await page.WaitForFunctionAsync("id => phone.calls.get(id).state === 'active' && phone.calls.get(id).pc.connectionState === 'connected'", callId, new PageWaitForFunctionOptions { Timeout = 20000 });
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>("id => JSON.stringify({ state: phone.calls.get(id).state, pc: phone.calls.get(id).pc.connectionState, log: phone.log })", callId);
            Assert.Fail($"the call to baresip did not come up: {state}\nbaresip:\n{await phone.StopAndReadAsync()}");
        }

        await WaitForLevelAsync(page, callId, 440, "the page hears baresip's microphone", above: HeardDb);
        await Task.Delay(2000);
        await page.EvaluateAsync("id => phone.hangup(id)", callId);
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0, TimeSpan.FromSeconds(10), "both legs to end");

        await WaitFor.ConditionAsync(() => phone.Dumps.Any(d => d.Contains("dec", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "baresip's dump of what it heard");
        var (samples, rate) = WavFile.Read(phone.Dumps.First(d => d.Contains("dec", StringComparison.Ordinal)));
        var heard = ToneMeter.Amplitude(samples, 1000, rate);
        Assert.True(heard > 1000, $"baresip heard the page's 1 kHz tone at amplitude {heard:F0} (files: {string.Join(", ", phone.Dumps.Select(Path.GetFileName))})");
    }

    [Fact]
    public async Task APhoneCallsAVertoUserWhoseBrowserAnswersAndHearsIt()
    {
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });
        var sipPort = server.SipPort;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenPhonePageAsync(browser, server);
        await BrowserCallTests.ConnectAsync(page, server, "1001", TestServer.BobPassword);
        await page.EvaluateAsync("() => { phone.tone = { frequency: 1000, gain: 0 }; phone.useVideo = false; phone.autoAnswer = true; }");

        // Alice's phone (digest) calls Bob: his browser gets verto.invite, answers, and hears the phone's tone.
        var pcap = Path.Combine(server.Root, "tone.pcap");
        PcmuPcap.Write(pcap, seconds: 8, frequency: 440);
        var sipp = new Sipp();
        var run = sipp.CallAsync("uac-room-auth.xml", sipPort, "1001", new Dictionary<string, string>
        {
            ["PCAP"] = pcap, ["HOLD_MS"] = "8000", ["USER"] = "1000", ["PASSWORD"] = TestServer.AlicePassword,
        });
        await page.WaitForFunctionAsync("() => [...phone.calls.values()].some(c => c.state === 'active' && c.pc && c.pc.connectionState === 'connected')", null, new PageWaitForFunctionOptions { Timeout = 20000 });
        var callId = await page.EvaluateAsync<string>("() => [...phone.calls.entries()].find(([, c]) => c.state === 'active')[0]");
        var invite = await page.EvaluateAsync<JsonElement>("() => phone.requests.find(r => r.method === 'verto.invite').params");
        Assert.Equal("Alice", invite.GetProperty("caller_id_name").GetString());
        Assert.Contains("PCMU/8000", invite.GetProperty("sdp").GetString(), StringComparison.Ordinal);
        await WaitForLevelAsync(page, callId, 440, "Bob's browser hears the phone", above: HeardDb);
        Assert.True(await run == 0, $"SIPp failed ({sipp.ExitCode}):\n{sipp.Output}");
    }

    private static async Task<string> JoinAsync(IPage page)
    {
        var placed = await page.EvaluateAsync<JsonElement>("() => phone.call('3500', { video: false })");
        var callId = placed.GetProperty("callID").GetString()!;
        await page.WaitForFunctionAsync("() => phone.pvtData() !== null", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        await page.WaitForFunctionAsync("id => phone.calls.get(id).pc.connectionState === 'connected'", callId, new PageWaitForFunctionOptions { Timeout = 15000 });
        return callId;
    }

    private static async Task WaitForLevelAsync(IPage page, string callId, double frequency, string what, double above = double.NaN, double below = double.NaN)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        double level;
        do
        {
            level = await page.EvaluateAsync<double>("({ id, f }) => phone.receivedLevel(id, f)", new { id = callId, f = frequency });
            if ((!double.IsNaN(above) && level > above) || (!double.IsNaN(below) && level < below))
            {
                return;
            }
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{what}: the level at {frequency} Hz stayed at {level:F1} dB");
    }
}

using System.Text.Json;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Tests.Browser;

/// <summary>
/// Three headless Chromium pages in room 3500 through the audio MCU: page A's microphone is
/// a 1 kHz WebAudio oscillator, B and C send silence. B and C must hear the tone, A must not
/// hear itself; then B, a moderator, mutes A on the mod channel, B's tone drops to silence
/// and B's live array shows A muted. Levels come from AnalyserNode spectra with wide margins.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class BrowserConferenceTests
{
    private const int ToneHz = 1000;
    private const double HeardDb = -60;
    private const double SilentDb = -85;

    [Fact]
    public async Task ThreeBrowsersHearEachOtherNotThemselvesAndAModeratorMuteSilencesTheTalker()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var a = await JoinAsync(browser, server, "1001", TestServer.BobPassword, gain: 0.3);
        var b = await JoinAsync(browser, server, "1000", TestServer.AlicePassword, gain: 0);
        var c = await JoinAsync(browser, server, "1001", TestServer.BobPassword, gain: 0);
        Assert.Equal(3, server.Verto.Conferences!.Find("3500")!.Count);

        await WaitForLevelAsync(b, "B hears A's tone", above: HeardDb);
        await WaitForLevelAsync(c, "C hears A's tone", above: HeardDb);
        var own = await LevelAsync(a);
        Assert.True(own < SilentDb, $"A hears its own tone at {own:F1} dB");

        // B is the moderator: it mutes A by member id (from A's pvtData) and watches A's row.
        var aPvt = await a.Page.EvaluateAsync<JsonElement>("() => phone.pvtData()");
        var aMember = int.Parse(aPvt.GetProperty("conferenceMemberID").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var bPvt = await b.Page.EvaluateAsync<JsonElement>("() => phone.pvtData()");
        Assert.Equal("moderator", bPvt.GetProperty("role").GetString());
        var modChannel = bPvt.GetProperty("modChannel").GetString()!;
        await b.Page.EvaluateAsync(
            "async ({ la, name, mod, id }) => { await phone.bootstrap(la, name); await phone.subscribe([mod]); await phone.broadcast(mod, { application: 'conf-control', command: 'mute', id, value: null }); }",
            new { la = bPvt.GetProperty("laChannel").GetString(), name = bPvt.GetProperty("laName").GetString(), mod = modChannel, id = aMember });

        await b.Page.WaitForFunctionAsync(
            "key => { const s = phone.status(key); return s && s.audio.muted === true; }", a.CallId, new PageWaitForFunctionOptions { Timeout = 15000 });
        var response = await b.Page.EvaluateAsync<string>(
            "mod => phone.requests.filter(r => r.method === 'verto.event' && r.params.eventChannel === mod && r.params.data.response).map(r => r.params.data.response).pop()", modChannel);
        Assert.Equal($"+OK mute {aMember}\n", response);
        await WaitForLevelAsync(b, "B hears silence once A is muted", below: SilentDb);
    }

    private static async Task<(IPage Page, string CallId)> JoinAsync(IBrowser browser, TestServer server, string user, string password, double gain)
    {
        var page = await Chromium.OpenPhonePageAsync(browser, server);
        await BrowserCallTests.ConnectAsync(page, server, user, password);
        await page.EvaluateAsync("({ frequency, gain }) => { phone.tone = { frequency, gain }; }", new { frequency = ToneHz, gain });
        var placed = await page.EvaluateAsync<JsonElement>("() => phone.call('3500', { video: false })");
        Assert.Equal("CALL CREATED", placed.GetProperty("result").GetProperty("message").GetString());
        var callId = placed.GetProperty("callID").GetString()!;
        await page.WaitForFunctionAsync("() => phone.pvtData() !== null", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        await page.WaitForFunctionAsync(
            "id => phone.calls.get(id).pc.connectionState === 'connected'", callId, new PageWaitForFunctionOptions { Timeout = 15000 });
        return (page, callId);
    }

    private static Task<double> LevelAsync((IPage Page, string CallId) member) =>
        member.Page.EvaluateAsync<double>("({ id, f }) => phone.receivedLevel(id, f)", new { id = member.CallId, f = ToneHz });

    /// <summary>Measures until the level passes the bound; fails with the last measurement after 20 s.</summary>
    private static async Task WaitForLevelAsync((IPage Page, string CallId) member, string what, double above = double.NaN, double below = double.NaN)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        double level;
        do
        {
            level = await LevelAsync(member);
            if ((!double.IsNaN(above) && level > above) || (!double.IsNaN(below) && level < below))
            {
                return;
            }
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{what}: level {level:F1} dB");
    }
}

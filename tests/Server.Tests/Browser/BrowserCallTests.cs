using System.Text.Json;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Tests.Browser;

/// <summary>
/// Real calls from headless Chromium (fake camera and microphone) through our ICE-lite,
/// DTLS-SRTP and RTP relay: the echo extension, a call between two browsers, and a call
/// that survives its WebSocket being closed and re-opened (verto.attach).
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class BrowserCallTests
{
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EchoReturnsTheCallersOwnAudioAndVideo()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenPhonePageAsync(browser, server);
        await ConnectAsync(page, server, "1000", TestServer.AlicePassword);

        var placed = await page.EvaluateAsync<JsonElement>("() => phone.call('9196', { video: true })");
        Assert.Equal("CALL CREATED", placed.GetProperty("result").GetProperty("message").GetString());
        var callId = placed.GetProperty("callID").GetString()!;

        var stats = await WaitForMediaAsync(page, callId, audioPackets: 100, framesDecoded: 30);
        Assert.Equal("SRTP_AEAD_AES_128_GCM", stats.GetProperty("dtlsCipher").GetString());
        Assert.Equal(1, server.Verto.Calls!.Count);

        var bye = await page.EvaluateAsync<JsonElement>($"() => phone.hangup('{callId}')");
        Assert.Equal("CALL ENDED", bye.GetProperty("result").GetProperty("message").GetString());
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0 && server.Host.Media.TransportCount == 0, TimeSpan.FromSeconds(5), "no call or transport left after the hangup");
    }

    [Fact]
    public async Task TwoBrowsersCallEachOtherThroughTheServer()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var alice = await Chromium.OpenPhonePageAsync(browser, server);
        var bob = await Chromium.OpenPhonePageAsync(browser, server);
        await ConnectAsync(alice, server, "1000", TestServer.AlicePassword);
        await ConnectAsync(bob, server, "1001", TestServer.BobPassword);
        await bob.EvaluateAsync("() => { phone.autoAnswer = true; }");

        var placed = await alice.EvaluateAsync<JsonElement>("() => phone.call('1001', { video: true })");
        Assert.Equal("CALL CREATED", placed.GetProperty("result").GetProperty("message").GetString());
        var aliceCall = placed.GetProperty("callID").GetString()!;

        await bob.WaitForFunctionAsync("() => [...phone.calls.values()].some(c => c.state === 'active')", null, new PageWaitForFunctionOptions { Timeout = 20000 });
        var bobCall = await bob.EvaluateAsync<string>("() => [...phone.calls.keys()][0]");
        var invite = await bob.EvaluateAsync<JsonElement>("() => phone.requests.find(r => r.method === 'verto.invite').params");
        Assert.Equal("1000@localhost", invite.GetProperty("caller_id_name").GetString());
        Assert.Equal("outbound", invite.GetProperty("display_direction").GetString());

        await WaitForMediaAsync(alice, aliceCall, audioPackets: 100, framesDecoded: 30);
        await WaitForMediaAsync(bob, bobCall, audioPackets: 100, framesDecoded: 30);

        await alice.EvaluateAsync($"() => phone.hangup('{aliceCall}')");
        await bob.WaitForFunctionAsync("() => phone.requests.some(r => r.method === 'verto.bye')", null, new PageWaitForFunctionOptions { Timeout = 10000 });
        var bye = await bob.EvaluateAsync<JsonElement>("() => phone.requests.find(r => r.method === 'verto.bye').params");
        Assert.Equal("NORMAL_CLEARING", bye.GetProperty("cause").GetString());
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0 && server.Host.Media.TransportCount == 0, TimeSpan.FromSeconds(5), "both legs gone");
    }

    [Fact]
    public async Task ACallSurvivesItsWebSocketBeingReopenedWithTheSameSessid()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenPhonePageAsync(browser, server);
        await ConnectAsync(page, server, "1000", TestServer.AlicePassword);
        var placed = await page.EvaluateAsync<JsonElement>("() => phone.call('9196', { video: true })");
        var callId = placed.GetProperty("callID").GetString()!;
        await WaitForMediaAsync(page, callId, audioPackets: 50, framesDecoded: 10);

        await page.EvaluateAsync("() => phone.dropSocket()");
        await WaitFor.ConditionAsync(() => server.Verto.Sessions.Count == 0, TimeSpan.FromSeconds(5), "the server saw the socket close");
        Assert.Equal(1, server.Verto.Calls!.Count);

        // The same sessid logs in again on a new socket; the server offers the call back with verto.attach.
        await page.EvaluateAsync(
            "async ({ url, passwd }) => { const old = window.phone; window.phone = new VertoPhone({ url, login: '1000@localhost', passwd, sessid: old.sessid }); window.phone.autoAnswer = false; await window.phone.connect(); }",
            new { url = server.WebSocketUri.ToString(), passwd = TestServer.AlicePassword });
        await page.WaitForFunctionAsync($"() => phone.calls.get('{callId}') && phone.calls.get('{callId}').state === 'active'", null, new PageWaitForFunctionOptions { Timeout = 20000 });
        var ready = await page.EvaluateAsync<JsonElement>("() => phone.requests.find(r => r.method === 'verto.clientReady').params");
        Assert.Equal(callId, ready.GetProperty("reattached_sessions")[0].GetString());

        await WaitForMediaAsync(page, callId, audioPackets: 50, framesDecoded: 10);
        await page.EvaluateAsync($"() => phone.hangup('{callId}')");
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0, TimeSpan.FromSeconds(5), "the call ended");
    }

    internal static async Task ConnectAsync(IPage page, TestServer server, string user, string password) =>
        await page.EvaluateAsync(
            "async ({ url, login, passwd }) => { window.phone = new VertoPhone({ url, login, passwd }); await window.phone.connect(); }",
            new { url = server.WebSocketUri.ToString(), login = user + "@localhost", passwd = password });

    /// <summary>Polls getStats until the call has received enough audio and decoded enough video, or fails with the last figures.</summary>
    private static async Task<JsonElement> WaitForMediaAsync(IPage page, string callId, int audioPackets, int framesDecoded)
    {
        var deadline = DateTime.UtcNow + MediaTimeout;
        JsonElement stats;
        do
        {
            stats = await page.EvaluateAsync<JsonElement>($"() => phone.stats('{callId}')");
            if (stats.GetProperty("audioPackets").GetInt32() > audioPackets && stats.GetProperty("framesDecoded").GetInt32() > framesDecoded)
            {
                return stats;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        var log = await page.EvaluateAsync<JsonElement>("() => phone.log");
        throw new TimeoutException($"media did not arrive: {stats} log {log}");
    }
}

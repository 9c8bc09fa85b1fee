using System.Diagnostics;
using System.Text.Json;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaServer.Tests.Browser;

/// <summary>
/// The video MCU seen from three headless Chromium pages in one room, each sending a camera
/// of its own colour (red, green, blue). Every page receives one 1280x720 picture (the
/// canvas, not its sender's 320x240) with the three tiles of the layout the grid group picks
/// for three members; then the moderator switches the layout to 1x1 and to 2x2 and the
/// picture follows. Colours are compared by their dominant channel, which survives VP8.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class BrowserVideoConferenceTests(ITestOutputHelper output)
{
    private static readonly (string Css, int Channel)[] Colours = [("rgb(210,30,30)", 0), ("rgb(30,190,30)", 1), ("rgb(30,30,210)", 2)];

    [Fact]
    public async Task ThreeBrowsersSeeOneComposedCanvasAndTheModeratorSwitchesLayouts()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var pages = new List<(IPage Page, string CallId)>();
        for (var i = 0; i < 3; i++)
        {
            var (user, password) = i == 0 ? ("1000", TestServer.AlicePassword) : ("1001", TestServer.BobPassword);
            pages.Add(await JoinAsync(browser, server, user, password, Colours[i].Css));
        }

        // Three members: group:grid picks 1x1+2x1, one tile top centre and two below, in join order.
        double[][] threeTiles = [[0.5, 0.25], [0.25, 0.75], [0.75, 0.75]];
        foreach (var page in pages)
        {
            var picture = await WaitForPictureAsync(page, threeTiles, colours => Dominant(colours[0]) == 0 && Dominant(colours[1]) == 1 && Dominant(colours[2]) == 2, "the three tiles of 1x1+2x1");
            Assert.Equal(1280, picture.GetProperty("width").GetInt32());
            Assert.Equal(720, picture.GetProperty("height").GetInt32());
        }

        // Banners: white text in the dark strip at the bottom of the top tile (640x360 at (320,0)).
        var banner = await TopTileBannerPeakAsync(pages[0]);
        Assert.True(banner > 170, $"no banner text in the top tile's strip (brightest {banner})");

        // Frames keep coming: every page decodes more over a second.
        var before = await FramesDecodedAsync(pages);
        await Task.Delay(1000);
        var after = await FramesDecodedAsync(pages);
        Assert.All(after.Zip(before), pair => Assert.True(pair.First > pair.Second + 10, $"decoded {pair.Second} then {pair.First}"));

        var moderator = pages[0];
        var pvt = await moderator.Page.EvaluateAsync<JsonElement>("() => phone.pvtData()");
        var mod = pvt.GetProperty("modChannel").GetString()!;
        await moderator.Page.EvaluateAsync("mod => phone.subscribe([mod])", mod);

        var watch = Stopwatch.StartNew();
        await moderator.Page.EvaluateAsync("mod => phone.broadcast(mod, { application: 'conf-control', command: 'vid-layout', id: null, value: '1x1' })", mod);
        await WaitForPictureAsync(moderator, [[0.5, 0.5], [0.3, 0.8]], c => Dominant(c[0]) == 0 && Dominant(c[1]) == 0, "1x1: the first member fills the canvas");
        var toOneByOne = watch.ElapsedMilliseconds;

        watch.Restart();
        await moderator.Page.EvaluateAsync("mod => phone.broadcast(mod, { application: 'conf-control', command: 'vid-layout', id: null, value: '2x2' })", mod);
        await WaitForPictureAsync(
            moderator,
            [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]],
            c => Dominant(c[0]) == 0 && Dominant(c[1]) == 1 && Dominant(c[2]) == 2 && c[3].Max() < 60,
            "2x2: three quadrants in join order and the fourth empty");
        var toTwoByTwo = watch.ElapsedMilliseconds;

        var response = await moderator.Page.EvaluateAsync<string>(
            "mod => phone.requests.filter(r => r.method === 'verto.event' && r.params.eventChannel === mod && r.params.data.response).map(r => r.params.data.response).pop()", mod);
        Assert.Equal("+OK Change canvas 1 to layout [2x2]\n", response);
        output.WriteLine($"layout switch seen by the moderator's page after {toOneByOne} ms (1x1) and {toTwoByTwo} ms (2x2)");
        // The issue asks for the change within a second; the bound leaves room for the 100 ms
        // polling and page round trips on a loaded CI machine, the measured figures are printed.
        Assert.True(toOneByOne < 2000 && toTwoByTwo < 2000, $"layout switches took {toOneByOne} and {toTwoByTwo} ms");
    }

    /// <summary>The brightest pixel around where the top tile's banner text starts (left margin, in the lower sixth).</summary>
    private static async Task<int> TopTileBannerPeakAsync((IPage Page, string CallId) member)
    {
        var picture = await member.Page.EvaluateAsync<JsonElement>("({ id, points }) => phone.receivedPicture(id, points)", new { id = member.CallId, points = new[] { new[] { 0.29, 0.46 } } });
        return picture.GetProperty("peaks")[0].GetInt32();
    }

    private static async Task<(IPage Page, string CallId)> JoinAsync(IBrowser browser, TestServer server, string user, string password, string colour)
    {
        var page = await Chromium.OpenPhonePageAsync(browser, server);
        await BrowserCallTests.ConnectAsync(page, server, user, password);
        // A silent microphone: nobody talks, so the video floor stays put while the test looks.
        await page.EvaluateAsync("colour => { phone.tone = { frequency: 1000, gain: 0 }; phone.videoColor = colour; }", colour);
        var placed = await page.EvaluateAsync<JsonElement>("() => phone.call('3500', { video: true })");
        Assert.Equal("CALL CREATED", placed.GetProperty("result").GetProperty("message").GetString());
        var callId = placed.GetProperty("callID").GetString()!;
        await page.WaitForFunctionAsync("id => phone.calls.get(id).pc && phone.calls.get(id).pc.connectionState === 'connected'", callId, new PageWaitForFunctionOptions { Timeout = 15000 });
        return (page, callId);
    }

    /// <summary>Polls the received picture until <paramref name="accept"/> holds for the colours at the points; fails after 20 s with the last sample.</summary>
    private static async Task<JsonElement> WaitForPictureAsync((IPage Page, string CallId) member, double[][] points, Func<int[][], bool> accept, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement picture = default;
        do
        {
            picture = await member.Page.EvaluateAsync<JsonElement>("({ id, points }) => phone.receivedPicture(id, points)", new { id = member.CallId, points });
            if (picture.ValueKind == JsonValueKind.Object)
            {
                var colours = picture.GetProperty("colours").EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
                if (accept(colours))
                {
                    return picture;
                }
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{what}: last picture {picture}");
        return picture;
    }

    private static async Task<List<int>> FramesDecodedAsync(List<(IPage Page, string CallId)> pages)
    {
        var frames = new List<int>();
        foreach (var (page, callId) in pages)
        {
            frames.Add((await page.EvaluateAsync<JsonElement>("id => phone.stats(id)", callId)).GetProperty("framesDecoded").GetInt32());
        }

        return frames;
    }

    /// <summary>The channel (0 red, 1 green, 2 blue) clearly above the others, or -1.</summary>
    private static int Dominant(int[] rgb)
    {
        var max = rgb.Max();
        var channel = Array.IndexOf(rgb, max);
        return max > 90 && rgb.Where((_, i) => i != channel).All(v => v < max - 50) ? channel : -1;
    }
}

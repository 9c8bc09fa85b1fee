using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Tests.Browser;

/// <summary>
/// A real browser (Debian's chromium, driven by Playwright, never downloaded) loads a page from
/// the server over HTTPS and speaks Verto with the WebSocket API: login dance, subscribe,
/// and a broadcast sent by another client arrives in the page.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class BrowserLoginTests
{
    public const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task APageLogsInOverWssAndReceivesABroadcast()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (./test.sh does)");
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            ],
        });
        // The server's certificate is self-signed; the page and its wss must both accept it.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.HttpsUri.ToString());
        Assert.Equal("MediaServer", await page.TitleAsync());

        var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "BrowserPages", "verto-login.js"));
        var run = page.EvaluateAsync<JsonElement>(script, new
        {
            url = $"wss://127.0.0.1:{server.Port}/verto",
            login = "1000@localhost",
            passwd = TestServer.AlicePassword,
            channel = "browser.test",
        });

        await page.WaitForFunctionAsync("() => window.__vertoReady === true", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        await using var sender = await server.LoginAsync("1001", TestServer.BobPassword);
        await sender.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = "browser.test",
            ["localBroadcast"] = true,
            ["data"] = new JsonObject { ["text"] = "hello browser" },
        });

        var report = await run;
        Assert.True(report.GetProperty("emptyLoginCode").GetInt32() == -32000, report.ToString());
        Assert.Equal("logged in", report.GetProperty("loginMessage").GetString());
        Assert.Equal(report.GetProperty("sessid").GetString(), report.GetProperty("resultSessid").GetString());
        var received = report.GetProperty("event");
        Assert.Equal("hello browser", received.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("1001@localhost", received.GetProperty("userid").GetString());
        Assert.Equal("browser.test", received.GetProperty("subscribedChannel").GetString());
    }
}

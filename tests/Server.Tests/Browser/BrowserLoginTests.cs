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
    [Fact]
    public async Task APageLogsInOverWssAndReceivesABroadcast()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
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

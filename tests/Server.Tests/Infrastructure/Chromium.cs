using Microsoft.Playwright;

namespace MediaServer.Tests.Infrastructure;

/// <summary>Starts Debian's chromium (never a downloaded one) headless with fake camera and microphone.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// Starts the browser. With <paramref name="grantMedia"/> false every camera and microphone
    /// prompt is answered "block", as a person who refuses would.
    /// </summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, bool grantMedia = true)
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's chromium package (./test.sh does)");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
                grantMedia ? "--use-fake-ui-for-media-stream" : "--deny-permission-prompts",
                // Tests keep all traffic on 127.0.0.1; WebRTC skips loopback addresses unless told.
                "--allow-loopback-in-peer-connection",
                // Pages make test tones with WebAudio and measure what they receive; no click starts their AudioContext.
                "--autoplay-policy=no-user-gesture-required",
                // Hidden headless tabs would otherwise be throttled, starving the fake camera.
                "--disable-renderer-backgrounding", "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
            ],
        });
    }

    /// <summary>
    /// A page of the server (so the WebSocket's origin is allowed) with the Verto phone script
    /// loaded. The communicator's Content-Security-Policy forbids inline scripts, so this
    /// context bypasses it to add the test script.
    /// </summary>
    public static async Task<IPage> OpenPhonePageAsync(IBrowser browser, TestServer server)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.HttpsUri.ToString());
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(AppContext.BaseDirectory, "BrowserPages", "verto-phone.js") });
        return page;
    }
}

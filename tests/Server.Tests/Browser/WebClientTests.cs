using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Tests.Browser;

/// <summary>
/// The communicator (web-client/, served at /) end to end in Debian's chromium with fake
/// camera and microphone, driven only through its own controls: sign-in, dialling, the
/// member list, chat, the moderator panel, DTMF mute, statistics, incoming calls, screen
/// share and reconnection. Every page fails the test on any JavaScript error.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class WebClientTests
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = 20000 };

    [Fact]
    public async Task TwoPeopleHoldAModeratedMeetingInRoom3500()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var alice = await WebClientPage.OpenAsync(browser, server);
        var bob = await WebClientPage.OpenAsync(browser, server);
        await alice.SignInAsync("1000", TestServer.AlicePassword);
        await bob.SignInAsync("1001", TestServer.BobPassword);
        await alice.DialAsync("3500");
        await bob.DialAsync("3500");

        // Each sees both members; Alice (a moderator in the directory) carries the badge.
        foreach (var page in new[] { alice, bob })
        {
            await Assertions.Expect(page.Member("Alice")).ToBeVisibleAsync(new() { Timeout = 20000 });
            await Assertions.Expect(page.Member("Bob")).ToBeVisibleAsync(new() { Timeout = 20000 });
            await Assertions.Expect(page.Member("Alice")).ToHaveAttributeAsync("data-moderator", "true");
            await Assertions.Expect(page.Member("Bob")).ToHaveAttributeAsync("data-moderator", "false");
        }

        await Assertions.Expect(alice.Page.Locator("#tab-moderator")).ToBeVisibleAsync();
        await Assertions.Expect(bob.Page.Locator("#tab-moderator")).ToBeHiddenAsync();
        await Assertions.Expect(bob.Page.Locator("#member-list .member-actions")).ToHaveCountAsync(0);

        // Chat: a line from each side shows on both, the sender's own included (it comes back from the room).
        await alice.OpenTabAsync("chat");
        await bob.OpenTabAsync("chat");
        await alice.Page.Locator("#chat-input").FillAsync("hello from alice");
        await alice.Page.Locator("#chat-input").PressAsync("Enter");
        await bob.Page.Locator("#chat-input").FillAsync("hi alice, bob here");
        await bob.Page.Locator("#chat-send").ClickAsync();
        foreach (var page in new[] { alice, bob })
        {
            await Assertions.Expect(page.Page.Locator("#chat-log li", new() { HasText = "hello from alice" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.Page.Locator("#chat-log li", new() { HasText = "hi alice, bob here" })).ToHaveCountAsync(1);
        }

        // The moderator changes the layout from the picker (filled from list-videoLayouts).
        await alice.OpenTabAsync("moderator");
        await Assertions.Expect(alice.Page.Locator("#layout-select option[value='1x2']")).ToHaveCountAsync(1);
        await alice.Page.Locator("#layout-select").SelectOptionAsync("1x2");
        await alice.Page.Locator("#layout-apply").ClickAsync();
        await Assertions.Expect(alice.Page.Locator("#mod-log li").First).ToContainTextAsync("+OK Change canvas 1 to layout [1x2]");
        await Assertions.Expect(alice.Page.Locator("#current-layout")).ToContainTextAsync("1x2");
        Assert.Equal("1x2", server.Verto.Conferences!.Find("3500")!.Canvas!.Layout.Name);

        // ...and mutes Bob from his entry in the member list.
        await alice.OpenTabAsync("members");
        await alice.Member("Bob").Locator("button[data-command='tmute']").ClickAsync();
        await Assertions.Expect(alice.Member("Bob")).ToHaveAttributeAsync("data-audio-muted", "true", Slow);
        await Assertions.Expect(bob.Member("Bob")).ToHaveAttributeAsync("data-audio-muted", "true", Slow);
        // Bob's page takes the room's word: its mute button shows the mute and his microphone track is off.
        await Assertions.Expect(bob.Page.Locator("#mute-audio")).ToHaveAttributeAsync("aria-pressed", "true", Slow);
        Assert.False(await bob.Page.EvaluateAsync<bool>("() => mediaServer.call.localStream.getAudioTracks().some(t => t.enabled)"));

        await alice.ScreenshotAsync("web-client-moderator");
        await bob.ScreenshotAsync("web-client-member");

        // Bob unmutes himself with his own button (DTMF 0, §9.6); the moderator's list follows.
        await bob.Page.Locator("#mute-audio").ClickAsync();
        await Assertions.Expect(alice.Member("Bob")).ToHaveAttributeAsync("data-audio-muted", "false", Slow);
        await Assertions.Expect(bob.Page.Locator("#mute-audio")).ToHaveAttributeAsync("aria-pressed", "false", Slow);

        // Stop video is DTMF *0: the room marks Bob's camera off on both pages.
        await bob.Page.Locator("#mute-video").ClickAsync();
        await Assertions.Expect(alice.Member("Bob")).ToHaveAttributeAsync("data-video-muted", "true", Slow);
        await Assertions.Expect(bob.Page.Locator("#mute-video")).ToHaveAttributeAsync("aria-pressed", "true", Slow);

        // The moderator puts a banner on Bob's tile and locks the room from the moderator panel.
        await alice.OpenTabAsync("moderator");
        await alice.Page.Locator("#moderate-member").SelectOptionAsync(new SelectOptionValue { Label = $"Bob ({await alice.Member("Bob").GetAttributeAsync("data-member-id")})" });
        await alice.Page.Locator("#banner-text").FillAsync("Bob · guest speaker");
        await alice.Page.Locator("#banner-set").ClickAsync();
        await Assertions.Expect(alice.Page.Locator("#mod-log li").First).ToContainTextAsync("vid-banner");
        await Assertions.Expect(alice.Page.Locator("#mod-log li").First).ToContainTextAsync("+OK");
        await alice.Page.Locator("#lock-button").ClickAsync();
        await Assertions.Expect(alice.Page.Locator("#mod-log li").First).ToContainTextAsync("+OK 3500 locked");
        Assert.True(server.Verto.Conferences!.Find("3500")!.Locked);
        await alice.Page.Locator("#unlock-button").ClickAsync();
        await Assertions.Expect(alice.Page.Locator("#mod-log li").First).ToContainTextAsync("+OK 3500 unlocked");
        await alice.OpenTabAsync("members");

        // The statistics panel reads getStats: the room's mix and canvas arrive.
        await bob.OpenTabAsync("stats");
        await bob.Page.WaitForFunctionAsync(
            "() => { const v = document.querySelector('[data-stat=\"bitrate-in\"]'); return v && parseFloat(v.textContent) > 0; }",
            null, new PageWaitForFunctionOptions { Timeout = 20000 });
        await Assertions.Expect(bob.Page.Locator("[data-stat='resolution-in']")).ToContainTextAsync("x");

        // The moderator kicks Bob: his call ends and he is back on the home screen; the list shrinks.
        await alice.Member("Bob").Locator("button[data-command='kick']").ClickAsync();
        await bob.VisibleAsync("#home-view");
        await Assertions.Expect(alice.Member("Bob")).ToHaveCountAsync(0, new() { Timeout = 20000 });

        alice.AssertNoErrors("Alice");
        bob.AssertNoErrors("Bob");
    }

    [Fact]
    public async Task AWrongPasswordShowsAnErrorOnThePage()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WebClientPage.OpenAsync(browser, server);

        await page.SubmitLoginAsync("1000", "not-the-password");

        await Assertions.Expect(page.Page.Locator("#login-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.Locator("#login-error")).ToContainTextAsync("Authentication Failure");
        await Assertions.Expect(page.Page.Locator("#home-view")).ToBeHiddenAsync();
        Assert.Equal(0, server.Verto.Sessions.Count);

        // The right password then works from the same form, and the user (never the password) is remembered.
        await page.SignInAsync("1000", TestServer.AlicePassword);
        await page.Page.ReloadAsync();
        await Assertions.Expect(page.Page.Locator("#login-user")).ToHaveValueAsync("1000");
        await Assertions.Expect(page.Page.Locator("#login-password")).ToHaveValueAsync(string.Empty);
        Assert.DoesNotContain(TestServer.AlicePassword, await page.Page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"));
        page.AssertNoErrors("the page");
    }

    [Fact]
    public async Task EveryScreenWorksWithoutAJavaScriptError()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WebClientPage.OpenAsync(browser, server);
        await page.SignInAsync("1001", TestServer.BobPassword);

        // Devices: preview asks for the camera, then the lists carry the fake devices' names.
        await page.Page.Locator("#preview-button").ClickAsync();
        await Assertions.Expect(page.Page.Locator("#preview-button")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Page.Locator("#camera-select option")).Not.ToHaveCountAsync(0);
        await page.Page.Locator("#preview-button").ClickAsync();

        // The dial pad types, the echo test answers, and every control of the call screen is used.
        await page.Page.Locator("#dialpad button[data-key='9']").ClickAsync();
        await page.Page.Locator("#dialpad button[data-key='1']").ClickAsync();
        await page.Page.Locator("#dialpad button[data-key='9']").ClickAsync();
        await page.Page.Locator("#dialpad button[data-key='6']").ClickAsync();
        await Assertions.Expect(page.Page.Locator("#destination")).ToHaveValueAsync("9196");
        await page.Page.Locator("#call-button").ClickAsync();
        await page.CallStateAsync("active");

        await page.Page.Locator("#mute-audio").ClickAsync();
        await Assertions.Expect(page.Page.Locator("#mute-audio")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Page.Locator("#hold-button").ClickAsync();
        await page.CallStateAsync("held");
        await page.Page.Locator("#hold-button").ClickAsync();
        await page.CallStateAsync("active");
        await page.Page.Locator("#keypad-button").ClickAsync();
        await page.Page.Locator("#call-keypad button[data-key='5']").ClickAsync();
        foreach (var tab in new[] { "chat", "stats", "members" })
        {
            await page.OpenTabAsync(tab);
        }

        await page.Page.Locator("#hangup-button").ClickAsync();
        await page.VisibleAsync("#home-view");
        await page.Page.Locator("#logout-button").ClickAsync();
        await page.VisibleAsync("#login-view");
        await WaitFor.ConditionAsync(() => server.Verto.Calls!.Count == 0, TimeSpan.FromSeconds(10), "the echo call to end");
        page.AssertNoErrors("the page");
    }

    [Fact]
    public async Task SignInDialAndHangUpWithTheKeyboardAlone()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WebClientPage.OpenAsync(browser, server);
        var keyboard = page.Page.Keyboard;

        // The user field has the focus on arrival; Tab reaches the password, Enter submits.
        await keyboard.TypeAsync("1001");
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync(TestServer.BobPassword);
        await keyboard.PressAsync("Enter");
        await page.VisibleAsync("#home-view");

        // The destination field has the focus after sign-in.
        await keyboard.TypeAsync("9196");
        await keyboard.PressAsync("Enter");
        await page.CallStateAsync("active");

        // Tab through the call screen to Hang up, a bounded walk.
        for (var step = 0; step < 40 && await page.Page.EvaluateAsync<string>("() => document.activeElement.id") != "hangup-button"; step++)
        {
            await keyboard.PressAsync("Tab");
        }

        Assert.Equal("hangup-button", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        await keyboard.PressAsync("Enter");
        await page.VisibleAsync("#home-view");
        page.AssertNoErrors("the page");
    }

    [Fact]
    public async Task AnIncomingCallIsDeclinedThenAnsweredFromItsDialog()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var alice = await WebClientPage.OpenAsync(browser, server);
        var bob = await WebClientPage.OpenAsync(browser, server);
        await alice.SignInAsync("1000", TestServer.AlicePassword);
        await bob.SignInAsync("1001", TestServer.BobPassword);

        // Declined first: the caller's page is back home and says so.
        await alice.Page.Locator("#destination").FillAsync("1001");
        await alice.Page.Locator("#call-button").ClickAsync();
        await bob.VisibleAsync("#incoming-dialog");
        await bob.Page.Locator("#incoming-decline").ClickAsync();
        await alice.VisibleAsync("#home-view");
        await Assertions.Expect(alice.Page.Locator("#toasts .toast").First).ToContainTextAsync("call rejected");
        await Assertions.Expect(bob.Page.Locator("#incoming-dialog")).ToBeHiddenAsync();

        await alice.Page.Locator("#call-button").ClickAsync();
        await bob.VisibleAsync("#incoming-dialog");
        await Assertions.Expect(bob.Page.Locator("#incoming-caller")).ToContainTextAsync("Alice");
        await bob.Page.Locator("#incoming-answer").ClickAsync();

        await bob.CallStateAsync("active");
        await alice.CallStateAsync("active");
        foreach (var page in new[] { alice, bob })
        {
            await page.Page.WaitForFunctionAsync(
                "() => document.getElementById('remote-video').videoWidth > 0", null, new PageWaitForFunctionOptions { Timeout = 20000 });
        }


        // Bob hangs up; Alice's page returns home with the call gone.
        await bob.Page.Locator("#hangup-button").ClickAsync();
        await alice.VisibleAsync("#home-view");
        alice.AssertNoErrors("Alice");
        bob.AssertNoErrors("Bob");
    }

    [Fact]
    public async Task AfterTheConnectionDropsThePageReconnectsAndGetsItsConferenceCallBack()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var alice = await WebClientPage.OpenAsync(browser, server);
        await alice.EnterRoomAsync("1000", TestServer.AlicePassword, "3500", "Alice");
        var callId = await alice.Page.EvaluateAsync<string>("() => mediaServer.call.callID");

        await alice.OpenTabAsync("chat");
        await alice.Page.Locator("#chat-input").FillAsync("said before the drop");
        await alice.Page.Locator("#chat-input").PressAsync("Enter");
        await Assertions.Expect(alice.Page.Locator("#chat-log li", new() { HasText = "said before the drop" })).ToHaveCountAsync(1);

        // The socket closes under the page, as a lost network closes it.
        await alice.Page.EvaluateAsync("() => mediaServer.session.socket.ws.close()");
        await Assertions.Expect(alice.Page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected", Slow);
        await alice.CallStateAsync("active");
        Assert.Equal(callId, await alice.Page.EvaluateAsync<string>("() => mediaServer.call.callID"));
        // The server re-sent the pvtData, so the member list is back, and the picture flows on the new peer connection.
        await alice.OpenTabAsync("members");
        await Assertions.Expect(alice.Member("Alice")).ToBeVisibleAsync(new() { Timeout = 20000 });
        await alice.Page.WaitForFunctionAsync(
            "async () => { const s = await mediaServer.call.pc.getStats(); let f = 0; s.forEach(r => { if (r.type === 'inbound-rtp' && r.kind === 'video') f += r.framesDecoded || 0; }); return f > 10; }",
            null, new PageWaitForFunctionOptions { Timeout = 20000, PollingInterval = 500 });
        Assert.Equal(1, server.Verto.Conferences!.Find("3500")!.Count);
        // The rebuilt chat panel got the room's earlier line from the server's history, once.
        await Assertions.Expect(alice.Page.Locator("#chat-log li.history", new() { HasText = "said before the drop" })).ToHaveCountAsync(1);
        await Assertions.Expect(alice.Page.Locator("#chat-log li")).ToHaveCountAsync(1);
        alice.AssertNoErrors("Alice");
    }

    [Fact]
    public async Task AScreenShareJoinsTheRoomAsASecondLegAndEndsWithItsButton()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var alice = await WebClientPage.OpenAsync(browser, server);
        await alice.EnterRoomAsync("1000", TestServer.AlicePassword, "3500", "Alice");

        await alice.Page.Locator("#share-button").ClickAsync();
        await Assertions.Expect(alice.Page.Locator("#share-button")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(alice.Page.Locator("#member-list li .tag", new() { HasText = "screen" })).ToHaveCountAsync(1, new() { Timeout = 20000 });
        Assert.Equal(2, server.Verto.Conferences!.Find("3500")!.Count);
        // The screen leg's pvtData did not replace the room the page shows.
        Assert.Equal(await alice.Page.EvaluateAsync<string>("() => mediaServer.call.callID"), await alice.Page.EvaluateAsync<string>("() => mediaServer.conference.callID"));

        await alice.Page.Locator("#share-button").ClickAsync();
        await Assertions.Expect(alice.Page.Locator("#member-list li .tag", new() { HasText = "screen" })).ToHaveCountAsync(0, new() { Timeout = 20000 });
        await alice.CallStateAsync("active");
        alice.AssertNoErrors("Alice");
    }

    [Fact]
    public async Task WhenCameraAndMicrophoneAreRefusedThePageSaysSoAndStillJoinsToListen()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright, grantMedia: false);
        var page = await WebClientPage.OpenAsync(browser, server);
        await page.SignInAsync("1000", TestServer.AlicePassword);

        await page.Page.Locator("#preview-button").ClickAsync();
        await Assertions.Expect(page.Page.Locator("#device-message")).ToContainTextAsync("denied");

        await page.DialAsync("3500");
        await Assertions.Expect(page.Page.Locator("#media-message")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.Locator("#media-message")).ToContainTextAsync("denied");
        // Receive only: the room's canvas still arrives.
        await page.Page.WaitForFunctionAsync(
            "() => document.getElementById('remote-video').videoWidth > 0", null, new PageWaitForFunctionOptions { Timeout = 20000 });
        page.AssertNoErrors("the page");
    }

    [Fact]
    public async Task OnAPhoneSizedScreenTheCallFitsTheWidth()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WebClientPage.OpenAsync(browser, server, new ViewportSize { Width = 390, Height = 844 });
        await page.EnterRoomAsync("1000", TestServer.AlicePassword, "3500", "Alice");

        Assert.True(await page.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a 390 px screen");
        await page.ScreenshotAsync("web-client-phone");
        page.AssertNoErrors("the page");
    }
}

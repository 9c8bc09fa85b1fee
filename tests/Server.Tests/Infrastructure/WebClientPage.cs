using Microsoft.Playwright;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// The communicator (web-client/) in its own browser context, driven through its real
/// controls the way a person would: type, click, read what the page shows. Every uncaught
/// exception, unhandled rejection and console error of the page is kept in
/// <see cref="Errors"/>, so a test can fail on any.
/// </summary>
public sealed class WebClientPage
{
    private const float WaitMs = 20000;

    private WebClientPage(IPage page)
    {
        Page = page;
        page.PageError += (_, error) => Errors.Add($"page error: {error}");
        page.Console += (_, message) =>
        {
            Log.Add($"{message.Type}: {message.Text}");
            if (message.Type == "error")
            {
                Errors.Add($"console error: {message.Text}");
            }
        };
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    /// <summary>Everything the page wrote to its console, to explain a failure.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Where screenshots go: $MEDIASERVER_ARTIFACTS, else artifacts/browser at the repository root.</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("MEDIASERVER_ARTIFACTS");
            var directory = !string.IsNullOrEmpty(configured) ? configured : Path.Combine(RepositoryRoot(), "artifacts", "browser");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public static async Task<WebClientPage> OpenAsync(IBrowser browser, TestServer server, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 } });
        var client = new WebClientPage(await context.NewPageAsync());
        await client.Page.GotoAsync(server.HttpsUri.ToString());
        await client.Page.Locator("#login-form").WaitForAsync();
        return client;
    }

    /// <summary>Fills the sign-in form and submits it; does not wait for the outcome.</summary>
    public async Task SubmitLoginAsync(string user, string password)
    {
        await Page.Locator("#login-user").FillAsync(user);
        await Page.Locator("#login-password").FillAsync(password);
        await Page.Locator("#login-button").ClickAsync();
    }

    public async Task SignInAsync(string user, string password)
    {
        await SubmitLoginAsync(user, password);
        await VisibleAsync("#home-view");
        await Assertions.Expect(Page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected");
    }

    /// <summary>Dials from the home screen and waits until the call screen says the call is up.</summary>
    public async Task DialAsync(string destination, bool audioOnly = false)
    {
        await Page.Locator("#destination").FillAsync(destination);
        await Page.Locator("#audio-only").SetCheckedAsync(audioOnly);
        await Page.Locator("#call-button").ClickAsync();
        await VisibleAsync("#call-view");
        await CallStateAsync("active");
    }

    /// <summary>Waits for the call screen's state; a failure carries the page's console, which says why.</summary>
    public async Task CallStateAsync(string state)
    {
        try
        {
            await Assertions.Expect(Page.Locator("#call-state")).ToHaveAttributeAsync("data-state", state, new() { Timeout = WaitMs });
        }
        catch (PlaywrightException failure)
        {
            throw new InvalidOperationException($"the call did not become {state}; the page's console:\n{string.Join('\n', Log)}", failure);
        }
    }

    /// <summary>Signs in, dials a room and waits until the member list shows <paramref name="name"/> (this page's own row).</summary>
    public async Task EnterRoomAsync(string user, string password, string room, string name)
    {
        await SignInAsync(user, password);
        await DialAsync(room);
        await Assertions.Expect(Member(name)).ToBeVisibleAsync(new() { Timeout = WaitMs });
    }

    public Task VisibleAsync(string selector) => Page.Locator(selector).WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = WaitMs });

    /// <summary>The member list's entry for a member shown under this name.</summary>
    public ILocator Member(string name) => Page.Locator($"#member-list li[data-name=\"{name}\"]");

    public Task OpenTabAsync(string tab) => Page.Locator($"#tab-{tab}").ClickAsync();

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

    /// <summary>Fails with every error the page reported.</summary>
    public void AssertNoErrors(string who) => Assert.True(Errors.Count == 0, $"{who}'s page reported errors:\n{string.Join('\n', Errors)}");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MediaServer.sln")))
            {
                return directory.FullName;
            }
        }

        return Path.GetTempPath();
    }
}

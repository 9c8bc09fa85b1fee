using System.Text.Json.Nodes;
using MediaServer.Configuration;
using MediaServer.Hosting;
using MediaServer.Security;
using Microsoft.Extensions.Logging;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// A real server in this process on 127.0.0.1 and a free port, started from a conf folder
/// written for the test (through the same loader as the command line) and its own data
/// folder. Dispose stops it and removes both folders unless told to keep the data.
/// </summary>
public sealed class TestServer : IServerEndpoint, IAsyncDisposable
{
    public const string AlicePassword = "alice-secret";
    public const string BobPassword = "bob-secret";
    public const string CarolPassword = "carol-secret";

    /// <summary>Bob's password as a PBKDF2 hash, made once (at the minimum cost, to keep tests quick).</summary>
    private static readonly Lazy<string> BobHash = new(() => PasswordHasher.Hash(BobPassword, PasswordHasher.MinIterations));

    private readonly bool _ownsRoot;

    private TestServer(string root, MediaServerHost host, bool ownsRoot)
    {
        Root = root;
        Host = host;
        _ownsRoot = ownsRoot;
    }

    public string Root { get; }

    public MediaServerHost Host { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public int Port => Host.HttpPort;

    public Uri WebSocketUri => new($"wss://127.0.0.1:{Port}/verto");

    public Uri HttpsUri => new($"https://127.0.0.1:{Port}/");

    internal MediaServer.Signalling.VertoServer Verto => Host.Verto;

    /// <summary>The SIP port the server bound (start it with "sipPort": 0 to get any free one).</summary>
    public int SipPort => Verto.Sip!.Stack.Port;

    /// <summary>GET /metrics (the certificate is self-signed, so it is not checked).</summary>
    public async Task<string> MetricsAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = HttpsUri };
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    /// <summary>
    /// Starts a server. <paramref name="limits"/> is merged into server.json's "limits";
    /// <paramref name="root"/> reuses a folder (a restart keeps its data); <paramref name="logs"/>
    /// receives the server's log lines at <paramref name="minimumLogLevel"/> and above.
    /// </summary>
    public static async Task<TestServer> StartAsync(JsonObject? limits = null, string? root = null, JsonObject? serverJson = null, JsonObject? conferenceProfiles = null, IReadOnlyDictionary<string, JsonObject>? confFiles = null, ILoggerProvider? logs = null, LogLevel minimumLogLevel = LogLevel.Warning)
    {
        var ownsRoot = root is null;
        root ??= Directory.CreateTempSubdirectory("mediaserver-test-").FullName;
        var conf = await WriteConfAsync(root, limits, serverJson, conferenceProfiles, confFiles);
        var flags = CommandLineFlags.Parse(["--conf", conf, "--data", Path.Combine(root, "data"), "--http-port", "0", "--bind", "127.0.0.1", "--media-port", "0", "--public-ip", "127.0.0.1"]);
        var settings = ConfigLoader.Load(flags);
        var host = await MediaServerHost.StartAsync(settings, print: _ => { }, minimumLogLevel: minimumLogLevel, logProviders: logs is null ? null : [logs]);
        return new TestServer(root, host, ownsRoot);
    }

    /// <summary>
    /// Writes the test configuration into <paramref name="root"/>/conf (the three test users, the
    /// shipped layouts, the given server.json limits and files) and returns that folder.
    /// </summary>
    public static async Task<string> WriteConfAsync(string root, JsonObject? limits = null, JsonObject? serverJson = null, JsonObject? conferenceProfiles = null, IReadOnlyDictionary<string, JsonObject>? confFiles = null)
    {
        var conf = Path.Combine(root, "conf");
        Directory.CreateDirectory(conf);

        var server = serverJson ?? new JsonObject();
        var merged = limits ?? new JsonObject();
        // The test box is shared and busy: a scheduler hiccup must not make the overload governor
        // refuse the calls of tests about something else. Overload tests set their own threshold.
        if (!merged.ContainsKey("overloadLatenessMs"))
        {
            merged["overloadLatenessMs"] = 1000;
        }

        server["limits"] = merged;
        await File.WriteAllTextAsync(Path.Combine(conf, "server.json"), server.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(conf, "directory.json"), DirectoryJson().ToJsonString());
        File.Copy(Path.Combine(AppContext.BaseDirectory, "conf", "layouts.json"), Path.Combine(conf, "layouts.json"), overwrite: true);
        if (conferenceProfiles is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(conf, "conference-profiles.json"), conferenceProfiles.ToJsonString());
        }

        foreach (var (name, content) in confFiles ?? new Dictionary<string, JsonObject>())
        {
            await File.WriteAllTextAsync(Path.Combine(conf, name), content.ToJsonString());
        }

        return conf;
    }

    /// <summary>Stops this server and starts another on the same folders (a new port).</summary>
    public async Task<TestServer> RestartAsync(JsonObject? limits = null)
    {
        await Host.DisposeAsync();
        return await StartAsync(limits, Root);
    }

    public Task<VertoTestClient> ConnectAsync(string? origin = null) => VertoTestClient.ConnectAsync(this, origin);

    /// <summary>Connects and logs in as Alice (or another user), skipping nothing of the dance.</summary>
    public async Task<VertoTestClient> LoginAsync(string user = "1000", string password = AlicePassword, string? sessid = null)
    {
        var client = await ConnectAsync();
        await client.LoginAsync(user, password, sessid);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The test users: Alice (moderator, admin, plain password), Bob (hashed password), Carol (restricted).</summary>
    internal static JsonObject DirectoryJson() => new()
    {
        ["domain"] = "localhost",
        ["users"] = new JsonArray(
            new JsonObject { ["id"] = "1000", ["name"] = "Alice", ["password"] = AlicePassword, ["moderator"] = true, ["admin"] = true },
            new JsonObject { ["id"] = "1001", ["name"] = "Bob", ["passwordHash"] = BobHash.Value },
            new JsonObject
            {
                ["id"] = "1002",
                ["name"] = "Carol",
                ["password"] = CarolPassword,
                ["allowedMethods"] = new JsonArray("verto.subscribe", "verto.broadcast"),
                ["allowedChannels"] = new JsonArray("team"),
            }),
    };
}

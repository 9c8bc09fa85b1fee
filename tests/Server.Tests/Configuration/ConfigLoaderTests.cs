using System.Net;
using MediaServer.Configuration;

namespace MediaServer.Tests.Configuration;

/// <summary>Config files and flags: good values load, each bad one stops start-up with one line naming file and field.</summary>
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _conf = Directory.CreateTempSubdirectory("mediaserver-conf-").FullName;

    public void Dispose() => Directory.Delete(_conf, recursive: true);

    private ServerSettings Load(string serverJson, string directoryJson = """{"domain":"example.com","users":[{"id":"1008","password":"pw"}]}""", params string[] extraFlags)
    {
        File.WriteAllText(Path.Combine(_conf, "server.json"), serverJson);
        File.WriteAllText(Path.Combine(_conf, "directory.json"), directoryJson);
        return ConfigLoader.Load(CommandLineFlags.Parse(["--conf", _conf, .. extraFlags]));
    }

    private string Fails(string serverJson, string directoryJson = """{"domain":"example.com","users":[]}""", params string[] extraFlags)
    {
        var error = Assert.Throws<ConfigException>(() => Load(serverJson, directoryJson, extraFlags));
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Fact]
    public void TheShippedConfigurationLoads()
    {
        var shipped = Path.Combine(FindRepositoryRoot(), "conf");
        var settings = ConfigLoader.Load(CommandLineFlags.Parse(["--conf", shipped]));

        Assert.Equal(8443, settings.HttpPort);
        Assert.Equal(16384, settings.MediaPort);
        Assert.True(settings.TlsEnabled);
        Assert.Equal("localhost", settings.Directory.Domain);
        Assert.All(settings.Directory.Users, u => Assert.True(u.Password is null && u.PasswordHash is null, "no shipped user has a well-known password"));

        // Conference rules come before the catch-all user rule, and the profiles load.
        Assert.Equal(MediaServer.Calls.DialplanAction.Conference, settings.Dialplan.Route("3500")!.Action);
        Assert.Equal("3500", settings.Dialplan.Route("3500")!.Target);
        Assert.Equal("standup", settings.Dialplan.Route("conf-standup")!.Target);
        Assert.Equal(MediaServer.Calls.DialplanAction.User, settings.Dialplan.Route("1001")!.Action);
        Assert.Equal(MediaServer.Calls.DialplanAction.Echo, settings.Dialplan.Route("9196")!.Action);
        var (profile, pin) = settings.Conferences.Resolve("3599", "default");
        Assert.Equal("default", profile.Name);
        Assert.Equal("1234", pin);
        Assert.Null(settings.Conferences.Resolve("3500", "default").Pin);
        Assert.Equal(MediaServer.Mixer.Codecs.OpusApplication.LowDelay, settings.Conferences.Profiles["large-room"].OpusApplication);
        Assert.Equal("large-room", settings.Dialplan.Route("3901")!.Rule.Profile);
        Assert.Equal(5, settings.Conferences.Profiles["default"].JitterBufferMinMs);
    }

    [Theory]
    [InlineData("""{"profiles":{"p":{"opusComplexity":11}}}""", "conference-profiles.json: profiles.p.opusComplexity: must be a whole number from 0 to 10")]
    [InlineData("""{"profiles":{"p":{"rate":16000}}}""", "conference-profiles.json: profiles.p.rate: the mixer runs at 48000 Hz")]
    [InlineData("""{"profiles":{"p":{"pin":"12a4"}}}""", "conference-profiles.json: profiles.p.pin: a PIN is 1 to 32 digits")]
    [InlineData("""{"profiles":{"p":{"colour":"red"}}}""", "conference-profiles.json: profiles.p.colour: unknown field")]
    [InlineData("""{"rooms":{"3501":{"profile":"nope"}}}""", "conference-profiles.json: rooms.3501.profile: no profile named 'nope'")]
    [InlineData("""{"profiles":{"p":{"opusApplication":"music"}}}""", "conference-profiles.json: profiles.p.opusApplication: 'music' is not one of voip, audio, lowdelay")]
    [InlineData("""{"profiles":{"p":{"jitterBufferMinMs":250}}}""", "conference-profiles.json: profiles.p.jitterBufferMinMs: must be a whole number from 0 to 200")]
    [InlineData("""{"profiles":{"p":{"c\nvas":1}}}""", "conference-profiles.json: profiles.p.\"c\\nvas\": unknown field")]
    public void ABadConferenceProfileFileNamesTheField(string profilesJson, string expected)
    {
        File.WriteAllText(Path.Combine(_conf, "conference-profiles.json"), profilesJson);
        Assert.Contains(expected, Fails("{}"), StringComparison.Ordinal);
    }

    [Fact]
    public void AConferenceRuleNeedsATargetAndOnlyItTakesAProfile()
    {
        File.WriteAllText(Path.Combine(_conf, "dialplan.json"), """{"rules":[{"match":"^1$","action":"conference"}]}""");
        Assert.Contains("dialplan.json: rules[0].target: a conference rule needs a target", Fails("{}"), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_conf, "dialplan.json"), """{"rules":[{"match":"^1$","action":"echo","profile":"default"}]}""");
        Assert.Contains("dialplan.json: rules[0].profile: only a conference rule takes a profile", Fails("{}"), StringComparison.Ordinal);
    }

    [Fact]
    public void FlagsWinOverTheFile()
    {
        var settings = Load("""{"httpPort":9000,"limits":{"messagesPerSecond":7}}""", extraFlags: ["--http-port", "9443", "--bind", "127.0.0.1", "--rtp-ports", "30000-30100"]);

        Assert.Equal(9443, settings.HttpPort);
        Assert.Equal(IPAddress.Loopback, settings.Bind);
        Assert.Equal(new PortRange(30000, 30100), settings.RtpPorts);
        Assert.Equal(7, settings.Limits.MessagesPerSecond);
        Assert.Equal("1008@example.com", settings.Directory.Users.Single().Uid);
    }

    [Fact]
    public void TheOlderLoginFailuresPerIpStillSetsHowManyFailuresLockButNotBesideItsNewName()
    {
        Assert.Equal(4, Load("""{"limits":{"loginFailuresPerIp":4}}""").Limits.LoginFailuresPerAccount);
        Assert.Equal(6, Load("""{"limits":{"loginFailuresPerAccount":6}}""").Limits.LoginFailuresPerAccount);
        Assert.Contains("server.json: limits.loginFailuresPerIp: the older name of loginFailuresPerAccount", Fails("""{"limits":{"loginFailuresPerIp":4,"loginFailuresPerAccount":6}}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"httpPort":"x"}""", "server.json: httpPort: must be a whole number from 0 to 65535")]
    [InlineData("""{"httpPort":70000}""", "server.json: httpPort: must be a whole number")]
    [InlineData("""{"limits":{"maxFrameBytes":10}}""", "server.json: limits.maxFrameBytes: must be a whole number from 1024")]
    [InlineData("""{"limits":{"frameSize":10}}""", "server.json: limits.frameSize: unknown field")]
    [InlineData("""{"bind":"not-an-ip"}""", "server.json: bind: 'not-an-ip' is not an IP address")]
    [InlineData("""{"rtpPorts":"5-1"}""", "server.json: rtpPorts: expected")]
    [InlineData("""{"codecs":"opus,h264"}""", "server.json: codecs: unknown codec 'h264'")]
    [InlineData("""{"tls":{"certificate":"cert.pem"}}""", "server.json: tls.privateKey: certificate and privateKey go together")]
    [InlineData("""{"tls":{"certificate":"missing.pem","privateKey":"missing-key.pem"}}""", "server.json: tls.certificate: file")]
    [InlineData("""{"allowedOrigins":["not an origin"]}""", "server.json: allowedOrigins: 'not an origin' is not an origin")]
    [InlineData("""{"httpPort":8443,""", "server.json: line 1: invalid JSON")]
    [InlineData("""[]""", "server.json: (top level): must be a JSON object")]
    public void ABadServerFileNamesTheField(string serverJson, string expected)
    {
        Assert.Contains(expected, Fails(serverJson), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"users":[]}""", "directory.json: domain: is required")]
    [InlineData("""{"domain":"d","users":[{"name":"x"}]}""", "directory.json: users[0].id: is required")]
    [InlineData("""{"domain":"d","users":[{"id":"a@b"}]}""", "directory.json: users[0].id: must not contain '@'")]
    [InlineData("""{"domain":"d","users":[{"id":"1"},{"id":"1"}]}""", "directory.json: users[1].id: user '1' is listed twice")]
    [InlineData("""{"domain":"d","users":[{"id":"1","password":"a","passwordHash":"b"}]}""", "directory.json: users[0].password: give either password or passwordHash")]
    [InlineData("""{"domain":"d","users":[{"id":"1","passwordHash":"md5$abc"}]}""", "directory.json: users[0].passwordHash: not a hash printed by --hash-password")]
    [InlineData("""{"domain":"d","users":[{"id":"1","allowedMethods":[3]}]}""", "directory.json: users[0].allowedMethods[0]: must be a non-empty string")]
    [InlineData("""{"domain":"d","users":[{"id":"1","moderator":"yes"}]}""", "directory.json: users[0].moderator: must be true or false")]
    [InlineData("""{"domain":"d","users":[{"id":"1","admin":1}]}""", "directory.json: users[0].admin: must be true or false")]
    public void ABadDirectoryNamesTheField(string directoryJson, string expected)
    {
        Assert.Contains(expected, Fails("{}", directoryJson), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--http-prot", "1" }, "--http-prot: unknown flag")]
    [InlineData(new[] { "--http-port", "99999" }, "--http-port: '99999' is not a port number")]
    [InlineData(new[] { "--http-port" }, "--http-port: a value is required")]
    [InlineData(new[] { "--public-ip", "example.com" }, "--public-ip: 'example.com' is not an IP address")]
    [InlineData(new[] { "--rtp-ports", "100-200" }, "--rtp-ports: expected A-B")]
    [InlineData(new[] { "--sip-port=0" }, "--sip-port: '0' is not a port number")]
    public void ABadFlagNamesTheFlag(string[] args, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => CommandLineFlags.Parse(args));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingConfFolderIsOneLine()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(CommandLineFlags.Parse(["--conf", Path.Combine(_conf, "nope")])));
        Assert.StartsWith("--conf: folder", error.Message, StringComparison.Ordinal);
    }

    internal static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MediaServer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MediaServer.sln not found above the test binaries");
    }
}

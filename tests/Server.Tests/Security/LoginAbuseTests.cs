using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.Sip;
using MediaServer.Tests.Infrastructure;
using Xunit;

namespace MediaServer.Tests.Security;

/// <summary>
/// Login storms against the live server, all from 127.0.0.1 as a shared NAT would look: the
/// attacked account is locked for everyone, the address is slowed down rather than locked, and
/// another user behind the same address still gets in.
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class LoginAbuseTests
{
    private const int Attempts = 10_000;
    private const int Connections = 50;

    private static readonly string[] RefusalMessages =
    [
        "Authentication Failure", "Login Incorrect", "Too many failed logins, try again later", "Too many login attempts, slow down",
    ];

    [Fact]
    public async Task TenThousandBadLoginsLockTheAttackedAccountWhileAnotherUserOnTheSameAddressLogsIn()
    {
        await using var server = await TestServer.StartAsync(new JsonObject
        {
            ["loginFailuresPerAccount"] = 5,
            ["loginFailuresPerSecondPerIp"] = 20,
            ["lockoutSeconds"] = 120,
            // The per-connection message limit is not under test here; the login throttle is.
            ["messagesPerSecond"] = 100_000,
            ["messageBurst"] = 100_000,
        });

        var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
        var slowedDown = 0;
        var stormDone = new TaskCompletionSource();
        var storm = Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
        {
            await using var attacker = await server.ConnectAsync();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = c; i < Attempts; i += Connections)
            {
                var login = i % 2 == 0 ? "1000@localhost" : $"ghost{i}@localhost";
                var answer = await attacker.CallAsync("login", new JsonObject { ["login"] = login, ["passwd"] = $"guess-{i}" });
                var message = ErrorMessage(answer);
                seen[message] = seen.GetValueOrDefault(message) + 1;
                if (message == "Too many login attempts, slow down")
                {
                    Interlocked.Increment(ref slowedDown);
                }

                // Paced so the storm lasts about 10 s at some 1,000 attempts a second, fifty times
                // the address's allowed failure rate: long enough for Bob to log in during it.
                await Task.Delay(50);
            }

            lock (refusals)
            {
                foreach (var (message, count) in seen)
                {
                    refusals[message] = refusals.GetValueOrDefault(message) + count;
                }
            }
        })));
        _ = storm.ContinueWith(_ => stormDone.TrySetResult(), TaskScheduler.Default);

        // Bob waits until the address is being slowed down, then logs in while the storm goes on.
        await WaitFor.ConditionAsync(() => Volatile.Read(ref slowedDown) > 100 || storm.IsCompleted, TimeSpan.FromSeconds(30), "the storm to hit the address's rate limit");
        Assert.False(storm.IsCompleted, "the storm ended before Bob could try during it; make it longer");
        var (bob, bobTries) = await LogInDespiteTheRateAsync(server, "1001", TestServer.BobPassword);
        await using (bob)
        {
            Assert.False(stormDone.Task.IsCompleted, $"Bob only got in after the storm ({bobTries} tries)");
            Assert.Equal("PONG", (await bob.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
        }

        await storm.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(Attempts, refusals.Values.Sum());
        Assert.All(refusals.Keys, message => Assert.Contains(message, RefusalMessages));
        // Half the attempts are for Alice, refused as locked once she is; most of the rest are beyond the address's rate.
        Assert.True(refusals.GetValueOrDefault("Too many login attempts, slow down") > Attempts / 4, Describe(refusals));
        Assert.True(refusals.GetValueOrDefault("Too many failed logins, try again later") > 0, Describe(refusals));

        // Alice's account is locked for everyone, her right password included.
        await using (var alice = await server.ConnectAsync())
        {
            var locked = await LogInAsync(alice, "1000@localhost", TestServer.AlicePassword);
            Assert.Equal(-32001, locked.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("Too many failed logins, try again later", ErrorMessage(locked));
        }

        // Bob still gets in after the storm, and the server answers at once.
        var (after, _) = await LogInDespiteTheRateAsync(server, "1001", TestServer.BobPassword);
        await using (after)
        {
            Assert.Equal("PONG", (await after.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
        }

        Assert.True(server.Verto.Metrics.LoginLockouts >= 1);
        Assert.True(server.Verto.Metrics.LoginsRateLimited > Attempts / 4);
        Assert.True(server.Verto.Metrics.LoginsSucceeded >= 2);
        var metrics = await server.MetricsAsync();
        Assert.Contains("mediaserver_login_rate_limited_total ", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLockedAccountOpensAgainAfterTheLockoutAndItsOwnerGetsIn()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["loginFailuresPerAccount"] = 3, ["lockoutSeconds"] = 1 });
        await using var client = await server.ConnectAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Authentication Failure", ErrorMessage(await LogInAsync(client, "1000@localhost", "nope")));
        }

        Assert.Equal("Too many failed logins, try again later", ErrorMessage(await LogInAsync(client, "1000@LOCALHOST", TestServer.AlicePassword)));
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        var answer = await LogInAsync(client, "1000@localhost", TestServer.AlicePassword);
        Assert.True(answer.TryGetProperty("result", out _), answer.ToString());
    }

    [Fact]
    public async Task SipDigestFailuresLockTheAccountButNotAnotherUserOnTheSameAddress()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["loginFailuresPerAccount"] = 3, ["lockoutSeconds"] = 120 }, serverJson: new JsonObject { ["sipPort"] = 0 });
        using var phone = new SipUdpClient(server.SipPort);
        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith("SIP/2.0 403 Forbidden\r\n", await RegisterAsync(phone, server.SipPort, "1000", "wrong-" + i), StringComparison.Ordinal);
        }

        Assert.StartsWith("SIP/2.0 403 Forbidden (too many failed attempts)", await RegisterAsync(phone, server.SipPort, "1000", TestServer.AlicePassword), StringComparison.Ordinal);
        // Carol: Bob's directory entry has only a PBKDF2 hash, which digest auth cannot use.
        Assert.StartsWith("SIP/2.0 200", await RegisterAsync(phone, server.SipPort, "1002", TestServer.CarolPassword), StringComparison.Ordinal);
        Assert.Contains("mediaserver_sip_auth_failures_total 3", await server.MetricsAsync(), StringComparison.Ordinal);
    }

    /// <summary>REGISTER, answer the 401 challenge with the password, and return the final answer's text.</summary>
    private static async Task<string> RegisterAsync(SipUdpClient phone, int sipPort, string user, string password)
    {
        var callId = Guid.NewGuid().ToString("N");
        var challenge = await SendRegisterAsync(phone, sipPort, user, callId, 1, authorization: null);
        Assert.StartsWith("SIP/2.0 401", challenge, StringComparison.Ordinal);
        var header = challenge.Split("\r\n").Single(line => line.StartsWith("WWW-Authenticate:", StringComparison.OrdinalIgnoreCase));
        Assert.True(SipDigestChallenge.TryParse(header[(header.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), out var parsed));
        var uri = $"sip:127.0.0.1:{sipPort}";
        var credentials = SipDigest.Answer(parsed!, user, password, "REGISTER", uri);
        return await SendRegisterAsync(phone, sipPort, user, callId, 2, credentials.ToHeaderValue());
    }

    private static async Task<string> SendRegisterAsync(SipUdpClient phone, int sipPort, string user, string callId, int cseq, string? authorization)
    {
        var branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        phone.Send(
            $"REGISTER sip:127.0.0.1:{sipPort} SIP/2.0\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{phone.LocalPort};branch={branch};rport\n" +
            $"From: <sip:{user}@localhost>;tag={callId[..8]}\n" +
            $"To: <sip:{user}@localhost>\n" +
            $"Call-ID: {callId}\n" +
            $"CSeq: {cseq} REGISTER\n" +
            $"Contact: <sip:{user}@127.0.0.1:{phone.LocalPort}>;expires=60\n" +
            (authorization is null ? string.Empty : $"Authorization: {authorization}\n") +
            "Max-Forwards: 70\n" +
            "Content-Length: 0\n\n");

        // Skip any provisional answer and anything left over from an earlier transaction.
        for (var i = 0; i < 10; i++)
        {
            var answer = await phone.ReceiveAsync(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("no answer to REGISTER");
            if (answer.Contains(branch, StringComparison.Ordinal) && !answer.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                return answer;
            }
        }

        throw new InvalidOperationException("no final answer to REGISTER");
    }

    /// <summary>
    /// Logs in on fresh attempts until the address's rate lets one through: that is what a user
    /// behind an attacked NAT sees. Bounded by tries and time.
    /// </summary>
    private static async Task<(VertoTestClient Client, int Tries)> LogInDespiteTheRateAsync(TestServer server, string user, string password)
    {
        var client = await server.ConnectAsync();
        var clock = Stopwatch.StartNew();
        for (var tries = 1; tries <= 5000 && clock.Elapsed < TimeSpan.FromSeconds(30); tries++)
        {
            var answer = await client.CallAsync("login", new JsonObject { ["login"] = $"{user}@localhost", ["passwd"] = password });
            if (answer.TryGetProperty("result", out _))
            {
                return (client, tries);
            }

            Assert.Equal("Too many login attempts, slow down", ErrorMessage(answer));
            await Task.Delay(5);
        }

        await client.DisposeAsync();
        throw new TimeoutException($"{user} never got past the address's rate limit");
    }

    private static Task<JsonElement> LogInAsync(VertoTestClient client, string login, string password) =>
        client.CallAsync("login", new JsonObject { ["login"] = login, ["passwd"] = password });

    private static string ErrorMessage(JsonElement answer) =>
        answer.TryGetProperty("error", out var error) ? error.GetProperty("message").GetString() ?? string.Empty : "(no error)";

    private static string Describe(Dictionary<string, int> refusals) =>
        string.Join(", ", refusals.Select(r => $"{r.Key}: {r.Value}"));
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.Stun;
using MediaServer.Tests.Calls;
using MediaServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MediaServer.Tests.Observability;

/// <summary>
/// Structured logs of a running server: call lines carry the call's fields as scope
/// properties, POST /admin/debug raises one call's level (and only that call's) until it
/// expires, the endpoint's authentication, and the JSON console format of the real process.
/// </summary>
public sealed class CallLogTests
{
    private const int CallCreated = 2001;
    private const int SdpAnswered = 2011;
    private const int IceCheckAnswered = 3003;
    private const int DtlsConnected = 3004;

    [Fact]
    public async Task AModeratorCommandIsLoggedWithTheModeratorsCallRoomAndMemberId()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await TestServer.StartAsync(logs: logs, minimumLogLevel: LogLevel.Information);
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3500");
        await using var bob = await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3500");
        var mod = alice.PvtData.GetProperty("modChannel").GetString()!;
        await alice.Client.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = mod });

        Assert.StartsWith("+OK mute", await MediaServer.Tests.Conferences.ConferenceControlTests.ModResponse(alice.Client, mod, "mute", bob.MemberId));

        var line = Assert.Single(logs.Lines, l => l.EventId == 4006);
        Assert.Equal(alice.CallId, line.ScopeValue("callId"));
        Assert.Equal("3500", line.ScopeValue("room"));
        Assert.Equal(alice.MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture), line.ScopeValue("memberId"));
        Assert.Equal("1000@localhost", line.ScopeValue("user"));
    }

    [Fact]
    public async Task CallLinesCarryCallIdUserAndProtocolAndARaisedCallLogsDebugUntilItExpiresWhileTheOtherCallLogsNone()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await TestServer.StartAsync(logs: logs, minimumLogLevel: LogLevel.Information);
        await using var alice = await server.LoginAsync();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        using var peerA = await EchoCallAsync(alice, "log-call-a");
        using var peerB = await EchoCallAsync(bob, "log-call-b");

        var created = Assert.Single(logs.Lines, l => l.EventId == CallCreated && l.ScopeValue("callId") == "log-call-a");
        Assert.Equal("log-call-a", created.Fields["CallId"]);
        Assert.Equal("1000@localhost", created.ScopeValue("user"));
        Assert.Equal("verto", created.ScopeValue("protocol"));
        Assert.Equal("1001@localhost", Assert.Single(logs.Lines, l => l.EventId == CallCreated && l.ScopeValue("callId") == "log-call-b").ScopeValue("user"));
        Assert.DoesNotContain(logs.Lines, l => l.Level < LogLevel.Information);

        using var http = Http(server);
        using (var raised = await PostAsync(http, "/admin/debug?call=log-call-a&level=Debug&seconds=3", "1000", TestServer.AlicePassword))
        {
            Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
            var list = JsonNode.Parse(await raised.Content.ReadAsStringAsync())!["debug"]!.AsArray();
            Assert.Equal("log-call-a", Assert.Single(list)!["call"]!.GetValue<string>());
        }

        Assert.Equal(StunClass.SuccessResponse, await peerA.CheckAsync());
        Assert.Equal(StunClass.SuccessResponse, await peerB.CheckAsync());
        await WaitFor.ConditionAsync(() => logs.Lines.Any(l => l.EventId == IceCheckAnswered && l.ScopeValue("callId") == "log-call-a"), TimeSpan.FromSeconds(5), "call A's ICE Debug line");
        var debugA = logs.Lines.First(l => l.EventId == IceCheckAnswered);
        Assert.Equal(LogLevel.Debug, debugA.Level);
        Assert.Equal("log-call-a", debugA.Fields["CallId"]);
        Assert.Equal("1000@localhost", debugA.ScopeValue("user"));
        Assert.DoesNotContain(logs.Lines, l => l.Level < LogLevel.Information && l.ScopeValue("callId") != "log-call-a");

        // After the expiry the raise is gone: the list is empty and A's checks log nothing more.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        using (var listed = await SendAsync(http, HttpMethod.Get, "/admin/debug", "1000", TestServer.AlicePassword))
        {
            Assert.Empty(JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["debug"]!.AsArray());
        }

        var before = logs.Lines.Count(l => l.Level < LogLevel.Information);
        Assert.Equal(StunClass.SuccessResponse, await peerA.CheckAsync());
        await Task.Delay(300);
        Assert.Equal(before, logs.Lines.Count(l => l.Level < LogLevel.Information));
    }

    [Fact]
    public async Task RaisingAUserLogsTheSdpSummaryAndDtlsOfANewCallOfThatUserOnly()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await TestServer.StartAsync(logs: logs, minimumLogLevel: LogLevel.Information);
        using var http = Http(server);
        using (var raised = await PostAsync(http, "/admin/debug?user=1001&minutes=1", "1000", TestServer.AlicePassword))
        {
            Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        }

        await using var alice = await server.LoginAsync();
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        using var peerA = await EchoCallAsync(alice, "log-user-a");
        using var peerB = await EchoCallAsync(bob, "log-user-b");
        await WaitFor.ConditionAsync(() => logs.Lines.Any(l => l.EventId == DtlsConnected), TimeSpan.FromSeconds(5), "B's DTLS Debug line");
        var sdp = Assert.Single(logs.Lines, l => l.EventId == SdpAnswered);
        Assert.Equal("log-user-b", sdp.ScopeValue("callId"));
        Assert.Contains("audio", sdp.Message, StringComparison.Ordinal);
        Assert.All(logs.Lines.Where(l => l.Level < LogLevel.Information), l => Assert.Equal("1001@localhost", l.ScopeValue("user")));
    }

    [Fact]
    public async Task TheDebugEndpointRefusesNoCredentialsWrongPasswordANonAdminAndBadParameters()
    {
        await using var server = await TestServer.StartAsync();
        using var http = Http(server);
        using (var none = await http.PostAsync(new Uri("/admin/debug?call=x", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Basic", Assert.Single(none.Headers.WwwAuthenticate).Scheme);
        }

        using (var wrong = await PostAsync(http, "/admin/debug?call=x", "1000", "wrong"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var bob = await PostAsync(http, "/admin/debug?call=x", "1001", TestServer.BobPassword))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bob.StatusCode);
        }

        foreach (var query in new[] { "", "?call=x&room=y", "?call=x&level=Loud", "?call=x&minutes=0", "?call=x&minutes=2000", "?call=x&minutes=1&seconds=1", "?call=x&level=None" })
        {
            using var bad = await PostAsync(http, "/admin/debug" + query, "1000", TestServer.AlicePassword);
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, query);
        }

        Assert.False(server.Verto.LogDebug.Any);
    }

    [Fact]
    public async Task TheProcessWritesOneJsonObjectPerLineWithTheCallFieldsInItsScopes()
    {
        await using var process = await ServerProcess.StartAsync(null, "--log-format", "json");
        await using (var alice = await VertoTestClient.ConnectAsync(process))
        {
            await alice.LoginAsync("1000", TestServer.AlicePassword, null);
            await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = CallSignallingTests.Dialog("log-json", "5555") });
            await CallSignallingTests.ReceiveRequestAsync(alice, "verto.bye");
        }

        await WaitFor.ConditionAsync(() => process.Output.Contains("log-json", StringComparison.Ordinal) && process.Output.Contains("\"EventId\":2004", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the call's end in the output");
        var lines = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var objects = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var created = Assert.Single(objects, o => o.GetProperty("EventId").GetInt32() == CallCreated);
        Assert.Equal("Information", created.GetProperty("LogLevel").GetString());
        Assert.Equal("Created", created.GetProperty("EventName").GetString());
        Assert.Equal("MediaServer.Verto", created.GetProperty("Category").GetString());
        Assert.EndsWith("Z", created.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(created.GetProperty("Timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("log-json", created.GetProperty("State").GetProperty("CallId").GetString());
        var scope = created.GetProperty("Scopes").EnumerateArray().Single(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("callId", out _));
        Assert.Equal("log-json", scope.GetProperty("callId").GetString());
        Assert.Equal("1000@localhost", scope.GetProperty("user").GetString());
        Assert.Equal("verto", scope.GetProperty("protocol").GetString());
    }

    /// <summary>An echo call with real ICE and DTLS from a test peer; returns the peer, which the caller disposes.</summary>
    private static async Task<WebRtcTestPeer> EchoCallAsync(VertoTestClient client, string callId)
    {
        var peer = new WebRtcTestPeer();
        await client.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(video: false), ["dialogParams"] = CallSignallingTests.Dialog(callId, "9196") });
        var answer = await CallSignallingTests.ReceiveRequestAsync(client, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        Assert.Equal(StunClass.SuccessResponse, await peer.CheckAsync());
        await peer.HandshakeAsync();
        return peer;
    }

    private static HttpClient Http(TestServer server) =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = server.HttpsUri };

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string user, string password) => SendAsync(http, HttpMethod.Post, path, user, password);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string user, string password)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await http.SendAsync(request);
    }
}

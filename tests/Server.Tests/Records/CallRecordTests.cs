using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.Stun;
using MediaServer.Records;
using MediaServer.Tests.Calls;
using MediaServer.Tests.Conferences;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Records;

/// <summary>
/// Call detail records written by a running server: an echo call with real DTLS-SRTP media,
/// a room with two members, and the admin export over HTTPS with its authentication.
/// </summary>
public sealed class CallRecordTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AnEchoCallThatEndsLeavesOneRecordWithItsCauseCodecAndPackets()
    {
        await using var alice = await _server.LoginAsync();
        using var peer = new WebRtcTestPeer();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(video: false), ["dialogParams"] = CallSignallingTests.Dialog("cdr-echo", "9196") });
        var answer = await CallSignallingTests.ReceiveRequestAsync(alice, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        Assert.Equal(StunClass.SuccessResponse, await peer.CheckAsync());
        await peer.HandshakeAsync();
        await Task.Delay(200);
        var opus = (byte)peer.PayloadTypeOf("opus");
        var payload = new byte[80];
        for (var i = 0; i < 50; i++)
        {
            // Sequence 1010 is never sent: one packet lost of 51.
            var sequence = (ushort)(1000 + i + (i >= 10 ? 1 : 0));
            peer.SendRtp(opus, sequence, (uint)(960 * (sequence - 1000)), peer.AudioSsrc, payload);
        }

        var leg = _server.Verto.Calls!.Find("cdr-echo")!.Leg!;
        await WaitFor.ConditionAsync(() => leg.AudioOut?.PacketCount >= 45, TimeSpan.FromSeconds(5), "echoed packets");
        var bye = await alice.CallAsync("verto.bye", new JsonObject { ["cause"] = "USER_BUSY", ["dialogParams"] = CallSignallingTests.Dialog("cdr-echo", "9196") });
        Assert.Equal(17, bye.GetProperty("result").GetProperty("causeCode").GetInt32());

        var record = await SingleRecordAsync(r => r.CallId == "cdr-echo");
        Assert.Equal(CallDetailRecord.CallKind, record.Kind);
        Assert.Equal("USER_BUSY", record.HangupCause);
        Assert.Equal(17, record.HangupCauseCode);
        Assert.Equal("1000@localhost", record.User);
        Assert.Equal("verto", record.Protocol);
        Assert.Equal("inbound", record.Direction);
        Assert.Equal("9196", record.Destination);
        Assert.StartsWith("127.0.0.1:", record.RemoteAddress, StringComparison.Ordinal);
        Assert.Equal("opus/48000", record.AudioCodec);
        Assert.Null(record.VideoCodec);
        Assert.Equal(50, record.PacketsReceived);
        Assert.Equal(1, record.PacketsLost);
        Assert.InRange(record.PacketsSent, 45, 50);
        Assert.NotNull(record.AnsweredAt);
        Assert.True(record.StartedAt <= record.AnsweredAt && record.AnsweredAt <= record.EndedAt);
        Assert.InRange(record.Mos!.Value, 3.0, 4.5);
    }

    [Fact]
    public async Task AnUnansweredCallHasNoAnswerTimeAndNoMedia()
    {
        await using var alice = await _server.LoginAsync();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = CallSignallingTests.Dialog("cdr-nowhere", "5555") });
        var bye = await CallSignallingTests.ReceiveRequestAsync(alice, "verto.bye");
        Assert.Equal("UNALLOCATED_NUMBER", bye.GetProperty("cause").GetString());

        var record = await SingleRecordAsync(r => r.CallId == "cdr-nowhere");
        Assert.Equal("UNALLOCATED_NUMBER", record.HangupCause);
        Assert.Equal(1, record.HangupCauseCode);
        Assert.Null(record.AnsweredAt);
        Assert.Equal(0, record.PacketsReceived);
        Assert.Null(record.Mos);
    }

    [Fact]
    public async Task TwoMembersOfARoomLeaveAMembershipRowEachBesideTheirCallRows()
    {
        await using var alice = await _server.LoginAsync();
        await using var bob = await _server.LoginAsync("1001", TestServer.BobPassword);
        var (aliceCall, _) = await ConferenceControlTests.DialAsync(alice, "3577");
        var (bobCall, _) = await ConferenceControlTests.DialAsync(bob, "3577");
        var ids = _server.Verto.Conferences!.Find("3577")!.Members().ToDictionary(m => m.Call.CallId, m => m.Id);

        await alice.CallAsync("verto.bye", new JsonObject { ["dialogParams"] = CallSignallingTests.Dialog(aliceCall, "3577") });
        await bob.CallAsync("verto.bye", new JsonObject { ["dialogParams"] = CallSignallingTests.Dialog(bobCall, "3577") });

        await WaitFor.ConditionAsync(() => Records().Count(r => r.Room == "3577") == 2 && Records().Count(r => r.Destination == "3577") == 4, what: "four records");
        var members = Records().Where(r => r.Kind == CallDetailRecord.MemberKind).OrderBy(r => r.MemberId).ToList();
        Assert.Equal([aliceCall, bobCall], members.Select(m => m.CallId));
        Assert.Equal([ids[aliceCall], ids[bobCall]], members.Select(m => m.MemberId!.Value));
        Assert.Equal(["1000@localhost", "1001@localhost"], members.Select(m => m.User));
        Assert.All(members, m => Assert.Equal("NORMAL_CLEARING", m.HangupCause));
        Assert.All(members, m => Assert.True(m.StartedAt <= m.EndedAt));
        Assert.Equal(2, Records().Count(r => r.Kind == CallDetailRecord.CallKind && r.Destination == "3577" && r.AnsweredAt is not null));
    }

    [Fact]
    public async Task TheExportRefusesNoCredentialsAWrongPasswordAndANonAdmin()
    {
        using var http = Http();
        using (var none = await http.GetAsync(new Uri("/admin/cdrs", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Basic", Assert.Single(none.Headers.WwwAuthenticate).Scheme);
        }

        using (var wrong = await GetAsync(http, "/admin/cdrs", "1000", "not-the-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Single(wrong.Headers.WwwAuthenticate);
        }

        using (var unknown = await GetAsync(http, "/admin/cdrs", "9999", "whatever"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        using (var bob = await GetAsync(http, "/admin/cdrs", "1001", TestServer.BobPassword))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bob.StatusCode);
            Assert.Contains("not an admin", await bob.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var garbage = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/cdrs", UriKind.Relative));
        garbage.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64");
        using var refused = await http.SendAsync(garbage);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task RepeatedWrongPasswordsLockTheAccountOutAsVertoLoginsDo()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["loginFailuresPerAccount"] = 2, ["lockoutSeconds"] = 60 });
        using var http = Http(server);
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await GetAsync(http, "/admin/cdrs", "1000", "nope");
        }

        using var locked = await GetAsync(http, "/admin/cdrs", "1000", TestServer.AlicePassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
    }

    [Fact]
    public async Task AnAdminGetsJsonAndCsvFilteredByTimeAndLimited()
    {
        var store = _server.Verto.Records!.Store;
        var day = DateTimeOffset.Parse("2025-02-01T00:00:00Z", CultureInfo.InvariantCulture);
        for (var i = 0; i < 5; i++)
        {
            store.Insert(CdrStoreTests.Record($"stored-{i}", day.AddHours(i)));
        }

        using var http = Http();
        using var json = await GetAsync(http, "/admin/cdrs?from=2025-02-01T01:00:00Z&to=2025-02-01T04:00:00Z", "1000", TestServer.AlicePassword);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        using var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(["stored-1", "stored-2", "stored-3"], rows.Select(r => r.GetProperty("callId").GetString()));
        Assert.Equal("2025-02-01T01:00:00.000Z", rows[0].GetProperty("startedAt").GetString());
        Assert.Equal("NORMAL_CLEARING", rows[0].GetProperty("hangupCause").GetString());
        Assert.Equal(16, rows[0].GetProperty("hangupCauseCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("room").ValueKind);
        Assert.Equal(1490, rows[0].GetProperty("packetsReceived").GetInt64());

        using var csv = await GetAsync(http, "/admin/cdrs?format=csv&from=2025-02-01&limit=2", "1000@localhost", TestServer.AlicePassword);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal(4, lines.Length);
        Assert.Equal(string.Join(',', CdrExport.Fields), lines[0]);
        Assert.StartsWith("1,call,stored-0,,,inbound,1000@localhost,\"Alice, \"\"the\"\" caller\",1000,verto,127.0.0.1:40000,9196,2025-02-01T00:00:00.000Z,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",stored-1,", lines[2], StringComparison.Ordinal);
        Assert.Equal(string.Empty, lines[3]);
    }

    [Theory]
    [InlineData("format=xml")]
    [InlineData("limit=0")]
    [InlineData("limit=100001")]
    [InlineData("limit=ten")]
    [InlineData("from=yesterday")]
    public async Task BadParametersAreAnsweredWith400AndAReason(string query)
    {
        using var http = Http();
        using var response = await GetAsync(http, "/admin/cdrs?" + query, "1000", TestServer.AlicePassword);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
    }

    private List<CallDetailRecord> Records() => _server.Verto.Records!.Store.Query(null, null, 1000);

    private async Task<CallDetailRecord> SingleRecordAsync(Func<CallDetailRecord, bool> match)
    {
        await WaitFor.ConditionAsync(() => Records().Any(match), what: "the call's record");
        return Assert.Single(Records(), r => match(r));
    }

    private HttpClient Http() => Http(_server);

    private static HttpClient Http(TestServer server) =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = server.HttpsUri };

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await http.SendAsync(request);
    }
}

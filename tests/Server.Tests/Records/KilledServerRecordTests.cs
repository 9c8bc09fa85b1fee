using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Storage;
using MediaServer.Tests.Calls;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Records;

/// <summary>
/// kill -9 during a conference: the server runs as a child process (<see cref="ServerProcess"/>), one
/// call ends and one member stays in a room, the process is killed with SIGKILL, and the
/// database it leaves is whole, holds the finished call's record and invents none for the call
/// that was still running.
/// </summary>
public sealed class KilledServerRecordTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mediaserver-kill-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task AfterAKillTheDatabaseIsWholeAndHoldsTheFinishedCallsOnly()
    {
        var data = Path.Combine(_root, "data");
        await using (var server = await ServerProcess.StartAsync(_root))
        {
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
            {
                BaseAddress = new Uri($"https://127.0.0.1:{server.Port}/"),
                Timeout = TimeSpan.FromSeconds(5),
            };
            await using var alice = await ((IServerEndpoint)server).LoginAsync();
            await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = CallSignallingTests.Dialog("finished", "9196") });
            await CallSignallingTests.ReceiveRequestAsync(alice, "verto.answer");
            await alice.CallAsync("verto.bye", new JsonObject { ["dialogParams"] = CallSignallingTests.Dialog("finished", "9196") });
            await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = WebRtcTestPeer.AnyOffer(), ["dialogParams"] = CallSignallingTests.Dialog("running", "3500") });
            await CallSignallingTests.ReceiveRequestAsync(alice, "verto.answer");

            // The export says the finished call's record is stored; then the process dies mid-conference.
            await WaitFor.ConditionAsync(() => ExportedCallIds(http).Contains("finished"), TimeSpan.FromSeconds(10), "the finished call's record");
            await server.CrashAsync();
            Assert.NotEqual(0, server.ExitCode);
        }

        using var database = Database.Open(data);
        Assert.Equal(3, database.SchemaVersion);
        using (var check = database.Connection.CreateCommand())
        {
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", check.ExecuteScalar());
        }

        var records = new CdrStore(database).Query(null, null, 100);
        var finished = Assert.Single(records);
        Assert.Equal("finished", finished.CallId);
        Assert.Equal("NORMAL_CLEARING", finished.HangupCause);
        Assert.DoesNotContain(records, r => r.CallId == "running");
    }

    private static List<string> ExportedCallIds(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/cdrs", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"1000:{TestServer.AlicePassword}")));
        using var response = http.SendAsync(request).GetAwaiter().GetResult();
        using var json = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return json.RootElement.EnumerateArray().Select(r => r.GetProperty("callId").GetString()!).ToList();
    }
}

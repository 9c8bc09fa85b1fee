using System.Text.Json.Nodes;
using MediaServer.Tests.Conferences;
using MediaServer.Tests.Infrastructure;
using MediaServer.Tests.Signalling;
using Microsoft.Data.Sqlite;

namespace MediaServer.Tests.Operations;

/// <summary>
/// The server as a process of its own, stopped the two ways production stops it: SIGTERM
/// (an init system, a deploy) must bye every call with a cause and close the database
/// cleanly; SIGKILL (a crash, the OOM killer) must leave a database that opens consistent,
/// with what was committed still there, and a server that starts again on it and takes
/// clients back.
/// </summary>
public sealed class ShutdownAndCrashTests
{
    [Fact]
    public async Task OnSigtermEveryCallGetsAByeTheRecordingIsFinishedTheProcessExitsZeroAndTheDatabaseIsClosedCleanly()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3500");
        await using var bob = await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3500");
        var mod = alice.PvtData.GetProperty("modChannel").GetString()!;
        await alice.Client.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = mod });
        alice.SendTone(440, 8000);
        var started = await ConferenceControlTests.ModResponse(alice.Client, mod, "recording", null, "start");
        Assert.StartsWith("+OK Record file [recordings/", started);
        var recording = Path.Combine(server.DataDirectory, "recordings", started["+OK Record file [recordings/".Length..started.IndexOf(']', StringComparison.Ordinal)]);
        await Task.Delay(1500);

        // Never stopped by the moderator: the shutdown must finish the file.
        await server.TerminateAsync();

        foreach (var member in new[] { alice, bob })
        {
            var bye = await ConferenceParticipant.ReceiveRequestAsync(member.Client, "verto.bye");
            Assert.Equal(member.CallId, bye.GetProperty("callID").GetString());
            Assert.Equal("SYSTEM_SHUTDOWN", bye.GetProperty("cause").GetString());
            Assert.Equal(701, bye.GetProperty("causeCode").GetInt32());
        }

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(20)), "still running 20 s after SIGTERM\n" + server.Output);
        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}\n{server.Output}");
        // Closed cleanly: the last connection checkpointed the write-ahead log into the file and removed it.
        var wal = new FileInfo(Path.Combine(server.DataDirectory, "mediaserver.db-wal"));
        Assert.True(!wal.Exists || wal.Length == 0, $"{wal.FullName} left with {(wal.Exists ? wal.Length : 0)} bytes");
        Assert.Equal("ok", IntegrityCheck(server.DataDirectory));
        var (probe, errors) = await FfmpegTools.ProbeAsync(recording);
        Assert.Equal(string.Empty, errors);
        Assert.Equal("opus", probe.GetProperty("streams")[0].GetProperty("codec_name").GetString());
        var (exit, decodeErrors) = await FfmpegTools.DecodeAsync(recording);
        Assert.True(exit == 0 && decodeErrors.Length == 0, decodeErrors);
    }

    [Fact]
    public async Task AfterSigkillTheDatabaseIsConsistentCommittedStateIsBackAndClientsComeBack()
    {
        var root = Directory.CreateTempSubdirectory("mediaserver-crash-").FullName;
        try
        {
            string sessid;
            await using (var server = await ServerProcess.StartAsync(root))
            {
                await using var writer = await ((IServerEndpoint)server).LoginAsync();
                await writer.CallAsync("verto.broadcast", LiveArrayTests.Command("create", new JsonObject { ["persistent"] = true }));
                await writer.CallAsync("verto.broadcast", LiveArrayTests.Command("add", LiveArrayTests.Row("first", new JsonObject { ["v"] = 1 })));
                await writer.CallAsync("verto.broadcast", LiveArrayTests.Command("add", LiveArrayTests.Row("second", "two")));

                await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3500");
                sessid = alice.Client.SessionId;
                var chat = alice.PvtData.GetProperty("chatChannel").GetString()!;
                var sent = await alice.Client.CallAsync("verto.broadcast", new JsonObject
                {
                    ["eventChannel"] = chat,
                    ["data"] = new JsonObject { ["action"] = "send", ["message"] = "before the crash" },
                });
                Assert.True(sent.TryGetProperty("result", out _), sent.ToString());
                alice.SendTone(440, 8000);
                await WaitFor.ConditionAsync(() => alice.ReceivedAudioPackets() > 25, what: "the room's mix flowing");

                // Mid-conference, media flowing, calls up: no warning at all.
                await server.CrashAsync();
                Assert.True(server.HasExited);
            }

            var data = Path.Combine(root, "data");
            Assert.Equal("ok", IntegrityCheck(data));
            Assert.Equal(1L, Scalar(data, "SELECT count(*) FROM chat_messages WHERE message = 'before the crash'"));

            await using var restarted = await ServerProcess.StartAsync(root);
            // The browser reconnects with its old session id: the login is taken, and the room can be joined again.
            await using var back = await ((IServerEndpoint)restarted).LoginAsync(sessid: sessid);
            var boot = await LiveArrayTests.SubscribeAndBootAsync(back);
            Assert.Equal(2, boot.GetArrayLength());
            Assert.Equal("first", boot[0][0].GetString());
            Assert.Equal("second", boot[1][0].GetString());
            await using var rejoined = await ConferenceParticipant.JoinAsync(restarted, "1001", TestServer.BobPassword, "3500");
            Assert.Equal("3500", rejoined.PvtData.GetProperty("laName").GetString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string IntegrityCheck(string dataDirectory) => (string)Scalar(dataDirectory, "PRAGMA integrity_check")!;

    private static object? Scalar(string dataDirectory, string sql)
    {
        // Not pooled: the file must be let go at once, before the next server opens it.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "mediaserver.db"),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

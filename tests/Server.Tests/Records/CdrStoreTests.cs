using MediaServer.Records;
using MediaServer.Storage;

namespace MediaServer.Tests.Records;

/// <summary>
/// The cdrs table on its own: round trip of every field, the time window and limit, and what a
/// kill -9 leaves: the database files as they are on disk while the server still has them open.
/// </summary>
public sealed class CdrStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mediaserver-cdr-").FullName;

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
    public void EveryFieldComesBackAsItWasStored()
    {
        using var database = Database.Open(Path.Combine(_root, "data"));
        var store = new CdrStore(database);
        var record = Record("call-1", DateTimeOffset.Parse("2025-03-01T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture)) with
        {
            Kind = CallDetailRecord.MemberKind,
            Room = "3500",
            MemberId = 7,
            VideoCodec = "VP8/90000",
            RoundTripMs = 12.5,
            Mos = 4.38,
        };

        var id = store.Insert(record);
        var back = Assert.Single(store.Query(null, null, 10));

        Assert.Equal(record with { Id = id }, back);
    }

    [Fact]
    public void TheWindowBoundsTheStartAndTheLimitCountsRowsOldestFirst()
    {
        using var database = Database.Open(Path.Combine(_root, "data"));
        var store = new CdrStore(database);
        var first = DateTimeOffset.Parse("2025-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 10; i++)
        {
            store.Insert(Record($"call-{i}", first.AddHours(i)));
        }

        Assert.Equal(["call-2", "call-3", "call-4"], store.Query(first.AddHours(2), first.AddHours(5), 100).Select(r => r.CallId));
        Assert.Equal(["call-0", "call-1"], store.Query(null, null, 2).Select(r => r.CallId));
        Assert.Equal(["call-8", "call-9"], store.Query(first.AddHours(8), null, 100).Select(r => r.CallId));
        Assert.Empty(store.Query(null, first, 100));
    }

    [Fact]
    public void RowsWrittenBeforeAKillAreThereAfterARestartAndTheSchemaIsWhole()
    {
        var live = Path.Combine(_root, "live");
        var crashed = Path.Combine(_root, "crashed");
        using (var database = Database.Open(live))
        {
            Assert.Equal("wal", database.JournalMode());
            var writer = new CdrWriter(new CdrStore(database), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            for (var i = 0; i < 25; i++)
            {
                Assert.True(writer.Enqueue(Record($"call-{i}", DateTimeOffset.UtcNow)));
            }

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (writer.Stored < 25 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            Assert.Equal(25, writer.Stored);

            // What kill -9 leaves: the main file and the write-ahead log exactly as they are now,
            // with the connection still open and nothing checkpointed or closed.
            Directory.CreateDirectory(crashed);
            foreach (var file in Directory.GetFiles(live))
            {
                using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = File.Create(Path.Combine(crashed, Path.GetFileName(file)));
                source.CopyTo(copy);
            }

            Assert.True(File.Exists(Path.Combine(crashed, Database.FileName + "-wal")), "the rows are still in the WAL, not checkpointed");
            writer.Dispose();
        }

        using var reopened = Database.Open(crashed);
        Assert.Equal(3, reopened.SchemaVersion);
        using (var check = reopened.Connection.CreateCommand())
        {
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", check.ExecuteScalar());
        }

        var rows = new CdrStore(reopened).Query(null, null, 100);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"call-{i}"), rows.Select(r => r.CallId));
        Assert.All(rows, r => Assert.Equal("NORMAL_CLEARING", r.HangupCause));
    }

    [Fact]
    public void QueuedRecordsAreStoredWhenTheWriterCloses()
    {
        using var database = Database.Open(Path.Combine(_root, "data"));
        var store = new CdrStore(database);
        using (var writer = new CdrWriter(store, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Enqueue(Record($"call-{i}", DateTimeOffset.UtcNow));
            }
        }

        Assert.Equal(100, store.Query(null, null, 1000).Count);
    }

    internal static CallDetailRecord Record(string callId, DateTimeOffset startedAt) => new()
    {
        Kind = CallDetailRecord.CallKind,
        CallId = callId,
        Direction = "inbound",
        User = "1000@localhost",
        CallerIdName = "Alice, \"the\" caller",
        CallerIdNumber = "1000",
        Protocol = "verto",
        RemoteAddress = "127.0.0.1:40000",
        Destination = "9196",
        StartedAt = startedAt,
        AnsweredAt = startedAt.AddSeconds(1),
        EndedAt = startedAt.AddSeconds(30),
        HangupCause = "NORMAL_CLEARING",
        HangupCauseCode = 16,
        AudioCodec = "opus/48000",
        PacketsSent = 1500,
        PacketsReceived = 1490,
        PacketsLost = 10,
        JitterMs = 3.25,
    };
}

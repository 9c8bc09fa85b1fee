using Microsoft.Data.Sqlite;

namespace MediaServer.Storage;

/// <summary>
/// The server's SQLite file (data/mediaserver.db): opened in WAL mode and migrated to the
/// newest schema at start. One connection, used under <see cref="Gate"/>: writes are small
/// and rare next to the signalling traffic, and SQLite serializes writers anyway.
/// </summary>
internal sealed class Database : IDisposable
{
    public const string FileName = "mediaserver.db";

    /// <summary>Schema steps, applied in order; PRAGMA user_version counts how many ran.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE live_arrays (
            channel    TEXT    NOT NULL,
            name       TEXT    NOT NULL,
            wire_serno INTEGER NOT NULL,
            PRIMARY KEY (channel, name)
        );
        CREATE TABLE live_array_rows (
            channel  TEXT    NOT NULL,
            name     TEXT    NOT NULL,
            hash_key TEXT    NOT NULL,
            position INTEGER NOT NULL,
            row_json TEXT    NOT NULL,
            PRIMARY KEY (channel, name, hash_key),
            FOREIGN KEY (channel, name) REFERENCES live_arrays (channel, name) ON DELETE CASCADE
        );
        CREATE INDEX live_array_rows_position ON live_array_rows (channel, name, position);
        """,
        """
        CREATE TABLE chat_messages (
            id           INTEGER PRIMARY KEY,
            conference   TEXT    NOT NULL,
            sender       TEXT    NOT NULL,
            sender_name  TEXT,
            message      TEXT    NOT NULL,
            type         TEXT    NOT NULL,
            sent_at_ms   INTEGER NOT NULL
        );
        CREATE INDEX chat_messages_conference ON chat_messages (conference, id);
        """,
        """
        CREATE TABLE cdrs (
            id                 INTEGER PRIMARY KEY,
            kind               TEXT    NOT NULL CHECK (kind IN ('call', 'member')),
            call_id            TEXT    NOT NULL,
            room               TEXT,
            member_id          INTEGER,
            direction          TEXT    NOT NULL,
            user_id            TEXT    NOT NULL,
            caller_id_name     TEXT,
            caller_id_number   TEXT,
            protocol           TEXT    NOT NULL,
            remote_address     TEXT,
            destination        TEXT    NOT NULL,
            started_at_ms      INTEGER NOT NULL,
            answered_at_ms     INTEGER,
            ended_at_ms        INTEGER NOT NULL,
            hangup_cause       TEXT    NOT NULL,
            hangup_cause_code  INTEGER NOT NULL,
            audio_codec        TEXT,
            video_codec        TEXT,
            packets_sent       INTEGER NOT NULL,
            packets_received   INTEGER NOT NULL,
            packets_lost       INTEGER NOT NULL,
            jitter_ms          REAL    NOT NULL,
            round_trip_ms      REAL,
            mos                REAL
        );
        CREATE INDEX cdrs_started ON cdrs (started_at_ms, id);
        """,
    ];

    private readonly SqliteConnection _connection;

    private Database(SqliteConnection connection)
    {
        _connection = connection;
    }

    public Lock Gate { get; } = new();

    public SqliteConnection Connection => _connection;

    public int SchemaVersion { get; private set; }

    public static Database Open(string dataDirectory)
    {
        SQLitePCL.Batteries_V2.Init();
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        connection.Open();
        var database = new Database(connection);
        database.Execute("PRAGMA journal_mode = WAL;");
        database.Execute("PRAGMA synchronous = NORMAL;");
        database.Execute("PRAGMA foreign_keys = ON;");
        database.Execute("PRAGMA busy_timeout = 5000;");
        database.Migrate();
        return database;
    }

    public string JournalMode()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string)command.ExecuteScalar()!;
    }

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private void Migrate()
    {
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "PRAGMA user_version;";
            SchemaVersion = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (SchemaVersion > Migrations.Length)
        {
            throw new InvalidOperationException($"{FileName} has schema version {SchemaVersion}, newer than this server ({Migrations.Length}); use a newer build or another --data folder.");
        }

        for (var version = SchemaVersion; version < Migrations.Length; version++)
        {
            using var transaction = _connection.BeginTransaction();
            using (var step = _connection.CreateCommand())
            {
                step.Transaction = transaction;
                step.CommandText = Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
                step.ExecuteNonQuery();
            }

            transaction.Commit();
            SchemaVersion = version + 1;
        }
    }
}

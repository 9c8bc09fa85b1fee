using MediaServer.Records;
using Microsoft.Data.Sqlite;

namespace MediaServer.Storage;

/// <summary>
/// Call detail records in SQLite (table cdrs). Each insert is one statement, hence its own
/// transaction: a crash loses at most the record being written, never one already stored,
/// and never leaves half a row. Written by <see cref="CdrWriter"/>'s worker, read by the
/// admin export; both under the database's gate.
/// </summary>
internal sealed class CdrStore
{
    private const string Columns =
        "id, kind, call_id, room, member_id, direction, user_id, caller_id_name, caller_id_number, protocol, remote_address, destination, " +
        "started_at_ms, answered_at_ms, ended_at_ms, hangup_cause, hangup_cause_code, audio_codec, video_codec, " +
        "packets_sent, packets_received, packets_lost, jitter_ms, round_trip_ms, mos";

    private readonly Database _database;

    public CdrStore(Database database)
    {
        _database = database;
    }

    /// <summary>Stores one record; returns its row id.</summary>
    public long Insert(CallDetailRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_database.Gate)
        {
            using var command = _database.Connection.CreateCommand();
            command.CommandText =
                "INSERT INTO cdrs (kind, call_id, room, member_id, direction, user_id, caller_id_name, caller_id_number, protocol, remote_address, destination, " +
                "started_at_ms, answered_at_ms, ended_at_ms, hangup_cause, hangup_cause_code, audio_codec, video_codec, packets_sent, packets_received, packets_lost, jitter_ms, round_trip_ms, mos) " +
                "VALUES ($kind, $call, $room, $member, $dir, $user, $cname, $cnum, $proto, $remote, $dest, $start, $answer, $end, $cause, $code, $audio, $video, $sent, $recv, $lost, $jitter, $rtt, $mos); SELECT last_insert_rowid();";
            Add(command, "$kind", record.Kind);
            Add(command, "$call", record.CallId);
            Add(command, "$room", record.Room);
            Add(command, "$member", record.MemberId);
            Add(command, "$dir", record.Direction);
            Add(command, "$user", record.User);
            Add(command, "$cname", record.CallerIdName);
            Add(command, "$cnum", record.CallerIdNumber);
            Add(command, "$proto", record.Protocol);
            Add(command, "$remote", record.RemoteAddress);
            Add(command, "$dest", record.Destination);
            Add(command, "$start", record.StartedAt.ToUnixTimeMilliseconds());
            Add(command, "$answer", record.AnsweredAt?.ToUnixTimeMilliseconds());
            Add(command, "$end", record.EndedAt.ToUnixTimeMilliseconds());
            Add(command, "$cause", record.HangupCause);
            Add(command, "$code", record.HangupCauseCode);
            Add(command, "$audio", record.AudioCodec);
            Add(command, "$video", record.VideoCodec);
            Add(command, "$sent", record.PacketsSent);
            Add(command, "$recv", record.PacketsReceived);
            Add(command, "$lost", record.PacketsLost);
            Add(command, "$jitter", record.JitterMs);
            Add(command, "$rtt", record.RoundTripMs);
            Add(command, "$mos", record.Mos);
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>
    /// Records whose call (or membership) started at or after <paramref name="from"/> and before
    /// <paramref name="to"/> (either may be null), oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public List<CallDetailRecord> Query(DateTimeOffset? from, DateTimeOffset? to, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var records = new List<CallDetailRecord>();
        lock (_database.Gate)
        {
            using var command = _database.Connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM cdrs WHERE started_at_ms >= $from AND started_at_ms < $to ORDER BY started_at_ms, id LIMIT $limit;";
            command.Parameters.AddWithValue("$from", from?.ToUnixTimeMilliseconds() ?? long.MinValue);
            command.Parameters.AddWithValue("$to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(Read(reader));
            }
        }

        return records;
    }

    private static CallDetailRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Kind = reader.GetString(1),
        CallId = reader.GetString(2),
        Room = NullableString(reader, 3),
        MemberId = reader.IsDBNull(4) ? null : reader.GetInt32(4),
        Direction = reader.GetString(5),
        User = reader.GetString(6),
        CallerIdName = NullableString(reader, 7),
        CallerIdNumber = NullableString(reader, 8),
        Protocol = reader.GetString(9),
        RemoteAddress = NullableString(reader, 10),
        Destination = reader.GetString(11),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
        AnsweredAt = reader.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
        EndedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(14)),
        HangupCause = reader.GetString(15),
        HangupCauseCode = reader.GetInt32(16),
        AudioCodec = NullableString(reader, 17),
        VideoCodec = NullableString(reader, 18),
        PacketsSent = reader.GetInt64(19),
        PacketsReceived = reader.GetInt64(20),
        PacketsLost = reader.GetInt64(21),
        JitterMs = reader.GetDouble(22),
        RoundTripMs = reader.IsDBNull(23) ? null : reader.GetDouble(23),
        Mos = reader.IsDBNull(24) ? null : reader.GetDouble(24),
    };

    private static string? NullableString(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static void Add(SqliteCommand command, string name, object? value) => command.Parameters.AddWithValue(name, value ?? DBNull.Value);
}

namespace MediaServer.Storage;

/// <summary>
/// Conference chat kept in SQLite (table chat_messages): every line sent to a room, with who
/// sent it and when. Verto has no history replay (§9.5); the live chat never waits on this
/// record, but our own history extension (a late joiner asking for the room's recent lines)
/// reads it, as do operators and later tools.
/// </summary>
internal sealed class ChatStore
{
    private readonly Database _database;

    public ChatStore(Database database)
    {
        _database = database;
    }

    public sealed record ChatLine(string Conference, string Sender, string? SenderName, string Message, string Type, long SentAtMs);

    public void Save(string conference, string sender, string? senderName, string message, string type)
    {
        lock (_database.Gate)
        {
            using var command = _database.Connection.CreateCommand();
            command.CommandText = "INSERT INTO chat_messages (conference, sender, sender_name, message, type, sent_at_ms) VALUES ($c, $s, $n, $m, $t, $at);";
            command.Parameters.AddWithValue("$c", conference);
            command.Parameters.AddWithValue("$s", sender);
            command.Parameters.AddWithValue("$n", (object?)senderName ?? DBNull.Value);
            command.Parameters.AddWithValue("$m", message);
            command.Parameters.AddWithValue("$t", type);
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The newest <paramref name="limit"/> lines of a conference, oldest first; with
    /// <paramref name="sinceMs"/> (Unix ms) only those sent at or after it. Room numbers are
    /// reused by later meetings: the bound keeps an earlier meeting's lines out of this one's history.
    /// </summary>
    public List<ChatLine> Recent(string conference, int limit, long sinceMs = long.MinValue)
    {
        var lines = new List<ChatLine>();
        lock (_database.Gate)
        {
            using var command = _database.Connection.CreateCommand();
            command.CommandText = "SELECT conference, sender, sender_name, message, type, sent_at_ms FROM chat_messages WHERE conference = $c AND sent_at_ms >= $since ORDER BY id DESC LIMIT $l;";
            command.Parameters.AddWithValue("$c", conference);
            command.Parameters.AddWithValue("$since", sinceMs);
            command.Parameters.AddWithValue("$l", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                lines.Add(new ChatLine(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
            }
        }

        lines.Reverse();
        return lines;
    }
}

using System.Text;
using Microsoft.Data.Sqlite;

namespace MediaServer.Storage;

/// <summary>
/// Keeps persistent live arrays in SQLite: each change is written in its own transaction
/// together with the array's wireSerno, so after a restart the array and its numbering go
/// on where they stopped (a client that kept its last serno sees no gap).
/// </summary>
internal sealed class LiveArrayStore
{
    private readonly Database _database;

    public LiveArrayStore(Database database)
    {
        _database = database;
    }

    public sealed record StoredArray(string Channel, string Name, long WireSerno, List<KeyValuePair<string, byte[]>> Rows);

    public List<StoredArray> LoadAll()
    {
        var arrays = new List<StoredArray>();
        lock (_database.Gate)
        {
            using (var command = _database.Connection.CreateCommand())
            {
                command.CommandText = "SELECT channel, name, wire_serno FROM live_arrays ORDER BY channel, name;";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    arrays.Add(new StoredArray(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), []));
                }
            }

            foreach (var array in arrays)
            {
                using var command = _database.Connection.CreateCommand();
                command.CommandText = "SELECT hash_key, row_json FROM live_array_rows WHERE channel = $c AND name = $n ORDER BY position;";
                command.Parameters.AddWithValue("$c", array.Channel);
                command.Parameters.AddWithValue("$n", array.Name);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    array.Rows.Add(new(reader.GetString(0), Encoding.UTF8.GetBytes(reader.GetString(1))));
                }
            }
        }

        return arrays;
    }

    /// <summary>Writes the whole array (used when an array becomes persistent).</summary>
    public void SaveAll(string channel, string name, long wireSerno, IReadOnlyList<KeyValuePair<string, byte[]>> rows)
    {
        Write(channel, name, wireSerno, (connection, transaction) =>
        {
            Run(connection, transaction, "DELETE FROM live_array_rows WHERE channel = $c AND name = $n;", channel, name);
            for (var i = 0; i < rows.Count; i++)
            {
                Run(connection, transaction, "INSERT INTO live_array_rows (channel, name, hash_key, position, row_json) VALUES ($c, $n, $k, $p, $j);", channel, name, rows[i].Key, i, rows[i].Value);
            }
        });
    }

    public void Insert(string channel, string name, long wireSerno, string key, int position, byte[] row)
    {
        Write(channel, name, wireSerno, (connection, transaction) =>
        {
            Run(connection, transaction, "UPDATE live_array_rows SET position = position + 1 WHERE channel = $c AND name = $n AND position >= $p;", channel, name, position: position);
            Run(connection, transaction, "INSERT INTO live_array_rows (channel, name, hash_key, position, row_json) VALUES ($c, $n, $k, $p, $j);", channel, name, key, position, row);
        });
    }

    public void Update(string channel, string name, long wireSerno, string key, byte[] row)
    {
        Write(channel, name, wireSerno, (connection, transaction) =>
            Run(connection, transaction, "UPDATE live_array_rows SET row_json = $j WHERE channel = $c AND name = $n AND hash_key = $k;", channel, name, key, row: row));
    }

    public void Delete(string channel, string name, long wireSerno, string key, int position)
    {
        Write(channel, name, wireSerno, (connection, transaction) =>
        {
            Run(connection, transaction, "DELETE FROM live_array_rows WHERE channel = $c AND name = $n AND hash_key = $k;", channel, name, key);
            Run(connection, transaction, "UPDATE live_array_rows SET position = position - 1 WHERE channel = $c AND name = $n AND position > $p;", channel, name, position: position);
        });
    }

    public void ClearRows(string channel, string name, long wireSerno)
    {
        Write(channel, name, wireSerno, (connection, transaction) =>
            Run(connection, transaction, "DELETE FROM live_array_rows WHERE channel = $c AND name = $n;", channel, name));
    }

    public void Remove(string channel, string name)
    {
        lock (_database.Gate)
        {
            using var transaction = _database.Connection.BeginTransaction();
            Run(_database.Connection, transaction, "DELETE FROM live_array_rows WHERE channel = $c AND name = $n;", channel, name);
            Run(_database.Connection, transaction, "DELETE FROM live_arrays WHERE channel = $c AND name = $n;", channel, name);
            transaction.Commit();
        }
    }

    private void Write(string channel, string name, long wireSerno, Action<SqliteConnection, SqliteTransaction> change)
    {
        lock (_database.Gate)
        {
            using var transaction = _database.Connection.BeginTransaction();
            using (var upsert = _database.Connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                upsert.CommandText = "INSERT INTO live_arrays (channel, name, wire_serno) VALUES ($c, $n, $s) ON CONFLICT (channel, name) DO UPDATE SET wire_serno = excluded.wire_serno;";
                upsert.Parameters.AddWithValue("$c", channel);
                upsert.Parameters.AddWithValue("$n", name);
                upsert.Parameters.AddWithValue("$s", wireSerno);
                upsert.ExecuteNonQuery();
            }

            change(_database.Connection, transaction);
            transaction.Commit();
        }
    }

    private static void Run(SqliteConnection connection, SqliteTransaction transaction, string sql, string channel, string name, string? key = null, int position = 0, byte[]? row = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$c", channel);
        command.Parameters.AddWithValue("$n", name);
        if (sql.Contains("$k", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$k", key);
        }

        if (sql.Contains("$p", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$p", position);
        }

        if (sql.Contains("$j", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$j", Encoding.UTF8.GetString(row!));
        }

        command.ExecuteNonQuery();
    }
}

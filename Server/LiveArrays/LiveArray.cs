using MediaServer.Events;
using MediaServer.Observability;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;
using MediaServer.Storage;
using Microsoft.Extensions.Logging;

namespace MediaServer.LiveArrays;

/// <summary>
/// A server-authoritative ordered map hashKey -> row, replicated to the subscribers of its
/// channel (verto-protocol.md §8). Every add, modify and del takes the next wireSerno and is
/// published under <see cref="_gate"/>, so every subscriber sees one gapless sequence; a
/// connection that cannot keep up is dropped by its transport, never skipped. Rows are kept
/// as the JSON text the client sent. A change's <c>accepted</c> callback runs under the gate
/// just before the change is published: the requester's answer then precedes the event it caused.
/// </summary>
internal sealed class LiveArray
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, byte[]> _rows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly EventBus _bus;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private LiveArrayStore? _store;
    private long _wireSerno;

    public LiveArray(string channel, string name, EventBus bus, ServerMetrics metrics, ILogger log)
    {
        Channel = channel;
        Name = name;
        _bus = bus;
        _metrics = metrics;
        _log = log;
    }

    public string Channel { get; }

    public string Name { get; }

    public bool Persistent => _store is not null;

    public long WireSerno
    {
        get
        {
            lock (_gate)
            {
                return _wireSerno;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>A copy of the rows in order, for tests and the persistence snapshot.</summary>
    public List<KeyValuePair<string, byte[]>> Snapshot()
    {
        lock (_gate)
        {
            return [.. _order.Select(k => new KeyValuePair<string, byte[]>(k, _rows[k]))];
        }
    }

    /// <summary>Adds a row at <paramref name="arrIndex"/> (appends when absent or out of range); a known key is modified instead, so no replica lists it twice.</summary>
    public string? Add(string key, byte[] row, int? arrIndex, int maxRows, Action? accepted = null)
    {
        lock (_gate)
        {
            if (_rows.ContainsKey(key))
            {
                return ModifyLocked(key, row, accepted);
            }

            if (_order.Count >= maxRows)
            {
                return $"liveArray is full ({maxRows} rows).";
            }

            var index = arrIndex is { } i && i >= 0 && i < _order.Count ? i : _order.Count;
            _order.Insert(index, key);
            _rows[key] = row;
            var serno = ++_wireSerno;
            Persist(store => store.Insert(Channel, Name, serno, key, index, row));
            accepted?.Invoke();
            Publish(LiveArrayPacket.Add, serno, key, index, row);
            return null;
        }
    }

    public string? Modify(string key, byte[] row, Action? accepted = null)
    {
        lock (_gate)
        {
            return _rows.ContainsKey(key) ? ModifyLocked(key, row, accepted) : "liveArray key not found.";
        }
    }

    public string? Delete(string key, Action? accepted = null)
    {
        lock (_gate)
        {
            if (!_rows.Remove(key, out var old))
            {
                return "liveArray key not found.";
            }

            var index = _order.IndexOf(key);
            _order.RemoveAt(index);
            var serno = ++_wireSerno;
            Persist(store => store.Delete(Channel, Name, serno, key, index));
            accepted?.Invoke();
            Publish(LiveArrayPacket.Delete, serno, key, null, old);
            return null;
        }
    }

    /// <summary>Empties the array and tells subscribers with a clear packet (serno -1: it resets their serno tracking, §8.2).</summary>
    public void Clear(Action? accepted = null)
    {
        lock (_gate)
        {
            _order.Clear();
            _rows.Clear();
            Persist(store => store.ClearRows(Channel, Name, _wireSerno));
            accepted?.Invoke();
            _bus.Publish(Channel, LiveArrayPacket.ClearAll(Channel, Name, null));
        }
    }

    /// <summary>
    /// Answers a bootstrap: the RPC result first, then the private bootObj, both under the gate
    /// so no change can slip between the snapshot and the requester's later packets (§8.3).
    /// </summary>
    public void Bootstrap(RpcCall call)
    {
        lock (_gate)
        {
            call.Reply(null);
            var connection = call.Connection;
            var boot = LiveArrayPacket.Boot(Channel, Name, connection.SessionId!, _order.Select(k => new KeyValuePair<string, byte[]>(k, _rows[k])));
            connection.Send(VertoEventEnvelope.Direct(connection.Server.NextRequestId(), boot));
        }
    }

    /// <summary>Starts or stops keeping this array in the database; starting writes it whole.</summary>
    public void SetStore(LiveArrayStore? store)
    {
        lock (_gate)
        {
            if (store == _store)
            {
                return;
            }

            if (store is null)
            {
                _store?.Remove(Channel, Name);
                _store = null;
                return;
            }

            _store = store;
            var rows = _order.Select(k => new KeyValuePair<string, byte[]>(k, _rows[k])).ToList();
            Persist(s => s.SaveAll(Channel, Name, _wireSerno, rows));
        }
    }

    /// <summary>Loads the state kept in the database at start-up, before anyone can subscribe.</summary>
    public void Restore(LiveArrayStore store, long wireSerno, IEnumerable<KeyValuePair<string, byte[]>> rows)
    {
        lock (_gate)
        {
            _store = store;
            _wireSerno = wireSerno;
            foreach (var (key, row) in rows)
            {
                _order.Add(key);
                _rows[key] = row;
            }
        }
    }

    /// <summary>Removes the array: subscribers get a clear, the database forgets it.</summary>
    public void Destroy(Action? accepted = null)
    {
        lock (_gate)
        {
            _order.Clear();
            _rows.Clear();
            accepted?.Invoke();
            _bus.Publish(Channel, LiveArrayPacket.ClearAll(Channel, Name, null));
            _store?.Remove(Channel, Name);
            _store = null;
        }
    }

    private string? ModifyLocked(string key, byte[] row, Action? accepted)
    {
        _rows[key] = row;
        var serno = ++_wireSerno;
        Persist(store => store.Update(Channel, Name, serno, key, row));
        accepted?.Invoke();
        Publish(LiveArrayPacket.Modify, serno, key, null, row);
        return null;
    }

    private void Publish(string action, long serno, string key, int? arrIndex, byte[] row)
    {
        Interlocked.Increment(ref _metrics.LiveArrayChanges);
        _bus.Publish(Channel, LiveArrayPacket.Change(Channel, action, Name, serno, key, arrIndex, row));
    }

    private void Persist(Action<LiveArrayStore> write)
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            write(_store);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            // Memory stays authoritative and subscribers stay in step; the operator sees the log.
            SignallingLog.PersistFailed(_log, e, Channel, Name);
        }
    }
}

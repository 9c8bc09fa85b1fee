using System.Collections.Concurrent;
using System.Text.Json;
using MediaServer.Events;
using MediaServer.Observability;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;
using MediaServer.Storage;
using Microsoft.Extensions.Logging;

namespace MediaServer.LiveArrays;

/// <summary>
/// All live arrays, keyed by (channel, name), and the <c>liveArray</c> commands that clients
/// send inside verto.broadcast. verto.js itself sends <c>bootstrap</c>, <c>heartbeat</c> and
/// <c>changepage</c>; applications also create and change their own arrays with
/// <c>create</c>, <c>add</c>, <c>modify</c>, <c>del</c>, <c>clear</c> and <c>destroy</c>
/// (README "Live arrays"), on channels they may publish to. Arrays on the server's own
/// families (conference-liveArray, ...) only the server changes.
/// </summary>
internal sealed class LiveArrayRegistry
{
    /// <summary>Longest hashKey accepted.</summary>
    public const int MaxKeyLength = 256;

    private readonly ConcurrentDictionary<(string Channel, string Name), LiveArray> _arrays = new();
    private readonly EventBus _bus;
    private readonly ServerMetrics _metrics;
    private readonly LiveArrayStore? _store;
    private readonly ILogger _log;
    private readonly int _maxArrays;
    private readonly int _maxRows;

    public LiveArrayRegistry(EventBus bus, ServerMetrics metrics, LiveArrayStore? store, ILogger log, int maxArrays, int maxRows)
    {
        _bus = bus;
        _metrics = metrics;
        _store = store;
        _log = log;
        _maxArrays = maxArrays;
        _maxRows = maxRows;
    }

    public int Count => _arrays.Count;

    public LiveArray? Find(string channel, string name) => _arrays.GetValueOrDefault((channel, name));

    /// <summary>Loads every persistent array at start-up.</summary>
    public void LoadPersisted()
    {
        if (_store is null)
        {
            return;
        }

        foreach (var stored in _store.LoadAll())
        {
            var array = new LiveArray(stored.Channel, stored.Name, _bus, _metrics, _log);
            array.Restore(_store, stored.WireSerno, stored.Rows);
            if (_arrays.TryAdd((stored.Channel, stored.Name), array))
            {
                Interlocked.Increment(ref _metrics.LiveArrays);
            }
        }
    }

    /// <summary>The array of that channel and name, made on first use; null when the server holds too many.</summary>
    public LiveArray? GetOrCreate(string channel, string name)
    {
        if (_arrays.TryGetValue((channel, name), out var existing))
        {
            return existing;
        }

        if (_arrays.Count >= _maxArrays)
        {
            return null;
        }

        var created = new LiveArray(channel, name, _bus, _metrics, _log);
        var array = _arrays.GetOrAdd((channel, name), created);
        if (array == created)
        {
            Interlocked.Increment(ref _metrics.LiveArrays);
        }

        return array;
    }

    /// <summary>Drops a server-owned array (a conference that ended): subscribers get a clear.</summary>
    public void Remove(string channel, string name)
    {
        if (_arrays.TryRemove((channel, name), out var array))
        {
            Interlocked.Decrement(ref _metrics.LiveArrays);
            array.Destroy();
        }
    }

    /// <summary>Handles <c>data.liveArray</c> of a verto.broadcast whose channel permission was already checked. Always answers the call.</summary>
    public void HandleCommand(RpcCall call, string channel, JsonElement command)
    {
        var verb = VertoDispatcher.StringParam(command, "command");
        var name = VertoDispatcher.StringParam(command, "name");
        var context = VertoDispatcher.StringParam(command, "context");
        if (context is not null && context != channel)
        {
            call.Reply(BroadcastHandler.Problem("Permission Denied."));
            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            call.Reply(BroadcastHandler.Problem("liveArray name missing."));
            return;
        }

        switch (verb)
        {
            case "bootstrap":
                Bootstrap(call, channel, name);
                return;
            case "heartbeat":
            case "changepage":
                call.Reply(null);
                return;
            case "create" or "add" or "modify" or "del" or "clear" or "destroy":
                break;
            default:
                call.Reply(BroadcastHandler.Problem("Unknown liveArray command."));
                return;
        }

        if (EventChannel.IsServerFamily(EventChannel.Family(channel)))
        {
            call.Reply(BroadcastHandler.Problem("Permission Denied."));
            return;
        }

        // verto.js's liveArray.sendCommand(cmd, obj) puts the arguments in "obj"; plain clients may put them beside "command".
        var arguments = command.TryGetProperty("obj"u8, out var obj) && obj.ValueKind == JsonValueKind.Object ? obj : command;
        // On success the answer is sent from inside the array's lock, before the change is published.
        void Accepted() => call.Reply(null);
        var problem = verb switch
        {
            "create" => Create(channel, name, arguments),
            "destroy" => Destroy(channel, name, Accepted),
            _ => Change(verb, channel, name, arguments, Accepted),
        };
        call.Reply(problem is null ? null : BroadcastHandler.Problem(problem));
    }

    private void Bootstrap(RpcCall call, string channel, string name)
    {
        if (Find(channel, name) is { } array)
        {
            array.Bootstrap(call);
            return;
        }

        // Nothing there yet: an empty bootObj, without making an array for it.
        call.Reply(null);
        var connection = call.Connection;
        var boot = LiveArrayPacket.Boot(channel, name, connection.SessionId!, []);
        connection.Send(VertoEventEnvelope.Direct(connection.Server.NextRequestId(), boot));
    }

    private string? Create(string channel, string name, JsonElement arguments)
    {
        var array = GetOrCreate(channel, name);
        if (array is null)
        {
            return "Too many liveArrays.";
        }

        if (arguments.TryGetProperty("persistent"u8, out var persistent) && persistent.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            if (persistent.ValueKind == JsonValueKind.True && _store is null)
            {
                return "liveArray persistence is not available.";
            }

            array.SetStore(persistent.ValueKind == JsonValueKind.True ? _store : null);
        }

        return null;
    }

    private string? Destroy(string channel, string name, Action accepted)
    {
        if (!_arrays.TryRemove((channel, name), out var array))
        {
            return "liveArray not found.";
        }

        Interlocked.Decrement(ref _metrics.LiveArrays);
        array.Destroy(accepted);
        return null;
    }

    private string? Change(string verb, string channel, string name, JsonElement arguments, Action accepted)
    {
        if (verb == "clear")
        {
            if (Find(channel, name) is not { } existing)
            {
                return "liveArray not found.";
            }

            existing.Clear(accepted);
            return null;
        }

        var key = VertoDispatcher.StringParam(arguments, "hashKey");
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            return "liveArray hashKey missing.";
        }

        if (verb == "del")
        {
            return Find(channel, name) is { } array ? array.Delete(key, accepted) : "liveArray not found.";
        }

        if (!arguments.TryGetProperty("data"u8, out var data))
        {
            return "liveArray data missing.";
        }

        var row = System.Text.Encoding.UTF8.GetBytes(data.GetRawText());
        if (verb == "modify")
        {
            return Find(channel, name) is { } array ? array.Modify(key, row, accepted) : "liveArray not found.";
        }

        var target = GetOrCreate(channel, name);
        if (target is null)
        {
            return "Too many liveArrays.";
        }

        int? index = arguments.TryGetProperty("arrIndex"u8, out var arrIndex) && arrIndex.ValueKind == JsonValueKind.Number && arrIndex.TryGetInt32(out var i) ? i : null;
        return target.Add(key, row, index, _maxRows, accepted);
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Bench.Load;

/// <summary>
/// One Janus session over the REST API (https://janus.conf.meetecho.com/docs/rest.html), with
/// one plugin handle: requests are POSTs to /janus/&lt;session&gt;/&lt;handle&gt; answered
/// synchronously ("success", or "ack" for requests the plugin answers later), and the
/// asynchronous answers arrive through a long poll, GET /janus/&lt;session&gt;, which also
/// keeps the session alive (every request refreshes Janus's session timeout, and an idle poll
/// returns a keepalive after 30 s, inside the 60 s timeout). Owned by its
/// <see cref="JanusAudioBridgeCaller"/>; the poll runs on the thread pool.
/// </summary>
internal sealed class JanusSession : IDisposable
{
    // One pool for every member: the long polls and the requests of hundreds of sessions.
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
    })
    {
        // Long polls last up to 30 s; every call has its own cancellation.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly Uri _base;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _events = new();
    private readonly CancellationTokenSource _stopPolling = new();
    private Task _poll = Task.CompletedTask;
    private long _session;
    private long _handle;
    // Set before "destroy": Janus then ends the pending long poll however it likes, which is
    // not a dropped session.
    private volatile bool _closing;

    public JanusSession(Uri baseUrl)
    {
        // Relative paths resolve under it only with a trailing slash.
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    /// <summary>Set when the poll saw Janus end the PeerConnection ("hangup") or the handle ("detached").</summary>
    public string? Hangup { get; private set; }

    /// <summary>Set when the long poll failed while the session was meant to be up.</summary>
    public string? PollFailure { get; private set; }

    /// <summary>Creates the session, attaches <paramref name="plugin"/> and starts the long poll.</summary>
    public async Task OpenAsync(string plugin, CancellationToken cancellation)
    {
        JsonObject created = await PostAsync(_base, new JsonObject { ["janus"] = "create" }, cancellation);
        _session = Id(created, "create");
        JsonObject attached = await PostAsync(SessionUrl, new JsonObject { ["janus"] = "attach", ["plugin"] = plugin }, cancellation);
        _handle = Id(attached, "attach");
        _poll = PollAsync(_stopPolling.Token);
    }

    /// <summary>A plugin request answered at once ("success" with plugindata); returns plugindata.data.</summary>
    public async Task<JsonObject> RequestAsync(JsonObject body, CancellationToken cancellation)
    {
        JsonObject answer = await PostAsync(HandleUrl, new JsonObject { ["janus"] = "message", ["body"] = body }, cancellation);
        return PluginData(answer) ?? throw new InvalidDataException("Janus answered without plugindata: " + answer.ToJsonString());
    }

    /// <summary>
    /// A plugin request answered later (Janus says "ack", then sends an event with the same
    /// transaction through the poll); returns that event.
    /// </summary>
    public async Task<JsonObject> RequestEventAsync(JsonObject body, JsonObject? jsep, CancellationToken cancellation)
    {
        string transaction = NewTransaction();
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _events[transaction] = waiter;
        try
        {
            var message = new JsonObject { ["janus"] = "message", ["body"] = body };
            if (jsep is not null)
            {
                message["jsep"] = jsep;
            }
            JsonObject answer = await PostAsync(HandleUrl, message, cancellation, transaction);
            if ((string?)answer["janus"] == "success")
            {
                // Some requests are answered at once after all.
                return answer;
            }
            return await waiter.Task.WaitAsync(cancellation);
        }
        finally
        {
            _events.TryRemove(transaction, out _);
        }
    }

    /// <summary>Destroys the session (which detaches the handle and hangs its PeerConnection up); true when Janus said "success".</summary>
    public async Task<bool> DestroyAsync(CancellationToken cancellation)
    {
        if (_session == 0)
        {
            return false;
        }
        _closing = true;
        try
        {
            JsonObject answer = await PostAsync(SessionUrl, new JsonObject { ["janus"] = "destroy" }, cancellation);
            return (string?)answer["janus"] == "success";
        }
        finally
        {
            await _stopPolling.CancelAsync();
            await _poll.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _stopPolling.Cancel();
        _stopPolling.Dispose();
    }

    /// <summary>plugindata.data of a Janus message, or null.</summary>
    public static JsonObject? PluginData(JsonObject message) => message["plugindata"]?["data"] as JsonObject;

    private Uri SessionUrl => new(_base, _session.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private Uri HandleUrl => new(_base, _session.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/"
                                        + _handle.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task PollAsync(CancellationToken stop)
    {
        var url = new Uri(SessionUrl.AbsoluteUri + "?maxev=5");
        try
        {
            while (!stop.IsCancellationRequested)
            {
                JsonNode? node = JsonNode.Parse(await Http.GetStringAsync(url, stop));
                IEnumerable<JsonNode?> messages = node is JsonArray array ? array : [node];
                foreach (JsonObject message in messages.OfType<JsonObject>())
                {
                    Dispatch(message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when ((ex is HttpRequestException or JsonException or OperationCanceledException) && _closing)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException)
        {
            PollFailure = VertoConnection.Describe(ex);
            foreach (TaskCompletionSource<JsonObject> waiter in _events.Values)
            {
                waiter.TrySetException(new IOException("Janus long poll failed: " + PollFailure));
            }
        }
    }

    private void Dispatch(JsonObject message)
    {
        switch ((string?)message["janus"])
        {
            case "event":
                if ((string?)message["transaction"] is { } transaction && _events.TryGetValue(transaction, out var waiter))
                {
                    waiter.TrySetResult(message);
                }
                break;
            case "hangup":
                Hangup = "hangup: " + ((string?)message["reason"] ?? "(no reason)");
                break;
            case "detached":
                Hangup ??= "detached";
                break;
            case "error":
                // An error for a request the poll carries (rare in REST): fail its waiter.
                if ((string?)message["transaction"] is { } failed && _events.TryGetValue(failed, out var failedWaiter))
                {
                    failedWaiter.TrySetException(new InvalidDataException("Janus error: " + message["error"]?.ToJsonString()));
                }
                break;
            // keepalive, webrtcup, media, slowlink, trickle: nothing to do.
        }
    }

    private static async Task<JsonObject> PostAsync(Uri url, JsonObject request, CancellationToken cancellation, string? transaction = null)
    {
        request["transaction"] = transaction ?? NewTransaction();
        using var content = new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Http.PostAsync(url, content, cancellation);
        response.EnsureSuccessStatusCode();
        JsonObject answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellation)) as JsonObject
                            ?? throw new InvalidDataException("Janus answered something other than an object");
        if ((string?)answer["janus"] == "error")
        {
            throw new InvalidDataException("Janus error: " + answer["error"]?.ToJsonString());
        }
        return answer;
    }

    private static long Id(JsonObject answer, string what) =>
        (long?)answer["data"]?["id"] ?? throw new InvalidDataException($"Janus {what} answered without data.id: " + answer.ToJsonString());

    private static string NewTransaction() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
}

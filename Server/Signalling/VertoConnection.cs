using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Events;
using MediaServer.Observability;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Protocol.Verto;
using MediaServer.Security;

namespace MediaServer.Signalling;

/// <summary>
/// One Verto client connection: framing, the authentication gate, the rate limit, the speed
/// test and its subscriptions; independent of the socket below (<see cref="IVertoTransport"/>).
/// Frames arrive one at a time from the transport's receive loop, so everything but sending,
/// the dynamic channel grants and the watchdog's <see cref="OnTick"/> runs on one logical thread.
/// </summary>
internal sealed class VertoConnection
{
    private readonly VertoServer _server;
    private readonly IVertoTransport _transport;
    private readonly RpcCall _call;
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _subscriptionGate = new();
    private readonly ConcurrentDictionary<string, byte> _grantedChannels = new(StringComparer.Ordinal);
    private TokenBucket _bucket;
    private long _rejectWindowStartMs;
    private int _rejectsInWindow;
    private long _speedTestStart;
    private long _speedTestBytes;
    private bool _clientReadySent;
    private bool _clientReadyDue;
    private volatile AuthenticatedUser? _user;

    public VertoConnection(VertoServer server, IVertoTransport transport, long id, long nowMs)
    {
        _server = server;
        _transport = transport;
        _call = new RpcCall(this);
        Id = id;
        OpenedAtMs = nowMs;
        LastReceivedMs = nowMs;
        _bucket = new TokenBucket(server.Limits.MessagesPerSecond, server.Limits.MessageBurst, nowMs);
    }

    public long Id { get; }

    public VertoServer Server => _server;

    public IPAddress RemoteAddress => _transport.RemoteAddress;

    /// <summary>address:port of the peer (IPv6 in brackets), as call records show it.</summary>
    public string RemoteEndPoint => new IPEndPoint(_transport.RemoteAddress, _transport.RemotePort).ToString();

    public long OpenedAtMs { get; }

    public long LastReceivedMs { get; private set; }

    public long LastPingSentMs { get; private set; }

    public AuthenticatedUser? User => _user;

    public bool IsAuthenticated => _user is not null;

    /// <summary>The sessid bound at login (§1.5); null before.</summary>
    public string? SessionId { get; private set; }

    /// <summary>The names this connection is subscribed to (a copy).</summary>
    public IReadOnlyCollection<string> SubscriptionNames
    {
        get
        {
            lock (_subscriptionGate)
            {
                return [.. _subscriptions.Keys];
            }
        }
    }

    public bool HasSubscription(string name)
    {
        lock (_subscriptionGate)
        {
            return _subscriptions.ContainsKey(name);
        }
    }

    public int SubscriptionCount
    {
        get
        {
            lock (_subscriptionGate)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Handles one complete text frame: a speed-test frame or one JSON value.</summary>
    public void OnTextFrame(ReadOnlyMemory<byte> frame)
    {
        LastReceivedMs = Environment.TickCount64;
        Interlocked.Increment(ref _server.Metrics.MessagesIn);
        if (SpeedTestFrame.IsSpeedTest(frame.Span))
        {
            OnSpeedTestFrame(frame.Span);
            return;
        }

        if (!JsonRpcFrame.TryParse(frame, out var document))
        {
            Interlocked.Increment(ref _server.Metrics.InvalidFrames);
            Send(JsonRpcWriter.Error(default, JsonRpcErrorCode.InvalidRequest, JsonRpcErrorMessage.InvalidRequest));
            return;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                OnBatch(root);
            }
            else
            {
                OnMessage(root, null);
            }
        }

        if (_clientReadyDue)
        {
            _clientReadyDue = false;
            // §6.6: detached calls of this sessid are offered again first, then clientReady lists them.
            var reattached = new JsonArray();
            foreach (var callId in _server.Calls?.Reattach(this) ?? [])
            {
                reattached.Add(callId);
            }

            SendRequest(VertoMethod.ClientReady, new JsonObject { ["reattached_sessions"] = reattached });
        }
    }

    /// <summary>Verto has no binary frames; answer like any unparseable frame and keep the connection.</summary>
    public void OnBinaryFrame()
    {
        LastReceivedMs = Environment.TickCount64;
        Interlocked.Increment(ref _server.Metrics.InvalidFrames);
        Send(JsonRpcWriter.Error(default, JsonRpcErrorCode.InvalidRequest, JsonRpcErrorMessage.InvalidRequest));
    }

    /// <summary>Queues a frame to this client; false if the connection is closing or was dropped for not reading.</summary>
    public bool Send(byte[] message)
    {
        if (!_transport.Send(message))
        {
            return false;
        }

        Interlocked.Increment(ref _server.Metrics.MessagesOut);
        Interlocked.Add(ref _server.Metrics.BytesOut, message.Length);
        return true;
    }

    /// <summary>Sends a server-to-client request with a fresh server id; Verto clients do not answer most of them (§1.4).</summary>
    public bool SendRequest(string method, JsonObject parameters) => Send(JsonRpcWriter.Request(_server.NextRequestId(), method, parameters));

    /// <summary>Grants a channel beyond the user's own permissions (a conference does this on join, §2.4).</summary>
    public void GrantChannel(string channel) => _grantedChannels.TryAdd(channel, 0);

    /// <summary>
    /// Takes a granted channel back (a member left its conference) and ends any subscription to
    /// it, so a client that does not unsubscribe cannot go on listening to a room it left.
    /// </summary>
    public void RevokeChannel(string channel)
    {
        _grantedChannels.TryRemove(channel, out _);
        if (_user is { } user && user.Permissions.MayUseChannel(channel))
        {
            return;
        }

        if (RemoveSubscription(channel, out var subscription))
        {
            _server.Bus.Unsubscribe(subscription!);
        }
    }

    /// <summary>May this connection subscribe or publish to the channel (its user's rights plus its grants)?</summary>
    public bool MayUseChannel(string channel) =>
        _user is { } user && (_grantedChannels.ContainsKey(channel) || user.Permissions.MayUseChannel(channel));

    /// <summary>Marks the connection authenticated and bound to a sessid; the login handler calls this.</summary>
    public void Authenticated(AuthenticatedUser user, string sessid)
    {
        if (SessionId is not null && SessionId != sessid)
        {
            _server.Sessions.Unbind(SessionId, this);
        }

        if (_user is null)
        {
            Interlocked.Increment(ref _server.Metrics.SessionsAuthenticated);
        }

        SessionId = sessid;
        _user = user;
        if (!_clientReadySent)
        {
            // verto.clientReady follows the reply of the request that authenticated (§4.9).
            _clientReadySent = true;
            _clientReadyDue = true;
        }
    }

    public void AddSubscription(Subscription subscription)
    {
        lock (_subscriptionGate)
        {
            _subscriptions[subscription.Name] = subscription;
        }
    }

    public bool RemoveSubscription(string name, out Subscription? subscription)
    {
        lock (_subscriptionGate)
        {
            return _subscriptions.Remove(name, out subscription);
        }
    }

    /// <summary>Tells this (older) connection that a newer one took its sessid over, then closes it (§4.10).</summary>
    public void Punt()
    {
        Interlocked.Increment(ref _server.Metrics.Punts);
        SendRequest(VertoMethod.Punt, []);
        _transport.Close(WebSocketCloseStatus.NormalClosure, "punted: sessid taken over by a newer connection");
    }

    public void Close(WebSocketCloseStatus status, string reason) => _transport.Close(status, reason);

    /// <summary>The watchdog's once-a-second look: login timeout, keepalive ping, stuck sends.</summary>
    public void OnTick(long nowMs)
    {
        var limits = _server.Limits;
        if (_user is null)
        {
            if (nowMs - OpenedAtMs > limits.LoginTimeoutSeconds * 1000L)
            {
                SignallingLog.Dropped(_server.Log, Id, RemoteAddress, "no login before the login timeout");
                _transport.Close(WebSocketCloseStatus.PolicyViolation, "login timeout");
            }

            return;
        }

        var sendStarted = _transport.SendStartedMs;
        if (sendStarted != 0 && nowMs - sendStarted > limits.SendTimeoutSeconds * 1000L)
        {
            Interlocked.Increment(ref _server.Metrics.SlowClientsDropped);
            SignallingLog.Dropped(_server.Log, Id, RemoteAddress, "a send was blocked past the send timeout");
            _transport.Abort("send timeout");
            return;
        }

        var keepalive = limits.KeepaliveSeconds * 1000L;
        if (nowMs - LastReceivedMs >= keepalive && nowMs - LastPingSentMs >= keepalive)
        {
            LastPingSentMs = nowMs;
            SendRequest(VertoMethod.Ping, new JsonObject { ["serno"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
        }
    }

    /// <summary>Called once by the transport after its receive loop ended: leave every channel and the sessid.</summary>
    public void OnClosed()
    {
        List<Subscription> subscriptions;
        lock (_subscriptionGate)
        {
            subscriptions = [.. _subscriptions.Values];
            _subscriptions.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            _server.Bus.Unsubscribe(subscription);
        }
        _server.Calls?.OnConnectionClosed(this);
        if (SessionId is not null)
        {
            _server.Sessions.Unbind(SessionId, this);
        }

        if (_user is not null)
        {
            Interlocked.Decrement(ref _server.Metrics.SessionsAuthenticated);
        }

        _server.Forget(this);
    }

    private void OnBatch(JsonElement root)
    {
        if (root.GetArrayLength() == 0)
        {
            Send(JsonRpcWriter.Error(default, JsonRpcErrorCode.InvalidRequest, JsonRpcErrorMessage.InvalidRequest));
            return;
        }

        var replies = new List<byte[]>();
        foreach (var element in root.EnumerateArray())
        {
            OnMessage(element, replies);
        }

        if (replies.Count > 0)
        {
            Send(JsonRpcWriter.Batch(replies));
        }
    }

    private void OnMessage(JsonElement element, List<byte[]>? batch)
    {
        var message = JsonRpcMessage.Classify(element);
        switch (message.Kind)
        {
            case JsonRpcMessageKind.Response:
                return; // answers to our own requests: nothing waits for them (§1.4)
            case JsonRpcMessageKind.NotAnObject:
                Interlocked.Increment(ref _server.Metrics.InvalidFrames);
                Emit(batch, JsonRpcWriter.Error(default, JsonRpcErrorCode.InvalidRequest, JsonRpcErrorMessage.InvalidRequest));
                return;
            case JsonRpcMessageKind.InvalidVersion:
                Interlocked.Increment(ref _server.Metrics.InvalidFrames);
                Emit(batch, JsonRpcWriter.Error(message.Id, JsonRpcErrorCode.InvalidRequest, JsonRpcErrorMessage.InvalidMessage));
                return;
            case JsonRpcMessageKind.MissingMethod:
                Emit(batch, JsonRpcWriter.Error(message.Id, JsonRpcErrorCode.MethodNotFound, JsonRpcErrorMessage.InvalidMethod));
                return;
        }

        var now = Environment.TickCount64;
        if (!_bucket.TryTake(now))
        {
            OnRateLimited(message, batch, now);
            return;
        }

        _call.Reset(message, batch);
        try
        {
            VertoDispatcher.Dispatch(_call);
            if (!_call.Replied)
            {
                _call.Reply(null);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _server.Metrics.HandlerErrors);
            SignallingLog.HandlerFailed(_server.Log, e, message.Method ?? "?");
            _call.FailSession(JsonRpcErrorMessage.UnexpectedError);
        }

        if (_call.CloseAfterReply)
        {
            _transport.Close(WebSocketCloseStatus.PolicyViolation, JsonRpcErrorMessage.SessionInUse);
        }
    }

    private void OnRateLimited(JsonRpcMessage message, List<byte[]>? batch, long now)
    {
        Interlocked.Increment(ref _server.Metrics.RateLimited);
        Emit(batch, JsonRpcWriter.Error(message.Id, JsonRpcErrorCode.RateLimited, JsonRpcErrorMessage.RateLimited));
        if (now - _rejectWindowStartMs > 1000)
        {
            _rejectWindowStartMs = now;
            _rejectsInWindow = 0;
        }

        // A client that keeps going after being told, a whole burst's worth (at least 100) in
        // one second, is abusive rather than bursty: close it instead of answering forever.
        if (++_rejectsInWindow > Math.Max(100, _server.Limits.MessageBurst))
        {
            SignallingLog.Dropped(_server.Log, Id, RemoteAddress, "kept sending over the rate limit");
            _transport.Close(WebSocketCloseStatus.PolicyViolation, JsonRpcErrorMessage.RateLimited);
        }
    }

    private void Emit(List<byte[]>? batch, byte[] response)
    {
        if (batch is not null)
        {
            batch.Add(response);
        }
        else
        {
            Send(response);
        }
    }

    private void OnSpeedTestFrame(ReadOnlySpan<byte> frame)
    {
        if (_user is null)
        {
            // The reference server closes a socket that starts a speed test before logging in.
            _transport.Close(WebSocketCloseStatus.PolicyViolation, "speed test before login");
            return;
        }

        switch (SpeedTestFrame.Classify(frame, out var bytes))
        {
            case SpeedTestFrameKind.Upload:
                _speedTestStart = Stopwatch.GetTimestamp();
                _speedTestBytes = bytes;
                break;
            case SpeedTestFrameKind.End when _speedTestStart != 0:
                var uploadMs = (long)Stopwatch.GetElapsedTime(_speedTestStart).TotalMilliseconds;
                _speedTestStart = 0;
                Send(SpeedTestFrame.Report(download: false, uploadMs));
                _transport.SendSpeedTestDownload(_speedTestBytes);
                break;
        }
    }
}

using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace MediaServer.Bench.Load;

/// <summary>
/// One simulated Verto client: connects, logs in, subscribes to its room, then broadcasts on
/// a fixed schedule while a single receive loop counts the events that come back.
/// Each counter has exactly one writer (the send loop or the receive loop); the run reads
/// them with <see cref="Volatile"/> while draining and plainly once the loops have ended.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private const long SubscribeId = 3;
    private const long FirstBroadcastId = 4;
    // A stalled sender may send this many late broadcasts back to back, no more; the rest of
    // the missed slots are skipped so a hiccup does not turn into a burst the rate limiter hits.
    private const int MaxCatchUp = 3;

    private readonly VertoConnection _connection;
    private readonly Measurements _measurements;
    private readonly Credential _credential;
    private readonly JsonEncodedText _channel;
    private readonly long[] _lastSequenceFrom;
    private long _nextId = FirstBroadcastId;
    private long _sequence;
    private Task _receiveLoop = Task.CompletedTask;
    private volatile bool _closing;
    private volatile bool _dropped;
    private volatile bool _ready;

    // Receive loop counters.
    private long _eventsReceived;
    private long _eventsInWindow;
    private long _sequenceGaps;
    private long _broadcastResponses;
    private long _serverRequests;
    private long _rejectedInWindow;

    // Send loop counters.
    private long _sent;
    private long _sentInWindow;
    private long _skipped;
    private long _firstWindowId = long.MaxValue;
    private long _lastWindowId = -1;

    public LoadClient(int index, int room, Credential credential, int connectionCount, bool insecure, Measurements measurements)
    {
        Index = index;
        Room = room;
        _credential = credential;
        _measurements = measurements;
        _channel = JsonEncodedText.Encode(LoadOptions.ChannelName(room));
        _lastSequenceFrom = new long[connectionCount];
        Array.Fill(_lastSequenceFrom, -1);
        _connection = new VertoConnection(insecure, measurements.Errors.Add);
    }

    public int Index { get; }

    public int Room { get; }

    public bool Ready => _ready;

    public bool Dropped => _dropped;

    public bool ClosedCleanly { get; private set; }

    public double LoginMilliseconds { get; private set; }

    public long EventsReceived => Volatile.Read(ref _eventsReceived);

    public long EventsInWindow => Volatile.Read(ref _eventsInWindow);

    public long SequenceGaps => Volatile.Read(ref _sequenceGaps);

    public long BroadcastResponses => Volatile.Read(ref _broadcastResponses);

    public long ServerRequests => Volatile.Read(ref _serverRequests);

    /// <summary>In-window broadcasts the server answered with an error; they deliver no events.</summary>
    public long RejectedInWindow => Volatile.Read(ref _rejectedInWindow);

    public long Sent => Volatile.Read(ref _sent);

    public long SentInWindow => Volatile.Read(ref _sentInWindow);

    public long Skipped => Volatile.Read(ref _skipped);

    /// <summary>Connect, log in and subscribe. On failure the error is tallied and false returned.</summary>
    public async Task<bool> SetUpAsync(Uri url, TimeSpan timeout, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        CancellationToken token = limit.Token;
        string stage = "connect";
        try
        {
            await _connection.ConnectAsync(url, token);

            stage = "login";
            string? loginError = await _connection.LoginAsync(_credential, AwaitResponseAsync, token);
            if (loginError is not null)
            {
                _measurements.Errors.Add(loginError, ReceivedText());
                await _connection.CloseAfterFailedSetupAsync();
                return false;
            }
            LoginMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            stage = "subscribe";
            await SendAsync(WriteSubscribe(), token);
            IncomingMessage subscribed = await AwaitResponseAsync(SubscribeId, token);
            if (subscribed.HasError || !subscribed.HasResult || subscribed.ResultHasCode
                || !subscribed.ResultHasSubscribedChannels || subscribed.ResultHasUnauthorizedChannels)
            {
                _measurements.Errors.Add("subscribe_failed", ReceivedText());
                await _connection.CloseAfterFailedSetupAsync();
                return false;
            }

            _ready = true;
            _receiveLoop = ReceiveLoopAsync();
            return true;
        }
        catch (OperationCanceledException)
        {
            _measurements.Errors.Add(stage + "_timeout", null);
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidDataException or HttpRequestException or IOException)
        {
            _measurements.Errors.Add(stage + "_failed", Describe(ex));
        }
        _connection.Abort();
        return false;
    }

    /// <summary>
    /// Broadcasts on slots start + phase + k·interval until <paramref name="stop"/>. Slots are
    /// computed from the start, not from the previous send, so timer lateness never accumulates.
    /// </summary>
    public async Task SendLoopAsync(long start, long interval, long phase, long stop, CancellationToken cancellation)
    {
        long slot = 0;
        try
        {
            while (!_dropped)
            {
                long due = start + phase + slot * interval;
                if (due >= stop)
                {
                    break;
                }
                long now = Stopwatch.GetTimestamp();
                if (due > now)
                {
                    await Task.Delay(DelayFor(due - now), cancellation);
                }
                else if (now - due > MaxCatchUp * interval)
                {
                    long current = (now - start - phase) / interval;
                    _skipped += current - slot;
                    slot = current;
                    if (start + phase + slot * interval >= stop)
                    {
                        break;
                    }
                }
                if (_dropped)
                {
                    break;
                }
                await SendBroadcastAsync(cancellation);
                slot++;
            }
        }
        catch (OperationCanceledException)
        {
            // Slots end at the window's end, so only a send blocked past the grace period
            // (or the run's hard limit) gets here; cancelling it has aborted the socket.
            if (!_dropped)
            {
                _measurements.Errors.Add("send_stalled", "a send did not complete within the grace period after the window");
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            if (!_dropped && !_closing)
            {
                _measurements.Errors.Add("send_failed", Describe(ex));
            }
        }
    }

    /// <summary>Sends our close frame and waits for the receive loop to see the server's.</summary>
    public async Task CloseAsync(CancellationToken cancellation)
    {
        if (!_ready)
        {
            return;
        }
        _closing = true;
        try
        {
            if (_connection.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _connection.CloseOutputAsync(cancellation);
            }
            await _receiveLoop.WaitAsync(cancellation);
            ClosedCleanly = _connection.State == WebSocketState.Closed && !_dropped;
        }
        catch (OperationCanceledException)
        {
            _measurements.Errors.Add("close_timeout", "the close handshake did not finish within the close time limit");
            _connection.Abort();
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            _measurements.Errors.Add("close_failed", Describe(ex));
            _connection.Abort();
        }
    }

    public void Dispose() => _connection.Dispose();

    private async Task<IncomingMessage> AwaitResponseAsync(long id, CancellationToken cancellation)
    {
        while (true)
        {
            if (!await _connection.ReceiveMessageAsync(cancellation))
            {
                throw new WebSocketException(
                    $"server closed the connection: {_connection.CloseStatus} {_connection.CloseStatusDescription}");
            }
            bool parsed = IncomingMessage.TryParse(_connection.Received, out IncomingMessage message);
            if (parsed && !message.HasMethod && message.HasId && message.Id == id)
            {
                return message;
            }
            HandleMessage(parsed, message);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (await _connection.ReceiveMessageAsync(CancellationToken.None))
            {
                bool parsed = IncomingMessage.TryParse(_connection.Received, out IncomingMessage message);
                HandleMessage(parsed, message);
            }
            if (!_closing)
            {
                MarkDropped($"server closed the connection: {_connection.CloseStatus} {_connection.CloseStatusDescription}");
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidDataException
                                       or OperationCanceledException or ObjectDisposedException)
        {
            if (!_closing)
            {
                MarkDropped(Describe(ex));
            }
        }
    }

    private void MarkDropped(string reason)
    {
        _dropped = true;
        _measurements.Errors.Add("dropped", reason);
    }

    private void HandleMessage(bool parsed, in IncomingMessage message)
    {
        if (!parsed)
        {
            _measurements.Errors.Add("unparseable_message", ReceivedText());
            return;
        }
        if (message.HasMethod)
        {
            if (message.IsEvent)
            {
                if (message.HasEventData)
                {
                    RecordEvent(message);
                }
                else
                {
                    _measurements.Errors.Add("event_without_load_data", ReceivedText());
                }
            }
            else if (message.HasCallId)
            {
                // We never place calls, so call traffic means the server confused sessions.
                _measurements.Errors.Add("unexpected_call_request", ReceivedText());
            }
            else
            {
                // verto.clientReady, verto.ping and the like: never answered, by design.
                _serverRequests++;
            }
            return;
        }
        if (message.HasId && message.Id >= FirstBroadcastId && message.Id < _nextId)
        {
            bool rejected = true;
            if (message.HasError)
            {
                _measurements.Errors.Add($"broadcast_error({message.ErrorCode})", ReceivedText());
            }
            else if (!message.HasResult)
            {
                _measurements.Errors.Add("broadcast_response_without_result", ReceivedText());
            }
            else if (message.ResultHasCode)
            {
                _measurements.Errors.Add($"broadcast_failed({message.ResultCode})", ReceivedText());
            }
            else
            {
                rejected = false;
            }
            if (rejected && message.Id >= Volatile.Read(ref _firstWindowId) && message.Id <= Volatile.Read(ref _lastWindowId))
            {
                _rejectedInWindow++;
            }
            Volatile.Write(ref _broadcastResponses, _broadcastResponses + 1);
            return;
        }
        _measurements.Errors.Add("unexpected_message", ReceivedText());
    }

    private void RecordEvent(in IncomingMessage message)
    {
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _eventsReceived, _eventsReceived + 1);
        long sender = message.SenderIndex;
        if ((ulong)sender >= (ulong)_lastSequenceFrom.Length)
        {
            _measurements.Errors.Add("bad_sender_index", ReceivedText());
            return;
        }
        long last = _lastSequenceFrom[sender];
        if (message.Sequence <= last)
        {
            _measurements.Errors.Add("out_of_order", ReceivedText());
        }
        else
        {
            // Every client subscribes before anyone sends, so each receiver should see every
            // sequence number of every sender in its room starting from 0.
            _sequenceGaps += message.Sequence - last - 1;
            _lastSequenceFrom[sender] = message.Sequence;
        }
        if (_measurements.InWindow(message.SendTimestamp))
        {
            Volatile.Write(ref _eventsInWindow, _eventsInWindow + 1);
            _measurements.Latency.Record((now - message.SendTimestamp) * 1_000_000 / Stopwatch.Frequency);
        }
    }

    private async Task SendBroadcastAsync(CancellationToken cancellation)
    {
        long timestamp = Stopwatch.GetTimestamp();
        bool inWindow = _measurements.InWindow(timestamp);
        if (inWindow)
        {
            // In-window sends are consecutive, so their request ids form one range; publish it
            // before sending so the receive loop can attribute a rejection to the window.
            if (_firstWindowId == long.MaxValue)
            {
                Volatile.Write(ref _firstWindowId, _nextId);
            }
            Volatile.Write(ref _lastWindowId, _nextId);
        }
        ReadOnlyMemory<byte> payload = WriteBroadcast(timestamp);
        await SendAsync(payload, cancellation);
        Volatile.Write(ref _sent, _sent + 1);
        if (inWindow)
        {
            Volatile.Write(ref _sentInWindow, _sentInWindow + 1);
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellation) =>
        _connection.SendAsync(payload, cancellation);

    private ReadOnlyMemory<byte> WriteSubscribe()
    {
        Utf8JsonWriter writer = _connection.StartRequest("verto.subscribe"u8);
        writer.WriteString("eventChannel"u8, _channel);
        return _connection.EndRequest(SubscribeId);
    }

    private ReadOnlyMemory<byte> WriteBroadcast(long timestamp)
    {
        Utf8JsonWriter writer = _connection.StartRequest("verto.broadcast"u8);
        writer.WriteString("eventChannel"u8, _channel);
        writer.WriteBoolean("localBroadcast"u8, true);
        writer.WriteStartObject("data"u8);
        writer.WriteNumber("t"u8, timestamp);
        writer.WriteNumber("c"u8, Index);
        writer.WriteNumber("n"u8, _sequence++);
        writer.WriteEndObject();
        return _connection.EndRequest(_nextId++);
    }

    private string ReceivedText() => _connection.ReceivedText();

    private static string Describe(Exception ex) => VertoConnection.Describe(ex);

    // Task.Delay works in whole milliseconds; round up so we never wake before the slot.
    private static TimeSpan DelayFor(long ticks)
    {
        long milliseconds = (ticks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency;
        return TimeSpan.FromMilliseconds(Math.Max(1, milliseconds));
    }
}

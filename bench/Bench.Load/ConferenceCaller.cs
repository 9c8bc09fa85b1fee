using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace MediaServer.Bench.Load;

/// <summary>
/// One simulated conference member: a Verto client that logs in, dials its room with a real
/// audio offer, audio and video with --video (verto.invite), takes the server's answer from
/// verto.answer or verto.media, brings its <see cref="AudioPeer"/> up, and at the end hangs up
/// with verto.bye. After the
/// connect one receive loop reads every message: it completes the waiting requests by id and
/// answers the server's call requests the way verto.js does (§1.4). Sends are serialised by a
/// lock because both that loop and the owner send.
/// </summary>
internal sealed class ConferenceCaller : IConferenceCall
{
    private const long InviteId = 3;
    private const long ByeId = 4;

    private readonly VertoConnection _connection;
    private readonly AudioLoadOptions _options;
    private readonly ErrorTally _errors;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<IncomingMessage>> _responses = new();
    private readonly TaskCompletionSource<string> _answerSdp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _callId = Guid.NewGuid().ToString();
    private Task _receiveLoop = Task.CompletedTask;
    private volatile bool _closing;
    private bool _callCreated;
    private volatile string? _serverHangup;
    private long _serverRequests;
    private long _events;

    public ConferenceCaller(int index, int room, bool talker, AudioPeer peer, AudioLoadOptions options, ErrorTally errors)
    {
        Index = index;
        Room = room;
        Talker = talker;
        Peer = peer;
        _options = options;
        _errors = errors;
        _connection = new VertoConnection(options.Insecure, errors.Add);
    }

    public int Index { get; }

    public int Room { get; }

    public bool Talker { get; }

    public AudioPeer Peer { get; }

    /// <summary>True once media flows both ways could start: answer applied, ICE and DTLS done.</summary>
    public bool Joined { get; private set; }

    public bool HungUpCleanly { get; private set; }

    /// <summary>The server's verto.bye cause when it ended the call, else null.</summary>
    public string? ServerHangup => _serverHangup;

    public bool Dropped { get; private set; }

    public double LoginMilliseconds { get; private set; }

    /// <summary>verto.invite sent to answer SDP received.</summary>
    public double AnswerMilliseconds { get; private set; }

    /// <summary>Socket open to SRTP keyed.</summary>
    public double JoinMilliseconds { get; private set; }

    public long Events => Volatile.Read(ref _events);

    public long ServerRequests => Volatile.Read(ref _serverRequests);

    /// <summary>Connect, log in, invite, apply the answer, ICE, DTLS. On failure the error is tallied and false returned.</summary>
    public async Task<bool> JoinAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        CancellationToken token = limit.Token;
        string stage = "connect";
        try
        {
            await _connection.ConnectAsync(_options.Url, token);
            _receiveLoop = ReceiveLoopAsync();

            stage = "login";
            string? loginError = await _connection.LoginAsync(_options.Credential, AwaitResponseAsync, token);
            if (loginError is not null)
            {
                _errors.Add(loginError, null);
                await CloseAsync(token);
                return false;
            }
            LoginMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            stage = "invite";
            long invited = Stopwatch.GetTimestamp();
            string offer = Peer.CreateOffer();
            await SendAsync(() => WriteInvite(offer), token);
            IncomingMessage created = await AwaitResponseAsync(InviteId, token);
            if (created.HasError || !created.ResultIsCallCreated)
            {
                _errors.Add(created.HasError ? $"invite_failed({created.ErrorCode})" : "invite_not_created", null);
                await CloseAsync(token);
                return false;
            }
            _callCreated = true;

            stage = "answer";
            string sdp = await _answerSdp.Task.WaitAsync(token);
            AnswerMilliseconds = Stopwatch.GetElapsedTime(invited).TotalMilliseconds;
            string? answerError = Peer.SetAnswer(sdp);
            if (answerError is not null)
            {
                _errors.Add("bad_answer", answerError);
                await HangUpAsync(token);
                return false;
            }

            stage = "media";
            await Peer.ConnectAsync(token);
            JoinMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Joined = true;
            return true;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            _errors.Add(stage + "_timeout", _serverHangup is null ? null : "server hung up: " + _serverHangup);
        }
        catch (OperationCanceledException)
        {
            _errors.Add(stage + "_cancelled", null);
        }
        catch (CallEndedException ended)
        {
            _errors.Add("refused_by_server", ended.Message);
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidDataException or HttpRequestException or IOException
                                       or Media.Dtls.DtlsHandshakeException)
        {
            _errors.Add(stage + "_failed", VertoConnection.Describe(ex));
        }
        await AbandonAsync();
        return false;
    }

    /// <summary>Stops the media, sends verto.bye for the call (unless the server ended it) and closes the websocket.</summary>
    public async Task HangUpAsync(CancellationToken cancellation)
    {
        Peer.Stop();
        try
        {
            if (_serverHangup is null && _connection.State == WebSocketState.Open)
            {
                await SendAsync(WriteBye, cancellation);
                IncomingMessage ended = await AwaitResponseAsync(ByeId, cancellation);
                HungUpCleanly = !ended.HasError && ended.ResultIsCallEnded;
                if (!HungUpCleanly)
                {
                    _errors.Add(ended.HasError ? $"bye_failed({ended.ErrorCode})" : "bye_not_ended", null);
                }
            }
            await CloseAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            _errors.Add("hangup_timeout", "verto.bye or the close handshake did not finish within the time limit");
            _closing = true;
            _connection.Abort();
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or CallEndedException)
        {
            _errors.Add("hangup_failed", VertoConnection.Describe(ex));
            _closing = true;
            _connection.Abort();
        }
    }

    public void Dispose()
    {
        _closing = true;
        _connection.Abort();
        Peer.Dispose();
        _connection.Dispose();
        _sendLock.Dispose();
    }

    /// <summary>After a failed join: hang up a call the server created (it is not left to time out), then drop the socket.</summary>
    private async Task AbandonAsync()
    {
        if (_callCreated && _serverHangup is null && _connection.State == WebSocketState.Open)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await SendAsync(WriteBye, limit.Token);
                await AwaitResponseAsync(ByeId, limit.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or CallEndedException)
            {
                // The socket is going anyway; with recoverCall false the server ends the call then.
            }
        }
        _closing = true;
        _connection.Abort();
    }

    private async Task CloseAsync(CancellationToken cancellation)
    {
        _closing = true;
        if (_connection.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _connection.CloseOutputAsync(cancellation);
        }
        await _receiveLoop.WaitAsync(cancellation);
    }

    private async Task<IncomingMessage> AwaitResponseAsync(long id, CancellationToken cancellation)
    {
        TaskCompletionSource<IncomingMessage> waiter = _responses.GetOrAdd(id, NewWaiter);
        IncomingMessage message = await waiter.Task.WaitAsync(cancellation);
        _responses.TryRemove(id, out _);
        return message;
    }

    private static TaskCompletionSource<IncomingMessage> NewWaiter(long id) => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ReceiveLoopAsync()
    {
        string? reason = null;
        try
        {
            while (await _connection.ReceiveMessageAsync(CancellationToken.None))
            {
                if (!IncomingMessage.TryParse(_connection.Received, out IncomingMessage message))
                {
                    _errors.Add("unparseable_message", _connection.ReceivedText());
                    continue;
                }
                await HandleAsync(message);
            }
            reason = $"server closed the connection: {_connection.CloseStatus} {_connection.CloseStatusDescription}";
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidDataException
                                       or OperationCanceledException or ObjectDisposedException)
        {
            reason = VertoConnection.Describe(ex);
        }
        // Whoever still waits would wait for nothing.
        var ended = new CallEndedException(reason ?? "connection closed");
        _answerSdp.TrySetException(ended);
        foreach (TaskCompletionSource<IncomingMessage> waiter in _responses.Values)
        {
            waiter.TrySetException(ended);
        }
        if (!_closing)
        {
            Dropped = true;
            _errors.Add("dropped", reason);
        }
    }

    private async Task HandleAsync(IncomingMessage message)
    {
        if (!message.HasMethod)
        {
            if (message.HasId)
            {
                _responses.GetOrAdd(message.Id, NewWaiter).TrySetResult(message);
            }
            else
            {
                _errors.Add("unexpected_message", _connection.ReceivedText());
            }
            return;
        }

        switch (message.Method)
        {
            case IncomingMethod.Event:
                // pvtData, live array rows, layout info: a browser would draw them; we count them.
                Volatile.Write(ref _events, _events + 1);
                return;
            case IncomingMethod.Answer or IncomingMethod.Media when message.Sdp is not null:
                _answerSdp.TrySetResult(message.Sdp);
                break;
            case IncomingMethod.Bye:
                _serverHangup = message.Cause ?? "(no cause)";
                _answerSdp.TrySetException(new CallEndedException("verto.bye " + _serverHangup));
                if (!_closing)
                {
                    _errors.Add("server_hangup(" + _serverHangup + ")", null);
                }
                break;
            case IncomingMethod.Punt:
                _errors.Add("punted", null);
                break;
        }
        Volatile.Write(ref _serverRequests, _serverRequests + 1);

        // verto.js answers exactly the requests that name a call (§1.4).
        if (message.HasCallId && message.HasId && message.Id >= 0)
        {
            long id = message.Id;
            byte[] method = MethodName(message.Method);
            try
            {
                await SendAsync(() => _connection.WriteMethodReply(id, method), CancellationToken.None);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                if (!_closing)
                {
                    _errors.Add("reply_failed", VertoConnection.Describe(ex));
                }
            }
        }
    }

    private async Task SendAsync(Func<ReadOnlyMemory<byte>> write, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            await _connection.SendAsync(write(), cancellation);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private ReadOnlyMemory<byte> WriteInvite(string sdp)
    {
        string room = _options.RoomName(Room);
        Utf8JsonWriter writer = _connection.StartRequest("verto.invite"u8);
        writer.WriteString("sdp"u8, sdp);
        writer.WriteStartObject("dialogParams"u8);
        writer.WriteString("callID"u8, _callId);
        writer.WriteString("destination_number"u8, room);
        writer.WriteString("caller_id_name"u8, "Load " + Index);
        writer.WriteString("caller_id_number"u8, _options.Credential.Login);
        writer.WriteString("remote_caller_id_name"u8, "Outbound Call");
        writer.WriteString("remote_caller_id_number"u8, room);
        writer.WriteBoolean("useVideo"u8, _options.Video);
        writer.WriteBoolean("useStereo"u8, false);
        writer.WriteBoolean("screenShare"u8, false);
        // A load client that dies (watchdog, Ctrl-C) must not leave calls detached and
        // waiting for a reattach: the server ends them when the socket goes (§6.6).
        writer.WriteBoolean("recoverCall"u8, false);
        writer.WriteString("outgoingBandwidth"u8, "default"u8);
        writer.WriteString("incomingBandwidth"u8, "default"u8);
        writer.WriteString("login"u8, _options.Credential.Login);
        writer.WriteEndObject();
        return _connection.EndRequest(InviteId);
    }

    private ReadOnlyMemory<byte> WriteBye()
    {
        Utf8JsonWriter writer = _connection.StartRequest("verto.bye"u8);
        writer.WriteStartObject("dialogParams"u8);
        writer.WriteString("callID"u8, _callId);
        writer.WriteEndObject();
        return _connection.EndRequest(ByeId);
    }

    private static byte[] MethodName(IncomingMethod method) => method switch
    {
        IncomingMethod.Answer => "verto.answer"u8.ToArray(),
        IncomingMethod.Media => "verto.media"u8.ToArray(),
        IncomingMethod.Bye => "verto.bye"u8.ToArray(),
        IncomingMethod.Display => "verto.display"u8.ToArray(),
        IncomingMethod.Invite => "verto.invite"u8.ToArray(),
        IncomingMethod.Attach => "verto.attach"u8.ToArray(),
        IncomingMethod.Info => "verto.info"u8.ToArray(),
        // Only the methods above name a call in this server; anything else gets a reply that
        // still satisfies §1.4's shape.
        _ => "unknown"u8.ToArray(),
    };

    /// <summary>The call ended (server verto.bye or a closed socket) while something waited for it.</summary>
    private sealed class CallEndedException(string message) : Exception(message);
}

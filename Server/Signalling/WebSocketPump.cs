using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using MediaServer.Observability;
using MediaServer.Protocol.Verto;

namespace MediaServer.Signalling;

/// <summary>
/// Moves frames between one WebSocket and its <see cref="VertoConnection"/>: a receive loop
/// that hands complete frames over in order (closing with 1009 past the size limit), and a
/// writer loop that drains a bounded send queue. A peer that stops reading fills the queue
/// and is dropped; it never makes the server hold more than the bound or wait on it.
/// </summary>
internal sealed class WebSocketPump : IVertoTransport
{
    private const int InitialReceiveBuffer = 16 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly VertoServer _server;
    private readonly Channel<OutboundFrame> _queue = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abort = new();
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private int _pendingMessages;
    private long _pendingBytes;
    private int _closing;
    private long _sendStartedMs;
    private VertoConnection? _connection;

    public WebSocketPump(WebSocket socket, IPAddress remoteAddress, int remotePort, VertoServer server)
    {
        _socket = socket;
        _server = server;
        RemoteAddress = remoteAddress;
        RemotePort = remotePort;
        _maxMessages = server.Limits.SendQueueMessages;
        _maxBytes = server.Limits.SendQueueBytes;
    }

    public IPAddress RemoteAddress { get; }

    public int RemotePort { get; }

    public long SendStartedMs => Volatile.Read(ref _sendStartedMs);

    public bool Send(byte[] message)
    {
        if (Volatile.Read(ref _closing) != 0)
        {
            return false;
        }

        var messages = Interlocked.Increment(ref _pendingMessages);
        var bytes = Interlocked.Add(ref _pendingBytes, message.Length);
        if (messages > _maxMessages || bytes > _maxBytes)
        {
            Interlocked.Increment(ref _server.Metrics.SlowClientsDropped);
            SignallingLog.Dropped(_server.Log, _connection?.Id ?? 0, RemoteAddress, $"send queue over its bound ({messages} messages, {bytes} bytes): the client stopped reading");
            Abort("send queue full");
            return false;
        }

        return _queue.Writer.TryWrite(OutboundFrame.Message(message));
    }

    public void SendSpeedTestDownload(long bytes)
    {
        if (Volatile.Read(ref _closing) == 0)
        {
            _queue.Writer.TryWrite(OutboundFrame.SpeedTest(bytes));
        }
    }

    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryWrite(OutboundFrame.Close(status, reason));
        _queue.Writer.TryComplete();
    }

    public void Abort(string reason)
    {
        Interlocked.Exchange(ref _closing, 1);
        _queue.Writer.TryComplete();
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Abort();
    }

    /// <summary>Runs the connection until the socket closes; returns when both loops are done.</summary>
    public async Task RunAsync()
    {
        var connection = _server.Open(this);
        _connection = connection;
        var writer = Task.Run(WriteLoopAsync);
        try
        {
            await ReceiveLoopAsync(connection);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer vanished or we aborted: the cleanup below is the same either way.
        }
        finally
        {
            connection.OnClosed();
            Close(WebSocketCloseStatus.NormalClosure, "closing");
            _abort.CancelAfter(CloseHandshakeTimeout);
            try
            {
                await writer;
                await DrainUntilClosedAsync();
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
            }

            _socket.Abort();
            _socket.Dispose();
            _abort.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(VertoConnection connection)
    {
        var maxFrame = _server.Limits.MaxFrameBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxFrame + 1));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), _abort.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    count += result.Count;
                    if (count > maxFrame)
                    {
                        Interlocked.Increment(ref _server.Metrics.OversizedFrames);
                        SignallingLog.Dropped(_server.Log, connection.Id, RemoteAddress, $"a frame exceeded {maxFrame} bytes");
                        Close(WebSocketCloseStatus.MessageTooBig, $"frame larger than {maxFrame} bytes");
                        return;
                    }

                    if (result.EndOfMessage)
                    {
                        break;
                    }
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    connection.OnTextFrame(buffer.AsMemory(0, count));
                }
                else
                {
                    connection.OnBinaryFrame();
                }

                if (buffer.Length > InitialReceiveBuffer * 4)
                {
                    // One big frame must not keep a big buffer for the rest of the connection.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// After our close frame, reads and discards until the peer's close arrives (bounded by the
    /// close-handshake timeout). Tearing the socket down with input unread would make TCP reset
    /// the connection and the peer could lose our close frame and its status (1009, 1008, ...).
    /// </summary>
    private async Task DrainUntilClosedAsync()
    {
        if (_socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(scratch.AsMemory(), _abort.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var token = _abort.Token;
        try
        {
            while (await reader.WaitToReadAsync(token))
            {
                while (reader.TryRead(out var frame))
                {
                    if (frame.Text is { } text)
                    {
                        Interlocked.Decrement(ref _pendingMessages);
                        Interlocked.Add(ref _pendingBytes, -text.Length);
                        Volatile.Write(ref _sendStartedMs, Math.Max(1, Environment.TickCount64));
                        await _socket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, token);
                        Volatile.Write(ref _sendStartedMs, 0);
                    }
                    else if (frame.CloseStatus is { } status)
                    {
                        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(status, frame.CloseReason, token);
                        }

                        // The peer has a few seconds to answer the close before the receive loop is cut.
                        _abort.CancelAfter(CloseHandshakeTimeout);
                        return;
                    }
                    else
                    {
                        await SendSpeedTestAsync(frame.SpeedTestBytes, token);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Abort("send failed");
        }
    }

    /// <summary>The download half of the speed test: the announced volume in 1 KiB blocks, then #SPD with the time it took.</summary>
    private async Task SendSpeedTestAsync(long bytes, CancellationToken token)
    {
        var block = SpeedTestFrame.DownloadBlock();
        var blocks = Math.Max(1, (bytes + SpeedTestFrame.BlockSize - 1) / SpeedTestFrame.BlockSize);
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref _sendStartedMs, Math.Max(1, Environment.TickCount64));
        for (var i = 0; i < blocks; i++)
        {
            await _socket.SendAsync(block, WebSocketMessageType.Text, endOfMessage: true, token);
        }

        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await _socket.SendAsync(SpeedTestFrame.Report(download: true, elapsed), WebSocketMessageType.Text, endOfMessage: true, token);
        Volatile.Write(ref _sendStartedMs, 0);
    }
}

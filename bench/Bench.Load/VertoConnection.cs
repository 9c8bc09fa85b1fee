using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace MediaServer.Bench.Load;

/// <summary>
/// The Verto websocket of one simulated browser, shared by both scenarios: it connects,
/// writes JSON-RPC requests into one reused buffer, reads whole text messages into another,
/// and runs the two-step login of verto-protocol.md §2.1. What the messages mean is up to
/// the owner (<see cref="LoadClient"/>, <see cref="ConferenceCaller"/>), which calls
/// <see cref="ReceiveMessageAsync"/> from one loop at a time and sends from one task at a time.
/// </summary>
internal sealed class VertoConnection : IDisposable
{
    public const long FirstLoginId = 1;
    public const long SecondLoginId = 2;

    private const int MaxMessageBytes = 1 << 20;

    private readonly ClientWebSocket _socket = new();
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly Action<string, string?> _error;
    private byte[] _receiveBuffer = new byte[16 * 1024];
    private int _receivedLength;

    /// <param name="insecure">Accept any server certificate (--insecure, self-signed test servers).</param>
    /// <param name="error">Where protocol oddities are tallied: a kind and a sample.</param>
    public VertoConnection(bool insecure, Action<string, string?> error)
    {
        _error = error;
        _writer = new Utf8JsonWriter(_sendBuffer);
        if (insecure)
        {
            _socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
    }

    public JsonEncodedText SessionId { get; } = JsonEncodedText.Encode(Guid.NewGuid().ToString());

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    /// <summary>The message the last successful <see cref="ReceiveMessageAsync"/> read; valid until the next call.</summary>
    public ReadOnlySpan<byte> Received => _receiveBuffer.AsSpan(0, _receivedLength);

    public Task ConnectAsync(Uri url, CancellationToken cancellation) => _socket.ConnectAsync(url, cancellation);

    /// <summary>
    /// Logs in the way verto.js does: an empty login first (the server must demand credentials),
    /// then the credentialed one. <paramref name="awaitResponse"/> reads until the answer with
    /// the given id arrives, handing anything else to the owner. Returns null on success, else
    /// an error kind such as "login_failed(-32001)".
    /// </summary>
    public async Task<string?> LoginAsync(
        Credential credential, Func<long, CancellationToken, Task<IncomingMessage>> awaitResponse, CancellationToken cancellation)
    {
        await SendAsync(WriteLogin(FirstLoginId, null), cancellation);
        IncomingMessage first = await awaitResponse(FirstLoginId, cancellation);
        // The server is expected to demand credentials; if it already accepts us, fine.
        if (!first.HasError && first.HasResult)
        {
            return null;
        }
        await SendAsync(WriteLogin(SecondLoginId, credential), cancellation);
        IncomingMessage second = await awaitResponse(SecondLoginId, cancellation);
        if (second.HasError || !second.HasResult || second.ResultHasCode)
        {
            long code = second.HasError ? second.ErrorCode : second.ResultCode;
            return $"login_failed({code})";
        }
        return null;
    }

    /// <summary>Reads one whole text message into the reused buffer; false on a close frame.</summary>
    // Called once per message; the pooled builder keeps the per-message state machine off the heap.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReceiveMessageAsync(CancellationToken cancellation)
    {
        while (true)
        {
            int length = 0;
            while (true)
            {
                if (length == _receiveBuffer.Length)
                {
                    if (length >= MaxMessageBytes)
                    {
                        throw new InvalidDataException($"message larger than {MaxMessageBytes} bytes");
                    }
                    Array.Resize(ref _receiveBuffer, length * 2);
                }
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(length), cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return false;
                }
                length += result.Count;
                if (result.EndOfMessage)
                {
                    if (result.MessageType == WebSocketMessageType.Binary)
                    {
                        _error("binary_message", null);
                        break;
                    }
                    _receivedLength = length;
                    return true;
                }
            }
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellation) =>
        _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellation);

    /// <summary>
    /// Opens {"jsonrpc":"2.0","method":...,"params":{ and returns the writer for the params;
    /// <see cref="EndRequest"/> adds sessid and the id. The result is valid until the next request.
    /// </summary>
    public Utf8JsonWriter StartRequest(ReadOnlySpan<byte> method)
    {
        _sendBuffer.ResetWrittenCount();
        _writer.Reset(_sendBuffer);
        _writer.WriteStartObject();
        _writer.WriteString("jsonrpc"u8, "2.0"u8);
        _writer.WriteString("method"u8, method);
        _writer.WriteStartObject("params"u8);
        return _writer;
    }

    public ReadOnlyMemory<byte> EndRequest(long id)
    {
        _writer.WriteString("sessid"u8, SessionId);
        _writer.WriteEndObject();
        _writer.WriteNumber("id"u8, id);
        _writer.WriteEndObject();
        _writer.Flush();
        return _sendBuffer.WrittenMemory;
    }

    /// <summary>The reply verto.js gives a server request that names a call (§1.4): {"method":...} under the same id.</summary>
    public ReadOnlyMemory<byte> WriteMethodReply(long id, ReadOnlySpan<byte> method)
    {
        _sendBuffer.ResetWrittenCount();
        _writer.Reset(_sendBuffer);
        _writer.WriteStartObject();
        _writer.WriteString("jsonrpc"u8, "2.0"u8);
        _writer.WriteNumber("id"u8, id);
        _writer.WriteStartObject("result"u8);
        _writer.WriteString("method"u8, method);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        return _sendBuffer.WrittenMemory;
    }

    public Task CloseOutputAsync(CancellationToken cancellation) =>
        _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "load test done", cancellation);

    /// <summary>After a failed setup: a polite close if the server still listens, else an abort.</summary>
    public async Task CloseAfterFailedSetupAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            // CloseAsync reads and discards until the server's close frame arrives.
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "setup failed", limit.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            _socket.Abort();
        }
    }

    public void Abort() => _socket.Abort();

    public string ReceivedText() => Encoding.UTF8.GetString(_receiveBuffer, 0, Math.Min(_receivedLength, 1000));

    public void Dispose()
    {
        _socket.Dispose();
        _writer.Dispose();
    }

    // Connection errors hide the useful part (refused, certificate, ...) in the inner exception.
    public static string Describe(Exception ex) =>
        ex.InnerException is null ? ex.Message : ex.Message + " (" + Describe(ex.InnerException) + ")";

    private ReadOnlyMemory<byte> WriteLogin(long id, Credential? credential)
    {
        StartRequest("login"u8);
        if (credential is { } c)
        {
            _writer.WriteString("login"u8, c.Login);
            _writer.WriteString("passwd"u8, c.Password);
            _writer.WriteStartObject("loginParams"u8);
            _writer.WriteEndObject();
            _writer.WriteStartObject("userVariables"u8);
            _writer.WriteEndObject();
        }
        return EndRequest(id);
    }
}

using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// A Verto client over a real wss connection (System.Net.WebSockets.ClientWebSocket) that
/// trusts exactly the certificate the test server generated. A background loop reads every
/// frame into a queue, which tests read with timeouts; <see cref="StopReading"/> makes it a
/// client that no longer reads its socket.
/// </summary>
public sealed class VertoTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task? _reader;
    private int _nextId;
    private volatile bool _paused;

    private VertoTestClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    public string SessionId { get; private set; } = Guid.NewGuid().ToString();

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public WebSocketState State => _socket.State;

    /// <summary>Completed when the server closed the socket or the connection broke.</summary>
    public Task Closed => _reader ?? Task.CompletedTask;

    public static Task<VertoTestClient> ConnectAsync(IServerEndpoint server, string? origin = null) =>
        ConnectAsync(server.WebSocketUri, server.DataDirectory, origin);

    /// <summary>Connects to a server at <paramref name="uri"/> whose generated certificate is in <paramref name="dataDirectory"/>.</summary>
    public static async Task<VertoTestClient> ConnectAsync(Uri uri, string dataDirectory, string? origin = null)
    {
        using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dataDirectory, "server-cert.pem")));
        var expectedHash = expected.GetCertHashString();
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == expectedHash;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        var client = new VertoTestClient(socket);
        client._reader = Task.Run(client.ReadLoopAsync);
        return client;
    }

    public int NextId() => Interlocked.Increment(ref _nextId);

    public async Task SendAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a request with params (sessid added, as verto.js does) and returns its id.</summary>
    public async Task<int> SendRequestAsync(string method, JsonObject? parameters = null, int? id = null)
    {
        var requestId = id ?? NextId();
        parameters ??= [];
        parameters["sessid"] ??= SessionId;
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters, ["id"] = requestId };
        await SendAsync(message.ToJsonString());
        return requestId;
    }

    /// <summary>Sends a request and waits for the response with its id, skipping server requests and events.</summary>
    public async Task<JsonElement> CallAsync(string method, JsonObject? parameters = null, int? id = null)
    {
        var requestId = await SendRequestAsync(method, parameters, id);
        return await ReceiveResponseAsync(requestId);
    }

    public Task<JsonElement> ReceiveResponseAsync(int id) =>
        ReceiveUntilAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == id && !m.TryGetProperty("method", out _));

    /// <summary>The next frame as text, or null if the socket closed first.</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _frames.Reader.ReadAsync(cancel.Token);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no frame from the server in time");
        }
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout) ?? throw new InvalidOperationException("the server closed the socket");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads JSON frames until one matches, dropping the others; times out as a whole.</summary>
    public async Task<JsonElement> ReceiveUntilAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("no matching frame from the server in time");
            }

            var text = await ReceiveTextAsync(left) ?? throw new InvalidOperationException("the server closed the socket");
            if (text.StartsWith('#'))
            {
                continue;
            }

            using var document = JsonDocument.Parse(text);
            if (match(document.RootElement))
            {
                return document.RootElement.Clone();
            }
        }
    }

    /// <summary>The next verto.event, skipping other server requests.</summary>
    public async Task<JsonElement> ReceiveEventAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.event", timeout);
        return message.GetProperty("params");
    }

    /// <summary>
    /// verto.js's dance (§2.1): an empty login answered -32000, then the credentialed one.
    /// Returns the successful result.
    /// </summary>
    public async Task<JsonElement> LoginAsync(string user, string password, string? sessid = null)
    {
        SessionId = sessid ?? SessionId;
        var first = await CallAsync("login", new JsonObject());
        if (first.GetProperty("error").GetProperty("code").GetInt32() != -32000)
        {
            throw new InvalidOperationException($"empty login answered {first}");
        }

        var answer = await CallAsync("login", new JsonObject { ["login"] = $"{user}@localhost", ["passwd"] = password, ["loginParams"] = new JsonObject(), ["userVariables"] = new JsonObject() });
        if (!answer.TryGetProperty("result", out var result))
        {
            throw new InvalidOperationException($"login refused: {answer}");
        }

        return result;
    }

    /// <summary>From now on nothing is read from the socket: the server's sends pile up.</summary>
    public void StopReading() => _paused = true;

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        if (_reader is not null)
        {
            await Task.WhenAny(_reader, Task.Delay(5000));
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                while (_paused)
                {
                    await Task.Delay(50, _stop.Token);
                }

                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _frames.Writer.TryWrite(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}

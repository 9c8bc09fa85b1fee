using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using MediaServer.Observability;
using MediaServer.Protocol.Sip;
using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>
/// The SIP transport and transaction layers (RFC 3261 §17, §18) on one UDP socket and one
/// TCP listener. Everything above the sockets runs on a single worker: received messages,
/// timer ticks and work posted by the rest of the server are queued to it, so transactions
/// and dialogs need no locks and nothing SIP-side is ever entered from two threads.
/// </summary>
internal sealed class SipStack : IAsyncDisposable
{
    public const int MaxMessageBytes = 64 * 1024;
    private const string BranchCookie = "z9hG4bK";
    private const int TickMs = 20;

    private readonly Channel<Action> _work = Channel.CreateBounded<Action>(new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, SipServerTransaction> _serverTransactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipClientTransaction> _clientTransactions = new(StringComparer.Ordinal);
    private readonly SipRateLimiter _rateLimiter;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _log;
    private readonly Socket _udp = null!;
    private readonly SipTcpListener _tcp = null!;
    private Task? _worker;
    private Task? _udpReceiver;
    private Task? _ticker;

    public SipStack(IPAddress bind, int port, IPAddress advertised, SipTimers timers, SipMetrics metrics, ILogger log, double ratePerSecond = 200, double rateBurst = 400)
    {
        Timers = timers;
        Metrics = metrics;
        Advertised = advertised;
        _log = log;
        _rateLimiter = new SipRateLimiter(ratePerSecond, rateBurst);
        // Port 0 (tests): any number free for both UDP and TCP, found by trying a few.
        for (var attempt = 0; ; attempt++)
        {
            _udp = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(new IPEndPoint(bind, port));
            Port = ((IPEndPoint)_udp.LocalEndPoint!).Port;
            // TCP on the same number (RFC 3261 §18: a server listens on both).
            _tcp = new SipTcpListener(this, new IPEndPoint(bind, Port), log);
            try
            {
                _tcp.Bind();
                break;
            }
            catch (SocketException) when (port == 0 && attempt < 20)
            {
                _udp.Dispose();
            }
            catch (SocketException)
            {
                _udp.Dispose();
                throw;
            }
        }
    }

    public SipTimers Timers { get; }

    public SipMetrics Metrics { get; }

    /// <summary>The address put in our Via, Contact and SDP (the server's public address).</summary>
    public IPAddress Advertised { get; }

    public int Port { get; }

    public ISipRequestHandler? Handler { get; set; }

    /// <summary>Milliseconds on a monotonic clock.</summary>
    public long NowMs => Environment.TickCount64;

    public void Start()
    {
        _worker = Task.Run(RunWorkerAsync);
        _udpReceiver = Task.Run(ReceiveUdpAsync);
        _ticker = Task.Run(TickAsync);
        _tcp.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the worker (from any thread); false if the queue is full or the stack stopped.</summary>
    public bool Post(Action work) => _work.Writer.TryWrite(work);

    /// <summary>A message from a transport (any thread): queued for the worker, or dropped if the queue is full.</summary>
    public void OnReceived(byte[] data, int length, SipEndPoint source)
    {
        Interlocked.Increment(ref Metrics.MessagesIn);
        if (!_work.Writer.TryWrite(() => Process(data.AsSpan(0, length), source)))
        {
            Interlocked.Increment(ref Metrics.RateLimited);
        }
    }

    public void SendBytes(byte[] bytes, SipEndPoint destination)
    {
        Interlocked.Increment(ref Metrics.MessagesOut);
        try
        {
            if (destination.Transport == SipTransportKind.Tcp)
            {
                var connection = destination.Connection ?? _tcp.Connect(destination.Address);
                connection?.Send(bytes);
                return;
            }

            _udp.SendTo(bytes, SocketFlags.None, destination.Address);
        }
        catch (SocketException error)
        {
            SipLog.SendFailed(_log, destination.ToString(), error.SocketErrorCode.ToString());
        }
    }

    public void Send(SipMessage message, SipEndPoint destination) => SendBytes(message.ToArray(), destination);

    /// <summary>Starts a client transaction for a request we originate: adds our Via with a fresh branch.</summary>
    public SipClientTransaction SendRequest(SipMessage request, SipEndPoint destination, ISipClientTransactionUser user)
    {
        var branch = NewBranch();
        PutOurVia(request, destination, branch);
        var transaction = new SipClientTransaction(this, branch, request, destination, user);
        _clientTransactions[ClientKey(branch, request.Method)] = transaction;
        transaction.Start();
        return transaction;
    }

    /// <summary>A request outside any transaction (the ACK to a 2xx, RFC 3261 §13.2.2.4): fresh branch, sent once per call.</summary>
    public void SendStateless(SipMessage request, SipEndPoint destination)
    {
        PutOurVia(request, destination, NewBranch());
        Send(request, destination);
    }

    /// <summary>The INVITE server transaction a CANCEL or ACK refers to (same branch and sent-by, RFC 3261 §9.2).</summary>
    public SipServerTransaction? FindInvite(SipMessage request) =>
        ServerKey(request, "INVITE") is { } key && _serverTransactions.TryGetValue(key, out var transaction) ? transaction : null;

    public string HostPort() => Advertised.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Advertised}]:{Port}" : $"{Advertised}:{Port}";

    public static string NewBranch() => BranchCookie + RandomToken(10);

    public static string NewTag() => RandomToken(8);

    public static string NewCallId() => RandomToken(16);

    /// <summary>Where a SIP URI points: its host (a literal, or a name looked up once) and port, over UDP unless transport=tcp.</summary>
    public static SipEndPoint? Resolve(SipUri uri)
    {
        IPAddress? address;
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address))
        {
            try
            {
                address = Dns.GetHostAddresses(uri.Host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
            }
            catch (SocketException)
            {
                return null;
            }
        }

        if (address is null)
        {
            return null;
        }

        var tcp = string.Equals(uri.Transport, "tcp", StringComparison.OrdinalIgnoreCase);
        return new SipEndPoint(tcp ? SipTransportKind.Tcp : SipTransportKind.Udp, new IPEndPoint(address, uri.Port ?? 5060));
    }

    /// <summary>Waits until everything queued so far has run (or the timeout passes).</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Post(() => done.TrySetResult()))
        {
            await Task.WhenAny(done.Task, Task.Delay(timeout)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _work.Writer.TryComplete();
        _udp.Dispose();
        _tcp.Dispose();
        foreach (var task in new[] { _worker, _udpReceiver, _ticker })
        {
            if (task is not null)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        _stop.Dispose();
    }

    internal void OnAckTimeout(SipServerTransaction transaction) => Handler?.OnAckTimeout(transaction);

    /// <summary>Our Via replaces any other and goes first, ahead of the headers the caller added (RFC 3261 §8.1.1.7).</summary>
    private void PutOurVia(SipMessage request, SipEndPoint destination, string branch)
    {
        request.Headers.Remove("Via");
        var others = request.Headers.ToList();
        foreach (var (name, _) in others)
        {
            request.Headers.Remove(name);
        }

        request.Headers.Add("Via", $"SIP/2.0/{(destination.Transport == SipTransportKind.Tcp ? "TCP" : "UDP")} {HostPort()};branch={branch};rport");
        foreach (var (name, value) in others)
        {
            request.Headers.Add(name, value);
        }
    }

    private static string RandomToken(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private static string ClientKey(string branch, string method) => branch + "|" + (method == "ACK" ? "INVITE" : method);

    /// <summary>
    /// RFC 3261 §17.2.3: branch + sent-by + method (ACK and CANCEL match their INVITE by
    /// branch; CANCEL is its own transaction). Without the magic cookie (RFC 2543 peers) the
    /// Call-ID, CSeq number and From tag stand in for the branch.
    /// </summary>
    private static string? ServerKey(SipMessage request, string? method = null)
    {
        var vias = request.Vias;
        if (vias.Count == 0)
        {
            return null;
        }

        var top = vias[0];
        method ??= request.Method == "ACK" ? "INVITE" : request.Method;
        if (top.Branch is { } branch && branch.StartsWith(BranchCookie, StringComparison.Ordinal))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{branch}|{top.Host}:{top.Port ?? 5060}|{method}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{request.CallId}|{request.CSeq?.Number}|{request.From?.Tag}|{top}|{method}");
    }

    private async Task RunWorkerAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                work();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // One bad message or handler must not stop SIP for everyone.
                SipLog.WorkFailed(_log, error);
            }
        }
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(TickMs));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Post(Tick);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Tick()
    {
        var now = NowMs;
        List<string>? ended = null;
        foreach (var (key, transaction) in _serverTransactions)
        {
            if (transaction.Tick(now))
            {
                (ended ??= []).Add(key);
            }
        }

        foreach (var key in ended ?? [])
        {
            _serverTransactions.Remove(key);
        }

        ended = null;
        foreach (var (key, transaction) in _clientTransactions)
        {
            if (transaction.Tick(now))
            {
                (ended ??= []).Add(key);
            }
        }

        foreach (var key in ended ?? [])
        {
            _clientTransactions.Remove(key);
        }

        Handler?.Tick(now);
    }

    private async Task ReceiveUdpAsync()
    {
        var buffer = new byte[MaxMessageBytes];
        EndPoint any = new IPEndPoint(_udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send shows up here on some systems: keep going.
                continue;
            }

            if (received.ReceivedBytes == 0)
            {
                continue;
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            var copy = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            OnReceived(copy, copy.Length, new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address, remote.Port)));
        }
    }

    private void Process(ReadOnlySpan<byte> data, SipEndPoint source)
    {
        if (!_rateLimiter.Allow(source.Address.Address, NowMs))
        {
            Interlocked.Increment(ref Metrics.RateLimited);
            return;
        }

        // RFC 5626 keepalives (CRLF) are not messages.
        if (data.Trim("\r\n"u8).IsEmpty)
        {
            return;
        }

        if (!SipMessage.TryParse(data, out var message, out var error) || message is null)
        {
            Interlocked.Increment(ref Metrics.Malformed);
            SipLog.Malformed(_log, source.ToString(), error.Reason);
            if (SipBadRequest.TryBuild(data, error.StatusCode is >= 400 and < 700 ? error.StatusCode : 400, error.Reason, out var response))
            {
                SendBytes(response, source);
            }

            return;
        }

        if (message.IsRequest)
        {
            ProcessRequest(message, source);
        }
        else
        {
            ProcessResponse(message, source);
        }
    }

    private void ProcessRequest(SipMessage request, SipEndPoint source)
    {
        MarkReceived(request, source);
        var key = ServerKey(request);
        if (key is null)
        {
            return;
        }

        if (request.Method == "ACK")
        {
            if (_serverTransactions.TryGetValue(key, out var invite) && invite.State is SipTransactionState.Completed or SipTransactionState.Confirmed)
            {
                invite.OnAck();
                return;
            }

            Handler?.OnRequest(request, null, source);
            return;
        }

        if (_serverTransactions.TryGetValue(key, out var existing))
        {
            Interlocked.Increment(ref Metrics.Retransmissions);
            existing.OnRetransmission();
            return;
        }

        var transaction = new SipServerTransaction(this, key, request, source);
        _serverTransactions[key] = transaction;
        if (Handler is null)
        {
            transaction.Respond(SipMessage.CreateResponse(request, 503, "Service Unavailable"));
            return;
        }

        Handler.OnRequest(request, transaction, source);
    }

    private void ProcessResponse(SipMessage response, SipEndPoint source)
    {
        var vias = response.Vias;
        if (vias.Count == 0 || vias[0].Branch is not { } branch || response.CSeq is not { } cseq)
        {
            return;
        }

        if (_clientTransactions.TryGetValue(ClientKey(branch, cseq.Method), out var transaction))
        {
            transaction.OnResponse(response);
            return;
        }

        Handler?.OnStrayResponse(response, source);
    }

    /// <summary>
    /// RFC 3261 §18.2.1 and RFC 3581: the top Via learns the address the request really came
    /// from, so our responses (sent there) still match what the sender's Via says.
    /// </summary>
    private static void MarkReceived(SipMessage request, SipEndPoint source)
    {
        var vias = request.Vias;
        if (vias.Count == 0)
        {
            return;
        }

        var top = vias[0];
        var sourceIp = source.Address.Address.ToString();
        if (top.Host == sourceIp && !top.HasRport)
        {
            return;
        }

        top = top.WithParameter("received", sourceIp);
        if (top.HasRport)
        {
            top = top.WithParameter("rport", source.Address.Port.ToString(CultureInfo.InvariantCulture));
        }

        var all = request.Headers.ToList();
        foreach (var (name, _) in all)
        {
            request.Headers.Remove(name);
        }

        var viaWritten = false;
        foreach (var (name, value) in all)
        {
            if (name == "Via")
            {
                if (!viaWritten)
                {
                    request.Headers.Add("Via", top.ToString());
                    foreach (var rest in vias.Skip(1))
                    {
                        request.Headers.Add("Via", rest.ToString());
                    }

                    viaWritten = true;
                }

                continue;
            }

            request.Headers.Add(name, value);
        }

        Debug.Assert(viaWritten, "a request with Vias writes them back");
    }
}

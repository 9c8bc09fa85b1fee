using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MediaServer.Protocol.Sip;
using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>
/// One SIP TCP connection: reads the stream, cuts it into messages by Content-Length
/// (<see cref="SipStreamFramer"/>) and hands each to the stack; writes through a bounded
/// queue so a peer that stops reading is disconnected instead of growing memory. A
/// malformed message head closes the connection: the stream cannot be re-synchronised.
/// </summary>
internal sealed class SipTcpConnection : IDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    private readonly SipTcpListener _owner;
    private readonly SipStack _stack;
    private readonly Socket _socket;
    private readonly ILogger _log;
    private readonly Channel<byte[]> _outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    public SipTcpConnection(SipTcpListener owner, SipStack stack, Socket socket, IPEndPoint remote, ILogger log)
    {
        _owner = owner;
        _stack = stack;
        _socket = socket;
        Remote = remote;
        _log = log;
    }

    public IPEndPoint Remote { get; }

    public void Start()
    {
        _ = Task.Run(ReadAsync);
        _ = Task.Run(WriteAsync);
    }

    public void Send(byte[] bytes)
    {
        if (!_outbound.Writer.TryWrite(bytes))
        {
            SipLog.SlowTcpPeer(_log, Remote.ToString());
            Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _owner.Forget(this);
        _outbound.Writer.TryComplete();
        _stop.Cancel();
        _socket.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[SipStack.MaxMessageBytes + MaxHeadBytes];
        var filled = 0;
        var endpoint = new SipEndPoint(SipTransportKind.Tcp, Remote, this);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(IdleTimeout);
                var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, idle.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                while (filled > 0)
                {
                    if (!SipStreamFramer.TryFrame(buffer.AsSpan(0, filled), MaxHeadBytes, out var length, out var error))
                    {
                        if (error is not null || filled == buffer.Length)
                        {
                            SipLog.Malformed(_log, endpoint.ToString(), error?.Reason ?? "message too large");
                            Interlocked.Increment(ref _stack.Metrics.Malformed);
                            if (error is { } problem && SipBadRequest.TryBuild(buffer.AsSpan(0, filled), problem.StatusCode, problem.Reason, out var answer))
                            {
                                await _socket.SendAsync(answer, SocketFlags.None).ConfigureAwait(false);
                            }

                            return;
                        }

                        break;
                    }

                    var message = buffer.AsSpan(0, length).ToArray();
                    _stack.OnReceived(message, message.Length, endpoint);
                    buffer.AsSpan(length, filled - length).CopyTo(buffer);
                    filled -= length;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Dispose();
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await foreach (var bytes in _outbound.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await _socket.SendAsync(bytes, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Dispose();
        }
    }
}

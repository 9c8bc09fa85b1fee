using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>
/// SIP over TCP (RFC 3261 §18.3): accepts connections, and opens one when we must send a
/// request to a TCP target; each connection frames its stream into messages for the stack.
/// Connections are bounded in number and closed when idle.
/// </summary>
internal sealed class SipTcpListener : IDisposable
{
    public const int MaxConnections = 1000;

    private readonly SipStack _stack;
    private readonly IPEndPoint _bind;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<IPEndPoint, SipTcpConnection> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;

    public SipTcpListener(SipStack stack, IPEndPoint bind, ILogger log)
    {
        _stack = stack;
        _bind = bind;
        _log = log;
    }

    public int Count => _connections.Count;

    /// <summary>Binds the port now (so a taken port fails start-up at once, beside the UDP bind).</summary>
    public void Bind()
    {
        _listener = new TcpListener(_bind);
        _listener.Start(128);
    }

    public void Start() => _ = Task.Run(AcceptAsync);

    /// <summary>The connection to <paramref name="remote"/>, opened now if there is none (a short, bounded wait).</summary>
    public SipTcpConnection? Connect(IPEndPoint remote)
    {
        if (_connections.TryGetValue(remote, out var existing))
        {
            return existing;
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var connect = socket.ConnectAsync(remote);
            if (!connect.Wait(TimeSpan.FromSeconds(3)))
            {
                socket.Dispose();
                return null;
            }
        }
        catch (AggregateException)
        {
            socket.Dispose();
            return null;
        }

        return Adopt(socket, remote);
    }

    public void Forget(SipTcpConnection connection) => _connections.TryRemove(new KeyValuePair<IPEndPoint, SipTcpConnection>(connection.Remote, connection));

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Stop();
        foreach (var connection in _connections.Values)
        {
            connection.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (_connections.Count >= MaxConnections)
            {
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            Adopt(socket, new IPEndPoint(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address, remote.Port));
        }
    }

    private SipTcpConnection Adopt(Socket socket, IPEndPoint remote)
    {
        var connection = new SipTcpConnection(this, _stack, socket, remote, _log);
        _connections[remote] = connection;
        connection.Start();
        return connection;
    }
}

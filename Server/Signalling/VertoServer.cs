using System.Collections.Concurrent;
using MediaServer.Configuration;
using MediaServer.Events;
using MediaServer.LiveArrays;
using MediaServer.Observability;
using MediaServer.Security;
using MediaServer.Storage;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signalling;

/// <summary>
/// The signalling side shared by all connections: sessions, channels, live arrays, login
/// throttling, metrics, and a once-a-second watchdog over every connection. Owned by the host.
/// </summary>
internal sealed class VertoServer : IDisposable
{
    private readonly ConcurrentDictionary<long, VertoConnection> _connections = new();
    private readonly Timer _watchdog;
    private long _requestIds;
    private long _connectionIds;

    public VertoServer(ServerSettings settings, LiveArrayStore? liveArrayStore, ILogger log)
    {
        Settings = settings;
        Log = log;
        Metrics = new ServerMetrics();
        Bus = new EventBus(Metrics, NextRequestId);
        Sessions = new SessionRegistry();
        Throttle = new LoginThrottle(Limits.LoginFailuresPerAccount, Limits.LoginFailureWindowSeconds, Limits.LockoutSeconds, Limits.LoginFailuresPerSecondPerIp);
        LiveArrays = new LiveArrayRegistry(Bus, Metrics, liveArrayStore, log, Limits.MaxLiveArrays, Limits.MaxLiveArrayRows);
        LiveArrays.LoadPersisted();
        _watchdog = new Timer(_ => Tick(Environment.TickCount64), null, 1000, 1000);
    }

    public ServerSettings Settings { get; }

    public SignallingLimits Limits => Settings.Limits;

    public ILogger Log { get; }

    public ServerMetrics Metrics { get; }

    public EventBus Bus { get; }

    public SessionRegistry Sessions { get; }

    public LoginThrottle Throttle { get; }

    public LiveArrayRegistry LiveArrays { get; }

    /// <summary>Calls and their media; null when the host runs without a media endpoint (signalling benchmarks).</summary>
    public Calls.CallRegistry? Calls { get; set; }

    /// <summary>Conference rooms and their mixers; null when the host runs without media.</summary>
    public Conferences.ConferenceRegistry? Conferences { get; set; }

    /// <summary>The SIP gateway, when --sip-port is given.</summary>
    public Sip.SipUserAgent? Sip { get; set; }

    /// <summary>Where ended calls and memberships are recorded (null without a database).</summary>
    public MediaServer.Records.CdrWriter? Records { get; set; }

    /// <summary>The calls, rooms and users whose Debug lines are logged (POST /admin/debug).</summary>
    public Observability.LogDebugSwitch LogDebug { get; set; } = new();

    public int ConnectionCount => _connections.Count;

    /// <summary>Ids of server-to-client requests: one counter for the whole server, like the reference.</summary>
    public long NextRequestId() => Interlocked.Increment(ref _requestIds);

    public VertoConnection Open(IVertoTransport transport)
    {
        var connection = new VertoConnection(this, transport, Interlocked.Increment(ref _connectionIds), Environment.TickCount64);
        _connections[connection.Id] = connection;
        Interlocked.Increment(ref Metrics.ConnectionsOpen);
        Interlocked.Increment(ref Metrics.ConnectionsTotal);
        return connection;
    }

    /// <summary>Called by a connection when it has closed.</summary>
    public void Forget(VertoConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            Interlocked.Decrement(ref Metrics.ConnectionsOpen);
        }
    }

    public void Tick(long nowMs)
    {
        foreach (var connection in _connections.Values)
        {
            connection.OnTick(nowMs);
        }

        Throttle.Sweep(nowMs);
        Calls?.Tick(nowMs);
        Conferences?.EvaluateOverload();
    }

    /// <summary>
    /// Closes every connection with <paramref name="status"/> once what is queued on it has been
    /// sent (a shutdown's byes go out before the close frame).
    /// </summary>
    public void CloseAll(System.Net.WebSockets.WebSocketCloseStatus status, string reason)
    {
        foreach (var connection in _connections.Values)
        {
            connection.Close(status, reason);
        }
    }

    public void Dispose() => _watchdog.Dispose();
}

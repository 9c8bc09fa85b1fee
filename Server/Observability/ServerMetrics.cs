using System.Globalization;
using System.Text;

namespace MediaServer.Observability;

/// <summary>
/// Counters and gauges of the whole server, rendered as Prometheus text at /metrics.
/// Plain fields updated with Interlocked: cheap enough for every message.
/// </summary>
internal sealed class ServerMetrics
{
    public long ConnectionsOpen;
    public long ConnectionsTotal;
    public long SessionsAuthenticated;
    public long LoginsSucceeded;
    public long LoginsFailed;
    public long LoginLockouts;
    public long MessagesIn;
    public long MessagesOut;
    public long BytesOut;
    public long InvalidFrames;
    public long OversizedFrames;
    public long RateLimited;
    public long SlowClientsDropped;
    public long HandlerErrors;
    public long EventsPublished;
    public long EventDeliveries;
    public long LiveArrays;
    public long LiveArrayChanges;
    public long Punts;

    public string Render()
    {
        var text = new StringBuilder(2048);
        Gauge(text, "mediaserver_connections", "Open WebSocket connections.", ConnectionsOpen);
        Counter(text, "mediaserver_connections_total", "WebSocket connections accepted.", ConnectionsTotal);
        Gauge(text, "mediaserver_sessions", "Authenticated Verto sessions.", SessionsAuthenticated);
        Counter(text, "mediaserver_logins_total", "Successful logins.", LoginsSucceeded);
        Counter(text, "mediaserver_login_failures_total", "Failed logins (unknown user, wrong password, locked out).", LoginsFailed);
        Counter(text, "mediaserver_login_lockouts_total", "IP addresses locked out after repeated failed logins.", LoginLockouts);
        Counter(text, "mediaserver_messages_in_total", "Frames received on Verto sockets.", MessagesIn);
        Counter(text, "mediaserver_messages_out_total", "Frames queued to Verto sockets.", MessagesOut);
        Counter(text, "mediaserver_bytes_out_total", "Bytes queued to Verto sockets.", BytesOut);
        Counter(text, "mediaserver_invalid_frames_total", "Frames answered with Invalid Request.", InvalidFrames);
        Counter(text, "mediaserver_oversized_frames_total", "Frames over the size limit (socket closed with 1009).", OversizedFrames);
        Counter(text, "mediaserver_rate_limited_total", "Requests refused by the per-connection rate limit.", RateLimited);
        Counter(text, "mediaserver_slow_clients_dropped_total", "Connections dropped because they stopped reading.", SlowClientsDropped);
        Counter(text, "mediaserver_handler_errors_total", "Requests that failed inside a handler.", HandlerErrors);
        Counter(text, "mediaserver_events_published_total", "Events published on channels.", EventsPublished);
        Counter(text, "mediaserver_event_deliveries_total", "Event copies queued to subscribers.", EventDeliveries);
        Gauge(text, "mediaserver_live_arrays", "Live arrays held by the server.", LiveArrays);
        Counter(text, "mediaserver_live_array_changes_total", "Live array changes published (add, modify, del).", LiveArrayChanges);
        Counter(text, "mediaserver_punts_total", "Connections punted by a newer login with the same sessid.", Punts);
        Gauge(text, "mediaserver_calls", "Active calls.", 0);
        Gauge(text, "mediaserver_conferences", "Active conferences.", 0);
        Gauge(text, "mediaserver_conference_members", "Conference members.", 0);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) => Write(text, name, help, "gauge", value);

    private static void Counter(StringBuilder text, string name, string help, long value) => Write(text, name, help, "counter", value);

    private static void Write(StringBuilder text, string name, string help, string type, long value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}

using System.Globalization;
using System.Text;

namespace MediaServer.Sip;

/// <summary>SIP counters for /metrics; incremented with Interlocked from the transports and the worker.</summary>
internal sealed class SipMetrics
{
    public long MessagesIn;
    public long MessagesOut;
    public long Malformed;
    public long RateLimited;
    public long Unknown;
    public long AuthFailures;
    public long AuthLockouts;
    public long Registrations;
    public long CallsIn;
    public long CallsOut;
    public long Retransmissions;

    public void Render(StringBuilder text)
    {
        Counter(text, "mediaserver_sip_messages_in_total", "SIP messages received (UDP datagrams and TCP frames).", MessagesIn);
        Counter(text, "mediaserver_sip_messages_out_total", "SIP messages sent.", MessagesOut);
        Counter(text, "mediaserver_sip_malformed_total", "SIP messages that did not parse (requests were answered 400).", Malformed);
        Counter(text, "mediaserver_sip_rate_limited_total", "SIP messages dropped by the per-address rate limit.", RateLimited);
        Counter(text, "mediaserver_sip_unknown_methods_total", "SIP requests answered 501 Not Implemented.", Unknown);
        Counter(text, "mediaserver_sip_auth_failures_total", "SIP requests whose digest credentials were wrong.", AuthFailures);
        Counter(text, "mediaserver_sip_auth_lockouts_total", "Addresses locked out after repeated SIP authentication failures.", AuthLockouts);
        Gauge(text, "mediaserver_sip_registrations", "Registered SIP contacts.", Registrations);
        Counter(text, "mediaserver_sip_calls_in_total", "INVITEs that created a call.", CallsIn);
        Counter(text, "mediaserver_sip_calls_out_total", "INVITEs we sent (dial, phones, trunks).", CallsOut);
        Counter(text, "mediaserver_sip_retransmissions_total", "Requests received again (answered from the transaction).", Retransmissions);
    }

    private static void Counter(StringBuilder text, string name, string help, long value) => Write(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, long value) => Write(text, name, help, "gauge", value);

    private static void Write(StringBuilder text, string name, string help, string type, long value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}

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
    public long LoginsRateLimited;
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
    public long CallsActive;
    public long CallsTotal;
    public long MediaPacketsIn;
    public long MediaPacketsOut;
    public long MediaBytesIn;
    public long MediaBytesOut;
    public long MediaMalformed;
    public long MediaUnknownSource;
    public long MediaSendErrors;
    public long MediaDispatchErrors;
    public long StunAnswered;
    public long StunRejected;
    public long DtlsFailures;
    public long SrtpDropped;
    public long Retransmissions;
    public long PlainRtpPacketsIn;
    public long PlainRtpPacketsOut;
    public long PlainRtpMalformed;
    public long PlainRtpWrongPayloadType;
    public long PlainRtpUnknownSource;
    public long PlainRtpSendErrors;
    public long PlainRtpLatched;
    public long PlainRtpTimeouts;
    public long RtpPortsInUse;
    public long RtpPortsExhausted;
    public long OverloadLevel;
    public long OverloadRaises;
    public long OverloadLowers;
    public long CallsRefusedMaxCalls;
    public long CallsRefusedMaxConferenceMembers;
    public long CallsRefusedOverloaded;

    public string Render(MediaServer.Mixer.Runtime.MixerMetrics? mixer = null)
    {
        var text = new StringBuilder(2048);
        Gauge(text, "mediaserver_connections", "Open WebSocket connections.", ConnectionsOpen);
        Counter(text, "mediaserver_connections_total", "WebSocket connections accepted.", ConnectionsTotal);
        Gauge(text, "mediaserver_sessions", "Authenticated Verto sessions.", SessionsAuthenticated);
        Counter(text, "mediaserver_logins_total", "Successful logins.", LoginsSucceeded);
        Counter(text, "mediaserver_login_failures_total", "Failed logins (unknown user, wrong password, locked out).", LoginsFailed);
        Counter(text, "mediaserver_login_lockouts_total", "Accounts locked out after repeated failed logins.", LoginLockouts);
        Counter(text, "mediaserver_login_rate_limited_total", "Logins refused because their address failed faster than loginFailuresPerSecondPerIp.", LoginsRateLimited);
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
        Gauge(text, "mediaserver_calls", "Active call legs.", CallsActive);
        Counter(text, "mediaserver_calls_total", "Call legs created (inbound and outbound).", CallsTotal);
        Counter(text, "mediaserver_media_packets_in_total", "UDP datagrams received on the media port.", MediaPacketsIn);
        Counter(text, "mediaserver_media_packets_out_total", "UDP datagrams sent from the media port.", MediaPacketsOut);
        Counter(text, "mediaserver_media_bytes_in_total", "Bytes received on the media port.", MediaBytesIn);
        Counter(text, "mediaserver_media_bytes_out_total", "Bytes sent from the media port.", MediaBytesOut);
        Counter(text, "mediaserver_media_malformed_total", "Media datagrams that are no STUN, DTLS, RTP or RTCP, or do not parse.", MediaMalformed);
        Counter(text, "mediaserver_media_unknown_source_total", "Media datagrams from an address no ICE check validated, or before keys exist.", MediaUnknownSource);
        Counter(text, "mediaserver_media_send_errors_total", "Media datagrams the socket refused to send.", MediaSendErrors);
        Counter(text, "mediaserver_media_dispatch_errors_total", "Media datagrams whose handling failed unexpectedly.", MediaDispatchErrors);
        Counter(text, "mediaserver_stun_answered_total", "ICE connectivity and consent checks answered.", StunAnswered);
        Counter(text, "mediaserver_stun_rejected_total", "STUN requests refused (unknown ufrag or bad MESSAGE-INTEGRITY).", StunRejected);
        Counter(text, "mediaserver_dtls_failures_total", "DTLS handshakes that failed (timeout, alert, fingerprint mismatch).", DtlsFailures);
        Counter(text, "mediaserver_srtp_dropped_total", "SRTP/SRTCP packets dropped: authentication or replay check failed.", SrtpDropped);
        Counter(text, "mediaserver_rtp_retransmissions_total", "RTP packets sent again in answer to a NACK.", Retransmissions);
        Counter(text, "mediaserver_plain_rtp_packets_in_total", "Datagrams received on the RTP and RTCP ports of plain (SIP) legs.", PlainRtpPacketsIn);
        Counter(text, "mediaserver_plain_rtp_packets_out_total", "Datagrams sent from the RTP and RTCP ports of plain (SIP) legs.", PlainRtpPacketsOut);
        Counter(text, "mediaserver_plain_rtp_malformed_total", "Datagrams on plain RTP ports that are no RTP/RTCP or have an implausible payload.", PlainRtpMalformed);
        Counter(text, "mediaserver_plain_rtp_wrong_payload_type_total", "RTP packets on plain legs with a payload type the SDP did not agree.", PlainRtpWrongPayloadType);
        Counter(text, "mediaserver_plain_rtp_unknown_source_total", "Packets on plain legs from an address other than the one the leg latched to.", PlainRtpUnknownSource);
        Counter(text, "mediaserver_plain_rtp_send_errors_total", "Datagrams a plain RTP socket refused to send.", PlainRtpSendErrors);
        Counter(text, "mediaserver_plain_rtp_latched_total", "Plain legs that latched to the source of their first valid RTP packet (symmetric RTP).", PlainRtpLatched);
        Counter(text, "mediaserver_plain_rtp_timeouts_total", "Plain legs ended because no RTP arrived for the media timeout.", PlainRtpTimeouts);
        Gauge(text, "mediaserver_rtp_port_pairs", "RTP/RTCP port pairs rented to plain legs.", RtpPortsInUse);
        Counter(text, "mediaserver_rtp_ports_exhausted_total", "Plain legs refused because no RTP port pair was free.", RtpPortsExhausted);
        Gauge(text, "mediaserver_overload_level", "Overload shedding level: 0 normal, 1 reduced Opus complexity and half canvas fps, 2 minimal (new calls refused when configured).", Interlocked.Read(ref OverloadLevel));
        Counter(text, "mediaserver_overload_raises_total", "Times the overload governor raised its level.", Interlocked.Read(ref OverloadRaises));
        Counter(text, "mediaserver_overload_lowers_total", "Times the overload governor lowered its level.", Interlocked.Read(ref OverloadLowers));
        const string refused = "mediaserver_calls_refused_total";
        text.Append("# HELP ").Append(refused).Append(" New calls and joins refused by admission control, by reason.\n");
        text.Append("# TYPE ").Append(refused).Append(" counter\n");
        text.Append(refused).Append("{reason=\"max_calls\"} ").Append(Interlocked.Read(ref CallsRefusedMaxCalls).ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(refused).Append("{reason=\"max_conference_members\"} ").Append(Interlocked.Read(ref CallsRefusedMaxConferenceMembers).ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(refused).Append("{reason=\"overloaded\"} ").Append(Interlocked.Read(ref CallsRefusedOverloaded).ToString(CultureInfo.InvariantCulture)).Append('\n');
        Gauge(text, "mediaserver_conferences", "Active conferences (one audio mixer each).", mixer?.Mixers ?? 0);
        Gauge(text, "mediaserver_conference_members", "Conference members being mixed.", mixer?.Members ?? 0);
        if (mixer is not null)
        {
            RenderMixer(text, mixer);
        }

        return text.ToString();
    }

    /// <summary>The media plane's figures: tick lateness as a histogram (p99 from the buckets), codec work counted and timed.</summary>
    private static void RenderMixer(StringBuilder text, MediaServer.Mixer.Runtime.MixerMetrics mixer)
    {
        const string lateness = "mediaserver_mixer_tick_lateness_seconds";
        text.Append("# HELP ").Append(lateness).Append(" How late mixer ticks started against their 20 ms schedule.\n");
        text.Append("# TYPE ").Append(lateness).Append(" histogram\n");
        long cumulative = 0;
        var buckets = mixer.LatenessBuckets;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += Interlocked.Read(in buckets[i]);
            var bound = i < MediaServer.Mixer.Runtime.MixerMetrics.LatenessBoundsUs.Length
                ? (MediaServer.Mixer.Runtime.MixerMetrics.LatenessBoundsUs[i] / 1e6).ToString(CultureInfo.InvariantCulture)
                : "+Inf";
            text.Append(lateness).Append("_bucket{le=\"").Append(bound).Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append(lateness).Append("_sum ").Append((Interlocked.Read(ref mixer.LatenessSumUs) / 1e6).ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(lateness).Append("_count ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Gauge(text, "mediaserver_mixer_tick_lateness_p99_microseconds", "Upper bound of the lateness bucket holding the 99th percentile tick.", mixer.LatenessQuantileUs(0.99));
        Counter(text, "mediaserver_mixer_ticks_total", "Mixer clock ticks.", mixer.Ticks);
        Counter(text, "mediaserver_mixer_tick_overruns_total", "Times a mixer thread fell so far behind that it skipped ahead.", mixer.TickOverruns);
        Seconds(text, "mediaserver_mixer_work_seconds_total", "Time mixer threads spent working.", mixer.TickWorkTicks);
        Counter(text, "mediaserver_audio_decodes_total", "Audio packets decoded or concealed by the mixer.", mixer.Decodes);
        Seconds(text, "mediaserver_audio_decode_seconds_total", "Time spent decoding audio.", mixer.DecodeTicks);
        Counter(text, "mediaserver_audio_decode_errors_total", "Audio payloads that would not decode (concealed instead).", mixer.DecodeErrors);
        Counter(text, "mediaserver_audio_concealed_total", "Lost audio packets concealed.", mixer.Concealed);
        Counter(text, "mediaserver_audio_fec_recovered_total", "Lost audio packets rebuilt from Opus in-band FEC.", mixer.FecRecovered);
        Counter(text, "mediaserver_audio_encodes_total", "Audio frames encoded by the mixer.", mixer.Encodes);
        Seconds(text, "mediaserver_audio_encode_seconds_total", "Time spent encoding audio.", mixer.EncodeTicks);
        Counter(text, "mediaserver_audio_shared_deliveries_total", "Frames sent from an encode shared with other members (no encode of their own).", mixer.SharedEncodeDeliveries);
        Gauge(text, "mediaserver_canvases", "Video canvases (rooms with video) being composed.", mixer.Canvases);
        Counter(text, "mediaserver_canvas_frames_total", "Canvas frames composed (one per canvas tick).", mixer.CanvasFrames);
        Seconds(text, "mediaserver_canvas_compose_seconds_total", "Time spent composing canvases.", mixer.CanvasComposeTicks);
        Counter(text, "mediaserver_video_encodes_total", "Canvas frames encoded to VP8.", mixer.VideoEncodes);
        Seconds(text, "mediaserver_video_encode_seconds_total", "Time spent encoding canvases.", mixer.VideoEncodeTicks);
        Counter(text, "mediaserver_video_decodes_total", "Member video frames decoded.", mixer.VideoDecodes);
        Seconds(text, "mediaserver_video_decode_seconds_total", "Time spent decoding member video.", mixer.VideoDecodeTicks);
        Counter(text, "mediaserver_video_decode_errors_total", "Member video frames that would not decode (a keyframe is requested).", mixer.VideoDecodeErrors);
    }

    private static void Seconds(StringBuilder text, string name, string help, long stopwatchTicks)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" counter\n");
        text.Append(name).Append(' ').Append(MediaServer.Mixer.Runtime.MixerMetrics.Seconds(stopwatchTicks).ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
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

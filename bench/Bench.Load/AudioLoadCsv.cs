using System.Globalization;
using System.Text;

namespace MediaServer.Bench.Load;

/// <summary>
/// The audio run's measured windows as CSV (<c>--report DIR</c> writes it as steps.csv): one
/// row per ramp step, or the one held window in fixed mode, with a header row. RFC 4180:
/// comma separated, CRLF line ends, a field quoted when it holds a comma, quote or line break.
/// Numbers are invariant culture so a spreadsheet in any locale reads the same file.
/// </summary>
internal static class AudioLoadCsv
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    private static readonly string[] AudioColumns =
    [
        "step", "rooms", "members", "server_members", "seconds",
        "server_cpu_percent", "server_cpu_peak_percent", "server_cores",
        "members_per_core", "members_per_busy_core",
        "tick_lateness_p50_ms", "tick_lateness_p99_ms", "ticks", "tick_overruns",
        "encodes_per_s", "decodes_per_s", "concealed_per_s", "shared_deliveries_per_s",
        "sent_per_s", "received_per_s", "loss_percent", "missing_percent",
        "jitter_mean_ms", "jitter_max_ms", "decoded", "decode_errors", "audible_percent", "srtp_failures",
        "latency_count", "latency_missed", "latency_p50_ms", "latency_p95_ms",
        "client_cpu_percent", "result", "crossed_limit",
    ];

    private static readonly string[] VideoColumns =
    [
        "video_members", "video_fps_mean", "video_fps_min", "video_fps_max", "video_second_fps_min", "video_second_fps_max",
        "video_loss_percent", "video_decoded", "video_decode_errors",
        "compose_ms_per_frame", "encode_ms_per_frame", "decode_ms_per_frame", "video_work_cores",
    ];

    public static string ToCsv(AudioLoadResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        AudioLoadOptions o = r.Options;
        bool video = o.Video || r.Steps.Any(s => s.Video is not null);
        var csv = new StringBuilder();
        AppendRow(csv, video ? [.. AudioColumns, .. VideoColumns] : AudioColumns);

        IReadOnlyList<AudioWindow> windows = o.Ramp ? r.Steps : r.Result is null ? [] : [r.Result];
        var limits = ReportStatistics.Limits.Of(o);
        for (int i = 0; i < windows.Count; i++)
        {
            AudioWindow w = windows[i];
            var row = new List<string>
            {
                (i + 1).ToString(Inv),
                w.Rooms.ToString(Inv),
                w.Members.ToString(Inv),
                Number(w.ServerMembers),
                Number(w.Seconds),
                Number(w.ServerCpuPercent),
                Number(w.ServerCpuPeakPercent),
                Number(w.ServerCores),
                Number(ReportStatistics.MembersPerCore(w.Members, o.Cores)),
                Number(ReportStatistics.MembersPerBusyCore(w.Members, w.ServerCpuPercent, o.Cores)),
                Number(w.TickLatenessP50Milliseconds),
                Number(w.TickLatenessP99Milliseconds),
                Number(w.Ticks),
                Number(w.TickOverruns),
                Number(w.EncodesPerSecond),
                Number(w.DecodesPerSecond),
                Number(w.ConcealedPerSecond),
                Number(w.SharedDeliveriesPerSecond),
                Number(w.SentPerSecond),
                Number(w.ReceivedPerSecond),
                Number(w.LossPercent),
                Number(w.MissingPercent),
                Number(w.JitterMeanMilliseconds),
                Number(w.JitterMaxMilliseconds),
                w.Decoded.ToString(Inv),
                w.DecodeErrors.ToString(Inv),
                Number(w.AudiblePercent),
                w.SrtpFailures.ToString(Inv),
                w.LatencyCount.ToString(Inv),
                w.LatencyMissed.ToString(Inv),
                Number(w.LatencyP50Milliseconds),
                Number(w.LatencyP95Milliseconds),
                Number(w.ClientCpuPercent),
                Role(r, w),
                ReportStatistics.CrossedLimit(w, limits) ?? string.Empty,
            };
            if (video)
            {
                VideoWindow? v = w.Video;
                row.AddRange(
                [
                    v is null ? string.Empty : v.Members.ToString(Inv),
                    Number(v?.FpsMean), Number(v?.FpsMin), Number(v?.FpsMax), Number(v?.SecondFpsMin), Number(v?.SecondFpsMax),
                    Number(v?.LossPercent),
                    v is null ? string.Empty : v.Decoded.ToString(Inv),
                    v is null ? string.Empty : v.DecodeErrors.ToString(Inv),
                    Number(v?.ComposeMillisecondsPerFrame), Number(v?.EncodeMillisecondsPerFrame), Number(v?.DecodeMillisecondsPerFrame),
                    Number(v?.VideoWorkCores),
                ]);
            }
            AppendRow(csv, row);
        }
        return csv.ToString();
    }

    /// <summary>One field as RFC 4180 §2 wants it: quoted, inner quotes doubled, when it holds a comma, quote, CR or LF.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    internal static void AppendRow(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(Field));
        csv.Append("\r\n");
    }

    /// <summary>Whether the window is the run's result, the step that ended the ramp, or neither.</summary>
    private static string Role(AudioLoadResult r, AudioWindow w) =>
        ReferenceEquals(w, r.Result) ? "result" : ReferenceEquals(w, r.FailedStep) ? "crossed" : string.Empty;

    // Null (the server did not say) is an empty cell; +Inf (tick lateness past the last
    // histogram bucket) is "+Inf", as Prometheus writes it, since a number would lie.
    internal static string Number(double? value) => value switch
    {
        null => string.Empty,
        double.PositiveInfinity => "+Inf",
        double v => Math.Round(v, 3).ToString("0.###", Inv),
    };
}

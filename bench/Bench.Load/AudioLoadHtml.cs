using System.Globalization;
using System.Text;
using static MediaServer.Bench.Load.HtmlReport;

namespace MediaServer.Bench.Load;

/// <summary>
/// The audio run as one self-contained HTML page (<c>--report DIR</c> writes it as
/// report.html): summary with the issue's goal, members against server CPU, tick lateness
/// p99 per step, a latency distribution and the step table. Charts are inline SVG drawn here
/// from the figures; there is no script, no font and no URL, so the file opens offline, on a
/// phone or as a CI artifact. Every piece of text from the run is HTML-escaped.
/// </summary>
internal static class AudioLoadHtml
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Renders the page. The latency chart draws <paramref name="latency"/> when given: (label,
    /// milliseconds) bars, from <see cref="LatencyBars(LatencyHistogram)"/> or
    /// <see cref="LatencyBars(IEnumerable{double})"/>, the hook for any other latency source.
    /// Without it, the latency probe's samples of the result step; without those, the call
    /// set-up latencies every result carries.
    /// </summary>
    public static string ToHtml(AudioLoadResult r, DateTimeOffset generatedAt, IReadOnlyList<(string Label, double Milliseconds)>? latency = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        AudioLoadOptions o = r.Options;
        var limits = ReportStatistics.Limits.Of(o);
        IReadOnlyList<AudioWindow> windows = o.Ramp ? r.Steps : r.Result is null ? [] : [r.Result];
        var html = new StringBuilder();

        string title = $"Audio load report: {(o.Video ? "audio + video" : "audio")}, {r.Mode}, rooms of {o.RoomSize}";
        AppendHead(html, title, Timestamp(generatedAt) + " · " + Describe(o));

        AppendSummary(html, r, limits);

        html.Append("<h2>Members vs server CPU</h2>\n");
        var cpuPoints = windows.Select(w => new ChartPoint(w.Members, w.ServerCpuPercent, ReportStatistics.CrossedLimit(w, limits) is not null)).ToList();
        html.Append(LineChart("Members vs server CPU (% of the machine)", cpuPoints, "members", "server CPU %", o.MaxCpuPercent,
            string.Create(Inv, $"limit {o.MaxCpuPercent:0.#} %"), yCeiling: 100, chartClass: "chart-cpu"));

        html.Append("<h2>Tick lateness p99 per step</h2>\n");
        var latenessPoints = windows.Select(w => new ChartPoint(w.Members, w.TickLatenessP99Milliseconds, ReportStatistics.CrossedLimit(w, limits) is not null)).ToList();
        html.Append(LineChart("Mixer tick lateness p99 per step (ms, histogram bucket upper bound)", latenessPoints, "members", "tick p99 ms",
            o.MaxLatenessMilliseconds, string.Create(Inv, $"limit {o.MaxLatenessMilliseconds:0.##} ms"), yCeiling: null, chartClass: "chart-lateness"));
        html.Append("<p class=\"note\">Tick lateness is read from the server's histogram, so each point is the upper bound of the bucket its p99 falls in; a point at the top edge marked ∞ was past the last bucket.</p>\n");

        html.Append("<h2>Latency distribution</h2>\n");
        // The latency probe's samples (AudioWindow.LatencyMilliseconds) of the result step, or
        // of the last step when none passed; a caller's bars take precedence.
        AudioWindow? latencyWindow = r.Result ?? (windows.Count > 0 ? windows[^1] : null);
        if (latency is not { Count: > 0 } && latencyWindow?.LatencyMilliseconds is { Count: > 0 } samples)
        {
            latency = LatencyBars(samples);
        }
        if (latency is { Count: > 0 })
        {
            html.Append(BarChart("End-to-end audio latency percentiles (ms)", latency, "chart-latency"));
            if (latencyWindow is { LatencyCount: > 0 } lw)
            {
                html.Append("<p class=\"note\">").Append(E(string.Create(Inv,
                    $"{lw.LatencyCount} chirp markers found, {lw.LatencyMissed} missed, at {lw.Members} members: talker to listener through the server on loopback, both encoders included. Percentiles interpolated between samples."))).Append("</p>\n");
            }
        }
        else if (r.Joined > 0)
        {
            // A run without latency markers still has the members' set-up times.
            html.Append(BarChart("Call set-up latency (ms)",
            [
                ("join p50", r.JoinP50Milliseconds),
                ("join p99", r.JoinP99Milliseconds),
                ("answer p50", r.AnswerP50Milliseconds),
                ("DTLS p50", r.DtlsP50Milliseconds),
            ], "chart-latency"));
            html.Append("<p class=\"note\">Join: invite sent until media flows; answer: invite until the server's answer; DTLS: the handshake. This run found no end-to-end latency markers.</p>\n");
        }
        else
        {
            html.Append("<p class=\"note\">No member joined, so there is no latency to show.</p>\n");
        }

        AppendSteps(html, r, windows, limits);
        AppendRun(html, r);
        AppendTail(html);
        return html.ToString();
    }

    /// <summary>Bars for a latency histogram (µs inside): p50, p90, p99, p99.9 and the largest, in ms.</summary>
    public static IReadOnlyList<(string Label, double Milliseconds)> LatencyBars(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.Count == 0)
        {
            return [];
        }
        return
        [
            ("p50", histogram.PercentileMicros(50) / 1000.0),
            ("p90", histogram.PercentileMicros(90) / 1000.0),
            ("p99", histogram.PercentileMicros(99) / 1000.0),
            ("p99.9", histogram.PercentileMicros(99.9) / 1000.0),
            ("max", histogram.MaxMicros / 1000.0),
        ];
    }

    /// <summary>Bars for raw latency samples in ms: p50, p90, p99, p99.9 (interpolated) and the largest.</summary>
    public static IReadOnlyList<(string Label, double Milliseconds)> LatencyBars(IEnumerable<double> samplesMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(samplesMilliseconds);
        double[] sorted = samplesMilliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return [];
        }
        return
        [
            ("p50", ReportStatistics.Percentile(sorted, 50)!.Value),
            ("p90", ReportStatistics.Percentile(sorted, 90)!.Value),
            ("p99", ReportStatistics.Percentile(sorted, 99)!.Value),
            ("p99.9", ReportStatistics.Percentile(sorted, 99.9)!.Value),
            ("max", sorted[^1]),
        ];
    }

    private static void AppendSummary(StringBuilder html, AudioLoadResult r, ReportStatistics.Limits limits)
    {
        AudioLoadOptions o = r.Options;
        AudioWindow? w = r.Result;
        // A fixed run's held window is not checked against the limits by the run itself.
        bool inside = w is not null && ReportStatistics.CrossedLimit(w, limits) is null;
        double? perCore = w is null ? null : ReportStatistics.MembersPerCore(w.Members, o.Cores);

        html.Append("<h2>Summary</h2>\n<div class=\"scroll\"><table class=\"kv\">\n");
        Row(html, "Run", r.Succeeded ? "measured (media checked out)" : "failed (see errors below)", r.Succeeded ? "good" : "bad");
        Row(html, "Stopped because", r.StopReason);
        Row(html, "Ramp limits", string.Create(Inv,
            $"server CPU <= {o.MaxCpuPercent:0.#} % of the machine, tick lateness p99 <= {o.MaxLatenessMilliseconds:0.##} ms, loss and missing frames <= {o.MaxLossPercent:0.##} %"));
        if (w is null)
        {
            Row(html, o.Ramp ? "Last passing step" : "Measured", o.Ramp ? "no step stayed inside the limits" : "nothing measured", "bad");
        }
        else
        {
            Row(html, o.Ramp ? "Last passing step" : "Measured", string.Create(Inv,
                $"{w.Members} members in {w.Rooms} rooms over {w.Seconds:0.0} s{(o.Ramp || inside ? "" : " (outside a limit: " + ReportStatistics.CrossedLimit(w, limits) + ")")}"));
            Row(html, "Members per core", string.Create(Inv,
                $"{perCore:0.0} per core of {o.Cores}; {Format(ReportStatistics.MembersPerBusyCore(w.Members, w.ServerCpuPercent, o.Cores), "0.0")} per core the server used"));
            Row(html, "Server CPU", $"{Format(w.ServerCpuPercent, "0.0", " %")} average, {Format(w.ServerCpuPeakPercent, "0.0", " %")} peak (of the machine)");
            Row(html, "Tick lateness", $"p50 {Lateness(w.TickLatenessP50Milliseconds)}, p99 {Lateness(w.TickLatenessP99Milliseconds)}");
            Row(html, "Media", string.Create(Inv,
                $"loss {w.LossPercent:0.000} %, missing frames {w.MissingPercent:0.000} %, jitter {w.JitterMeanMilliseconds:0.00} ms mean, {w.JitterMaxMilliseconds:0.00} ms max, {w.AudiblePercent:0.0} % of decoded frames audible"));
        }
        if (r.FailedStep is { } failed)
        {
            Row(html, "Limit crossed at", string.Create(Inv, $"{failed.Members} members in {failed.Rooms} rooms"));
        }

        ReportStatistics.Goal? goal = o.Video ? null : ReportStatistics.GoalFor(o.RoomSize, o.Talkers);
        if (goal is { } g)
        {
            bool met = inside && perCore >= g.MembersPerCore;
            string verdict = perCore is { } pc
                ? string.Create(Inv, $"{(met ? "met" : "not met")}: {pc:0.0} members per core, goal {g.MembersPerCore:0}")
                : "not met: no step inside the limits";
            Row(html, "Goal", g.Description);
            Row(html, "Goal verdict", verdict, met ? "good" : "bad");
            if (o.Ramp && r.FailedStep is null && !met)
            {
                Row(html, "Note", "the ramp ended before crossing a limit, so the machine may carry more than this run asked of it");
            }
        }
        else
        {
            Row(html, "Goal", o.Video
                ? "the issue's audio goals do not apply to a video run"
                : string.Create(Inv, $"the issue states no goal for rooms of {o.RoomSize} with {o.Talkers} talkers (goals: 5-member rooms all talking >= 50/core; 30+ member rooms with <= 4 talkers >= 300/core)"));
        }
        html.Append("</table></div>\n");
    }

    private static void AppendSteps(StringBuilder html, AudioLoadResult r, IReadOnlyList<AudioWindow> windows, ReportStatistics.Limits limits)
    {
        AudioLoadOptions o = r.Options;
        html.Append("<h2>").Append(o.Ramp ? "Steps" : "Measured window").Append("</h2>\n");
        if (windows.Count == 0)
        {
            html.Append("<p class=\"note\">Nothing was measured.</p>\n");
            return;
        }
        html.Append("<div class=\"scroll\"><table class=\"steps\">\n<tr><th>#</th><th>rooms</th><th>members</th><th>CPU %</th><th>peak %</th>")
            .Append("<th>members/core</th><th>tick p50</th><th>tick p99</th><th>loss %</th><th>missing %</th><th>jitter ms</th><th>latency p50 ms</th><th>client CPU %</th><th>limit</th></tr>\n");
        for (int i = 0; i < windows.Count; i++)
        {
            AudioWindow w = windows[i];
            string? crossed = ReportStatistics.CrossedLimit(w, limits);
            string cls = ReferenceEquals(w, r.Result) ? " class=\"result\"" : crossed is not null ? " class=\"crossed\"" : "";
            html.Append("<tr").Append(cls).Append('>');
            Cell(html, (i + 1).ToString(Inv));
            Cell(html, w.Rooms.ToString(Inv));
            Cell(html, w.Members.ToString(Inv));
            Cell(html, Format(w.ServerCpuPercent, "0.0"));
            Cell(html, Format(w.ServerCpuPeakPercent, "0.0"));
            Cell(html, ReportStatistics.MembersPerCore(w.Members, o.Cores).ToString("0.0", Inv));
            Cell(html, Lateness(w.TickLatenessP50Milliseconds));
            Cell(html, Lateness(w.TickLatenessP99Milliseconds));
            Cell(html, w.LossPercent.ToString("0.00", Inv));
            Cell(html, w.MissingPercent.ToString("0.00", Inv));
            Cell(html, w.JitterMeanMilliseconds.ToString("0.00", Inv));
            Cell(html, Format(w.LatencyP50Milliseconds, "0.0"));
            Cell(html, w.ClientCpuPercent.ToString("0", Inv));
            Cell(html, crossed ?? "");
            html.Append("</tr>\n");
        }
        html.Append("</table></div>\n<p class=\"note\">Highlighted: the result step (green), steps over a limit (red). steps.csv has every figure.</p>\n");
    }

    private static void AppendRun(StringBuilder html, AudioLoadResult r)
    {
        html.Append("<h2>Run</h2>\n<div class=\"scroll\"><table class=\"kv\">\n");
        string profiles = string.Join(", ", r.SrtpProfiles.Select(p => string.Create(Inv, $"{p.Key} {p.Value}")));
        Row(html, "Joins", string.Create(Inv, $"{r.Joined}/{r.Attempted}; SRTP {profiles}"));
        Row(html, "Calls", string.Create(Inv, $"{r.HungUpCleanly} hung up cleanly, {r.ServerHangups} ended by the server, {r.Dropped} websockets dropped"));
        Row(html, "Elapsed", string.Create(Inv, $"{r.ElapsedSeconds:0} s{(r.HitTimeLimit ? " (hit the time limit)" : "")}"));
        foreach (string warning in r.Warnings)
        {
            Row(html, "Warning", warning, "bad");
        }
        foreach (ErrorCount error in r.Errors)
        {
            Row(html, "Error", string.Create(Inv, $"{error.Count} × {error.Kind}{(error.Sample is null ? "" : ": " + error.Sample)}"), "bad");
        }
        html.Append("</table></div>\n");
    }

    private static string Describe(AudioLoadOptions o)
    {
        string rooms = o.Destination is null ? $"rooms {o.RoomName(0)}…" : $"destination {o.Destination}";
        string ramp = o.Ramp
            ? string.Create(Inv, $"ramp from {o.StartRooms} rooms, +{o.StepRooms} per step, {o.StepSeconds:0.#} s measured after {o.SettleSeconds:0.#} s settle, up to {o.Members} members within {o.DurationSeconds:0} s")
            : string.Create(Inv, $"fixed: {o.Members} members held {o.DurationSeconds:0} s");
        return string.Create(Inv, $"{(o.Video ? "audio + video" : "audio")}; {o.Members} members max in rooms of {o.RoomSize} with {o.Talkers} talkers ({rooms}); {ramp}; {o.Cores} cores; server {o.Url.Host}:{o.Url.Port}");
    }

}

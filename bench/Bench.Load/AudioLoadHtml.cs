using System.Globalization;
using System.Net;
using System.Text;

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

    private const int ChartWidth = 640;
    private const int ChartHeight = 300;
    private const int Left = 56;
    private const int Right = 20;
    private const int Top = 18;
    private const int Bottom = 46;

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
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        html.Append("<p class=\"meta\">").Append(E(generatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv)))
            .Append(" · ").Append(E(Describe(o))).Append("</p>\n");

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
        html.Append("</body>\n</html>\n");
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

    private readonly record struct ChartPoint(double X, double? Y, bool Crossed);

    /// <summary>
    /// A line chart of <paramref name="points"/> (x ascending) from 0, with a dashed line at
    /// <paramref name="limit"/>. Points over a limit are red; +Inf is drawn at the top edge
    /// and marked ∞; null (not reported) is left out.
    /// </summary>
    private static string LineChart(string title, IReadOnlyList<ChartPoint> points, string xLabel, string yLabel,
        double limit, string limitLabel, double? yCeiling, string chartClass)
    {
        var known = points.Where(p => p.Y is { } y && !double.IsNaN(y)).ToList();
        double maxX = NiceCeiling(Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.X)));
        double maxFinite = known.Where(p => double.IsFinite(p.Y!.Value)).Select(p => p.Y!.Value).DefaultIfEmpty(0).Max();
        double maxY = NiceCeiling(Math.Max(limit * 1.15, maxFinite * 1.08));
        if (yCeiling is { } ceiling)
        {
            maxY = Math.Min(maxY, ceiling);
        }
        double plotW = ChartWidth - Left - Right;
        double plotH = ChartHeight - Top - Bottom;
        double Px(double x) => Left + x / maxX * plotW;
        double Py(double y) => Top + plotH - Math.Min(y, maxY) / maxY * plotH;

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg class=\"chart {chartClass}\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" role=\"img\" aria-label=\"{E(title)}\">")
            .Append("<title>").Append(E(title)).Append("</title>\n");
        foreach (double tick in Ticks(maxY))
        {
            double y = Py(tick);
            svg.Append(Inv, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{ChartWidth - Right}\" y2=\"{y:0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{E(tick.ToString("0.##", Inv))}</text>\n");
        }
        foreach (double tick in Ticks(maxX))
        {
            double x = Px(tick);
            svg.Append(Inv, $"<line class=\"grid\" x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Top + plotH:0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{x:0.#}\" y=\"{Top + plotH + 16:0.#}\" text-anchor=\"middle\">{E(tick.ToString("0.##", Inv))}</text>\n");
        }
        svg.Append(Inv, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top + plotH:0.#}\" x2=\"{ChartWidth - Right}\" y2=\"{Top + plotH:0.#}\"/>")
            .Append(Inv, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH:0.#}\"/>\n");
        svg.Append(Inv, $"<text class=\"label\" x=\"{Left + plotW / 2:0.#}\" y=\"{ChartHeight - 8}\" text-anchor=\"middle\">{E(xLabel)}</text>")
            .Append(Inv, $"<text class=\"label\" x=\"14\" y=\"{Top + plotH / 2:0.#}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + plotH / 2:0.#})\">{E(yLabel)}</text>\n");

        if (limit <= maxY)
        {
            double ly = Py(limit);
            svg.Append(Inv, $"<line class=\"limit\" x1=\"{Left}\" y1=\"{ly:0.#}\" x2=\"{ChartWidth - Right}\" y2=\"{ly:0.#}\"/>")
                .Append(Inv, $"<text class=\"limit-label\" x=\"{ChartWidth - Right - 4}\" y=\"{ly - 5:0.#}\" text-anchor=\"end\">{E(limitLabel)}</text>\n");
        }
        if (known.Count == 0)
        {
            svg.Append(Inv, $"<text class=\"label\" x=\"{Left + plotW / 2:0.#}\" y=\"{Top + plotH / 2:0.#}\" text-anchor=\"middle\">no data</text>\n");
        }
        else
        {
            svg.Append("<polyline class=\"line\" points=\"")
                .AppendJoin(' ', known.Select(p => string.Create(Inv, $"{Px(p.X):0.#},{Py(p.Y!.Value):0.#}")))
                .Append("\"/>\n");
            foreach (ChartPoint p in known)
            {
                double value = p.Y!.Value;
                string text = double.IsPositiveInfinity(value) ? "∞" : value.ToString("0.##", Inv);
                svg.Append(Inv, $"<circle class=\"{(p.Crossed ? "dot crossed" : "dot")}\" cx=\"{Px(p.X):0.#}\" cy=\"{Py(value):0.#}\" r=\"4\"><title>{E(string.Create(Inv, $"{p.X:0} {xLabel}: {text}"))}</title></circle>");
                if (double.IsPositiveInfinity(value) || value > maxY)
                {
                    svg.Append(Inv, $"<text class=\"tick\" x=\"{Px(p.X) + 6:0.#}\" y=\"{Top + 10}\">{E(text)}</text>");
                }
                svg.Append('\n');
            }
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Horizontal bars, one per (label, ms), scaled to the largest finite value.</summary>
    private static string BarChart(string title, IReadOnlyList<(string Label, double Milliseconds)> bars, string chartClass)
    {
        const int rowHeight = 30;
        const int labelWidth = 110;
        const int valueWidth = 90;
        int height = Top + bars.Count * rowHeight + 10;
        double max = bars.Select(b => b.Milliseconds).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        double scale = max > 0 ? (ChartWidth - labelWidth - valueWidth) / max : 0;

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg class=\"chart {chartClass}\" viewBox=\"0 0 {ChartWidth} {height}\" role=\"img\" aria-label=\"{E(title)}\">")
            .Append("<title>").Append(E(title)).Append("</title>\n");
        for (int i = 0; i < bars.Count; i++)
        {
            (string label, double ms) = bars[i];
            double y = Top + i * rowHeight;
            double w = double.IsFinite(ms) ? Math.Max(0, ms * scale) : ChartWidth - labelWidth - valueWidth;
            string value = double.IsFinite(ms) ? ms.ToString("0.##", Inv) + " ms" : "∞";
            svg.Append(Inv, $"<text class=\"label\" x=\"{labelWidth - 8}\" y=\"{y + 18:0.#}\" text-anchor=\"end\">{E(label)}</text>")
                .Append(Inv, $"<rect class=\"bar\" x=\"{labelWidth}\" y=\"{y + 4:0.#}\" width=\"{w:0.#}\" height=\"{rowHeight - 8}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{labelWidth + w + 6:0.#}\" y=\"{y + 18:0.#}\">{E(value)}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 × 10^k at or above <paramref name="value"/>, so axis ticks land on round numbers.</summary>
    private static double NiceCeiling(double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            return 1;
        }
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (step * magnitude >= value * (1 - 1e-9))
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /// <summary>Five grid lines from 0 to <paramref name="max"/> (a NiceCeiling, so the steps are round).</summary>
    private static IEnumerable<double> Ticks(double max)
    {
        for (int i = 0; i <= 5; i++)
        {
            yield return max * i / 5;
        }
    }

    private static string Describe(AudioLoadOptions o)
    {
        string rooms = o.Destination is null ? $"rooms {o.RoomName(0)}…" : $"destination {o.Destination}";
        string ramp = o.Ramp
            ? string.Create(Inv, $"ramp from {o.StartRooms} rooms, +{o.StepRooms} per step, {o.StepSeconds:0.#} s measured after {o.SettleSeconds:0.#} s settle, up to {o.Members} members within {o.DurationSeconds:0} s")
            : string.Create(Inv, $"fixed: {o.Members} members held {o.DurationSeconds:0} s");
        return string.Create(Inv, $"{(o.Video ? "audio + video" : "audio")}; {o.Members} members max in rooms of {o.RoomSize} with {o.Talkers} talkers ({rooms}); {ramp}; {o.Cores} cores; server {o.Url.Host}:{o.Url.Port}");
    }

    private static void Row(StringBuilder html, string key, string value, string? cls = null)
    {
        html.Append("<tr><th>").Append(E(key)).Append("</th><td");
        if (cls is not null)
        {
            html.Append(" class=\"").Append(cls).Append('"');
        }
        html.Append('>').Append(E(value)).Append("</td></tr>\n");
    }

    private static void Cell(StringBuilder html, string value) => html.Append("<td>").Append(E(value)).Append("</td>");

    private static string Format(double? value, string format, string unit = "") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, Inv) + unit : "n/a";

    private static string Lateness(double? value) => value switch
    {
        null => "n/a",
        double.PositiveInfinity => "past the last bucket",
        double v => "≤" + v.ToString("0.##", Inv) + " ms",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    // System fonts only: a web font would need the network the page must not use.
    private const string Css =
        """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 12px; max-width: 980px; color: #1b1f24; background: #fff; line-height: 1.4; }
        h1 { font-size: 1.35rem; margin: 0.4rem 0; }
        h2 { font-size: 1.1rem; margin: 1.4rem 0 0.4rem; border-bottom: 1px solid #d0d7de; }
        .meta, .note { color: #57606a; font-size: 0.9rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        th, td { padding: 4px 8px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
        table.kv th { white-space: nowrap; color: #57606a; font-weight: 600; }
        table.steps td { white-space: nowrap; font-variant-numeric: tabular-nums; }
        tr.result td { background: #dafbe1; }
        tr.crossed td { background: #ffebe9; }
        td.good { color: #1a7f37; font-weight: 600; }
        td.bad { color: #cf222e; font-weight: 600; }
        svg.chart { width: 100%; height: auto; max-width: 760px; display: block; }
        .grid { stroke: #eaeef2; stroke-width: 1; }
        .axis { stroke: #57606a; stroke-width: 1; }
        .tick { font-size: 11px; fill: #57606a; }
        .label { font-size: 12px; fill: #1b1f24; }
        .line { fill: none; stroke: #0969da; stroke-width: 2; }
        .dot { fill: #0969da; }
        .dot.crossed { fill: #cf222e; }
        .limit { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 6 4; }
        .limit-label { font-size: 11px; fill: #cf222e; }
        .bar { fill: #8250df; }

        """;
}

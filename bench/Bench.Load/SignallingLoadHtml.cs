using System.Globalization;
using System.Text;
using static MediaServer.Bench.Load.HtmlReport;

namespace MediaServer.Bench.Load;

/// <summary>
/// The signalling storm as one self-contained HTML page (<c>--report DIR</c> writes it as
/// report.html): the goal verdict, delivered rate and latency percentiles as a chart, the
/// server's and the client's cost, and anything that went wrong.
/// </summary>
internal static class SignallingLoadHtml
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    public static string ToHtml(LoadResult r, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(r);
        var html = new StringBuilder();
        string title = string.Create(Inv, $"Signalling load report: {r.Connections} connections, {r.Rooms} rooms, {r.Rate:0.##} broadcasts/s each");
        AppendHead(html, title, Timestamp(generatedAt) + " · " + string.Create(Inv,
            $"server {r.Url}; warmup {r.WarmupSeconds:0.##} s, measured {r.DurationSeconds:0.##} s; {r.Cores} cores"));

        IReadOnlyList<string> failures = r.CheckFailures();
        html.Append("<h2>Summary</h2>\n<div class=\"scroll\"><table class=\"kv\">\n");
        Row(html, "Goal", string.Create(Inv,
            $">= {LoadResult.GoalMessagesPerSecond:#,0} delivered messages/s with p99 latency <= {LoadResult.GoalP99Milliseconds:0} ms, nothing lost"));
        Row(html, "Goal verdict", string.Create(Inv,
            $"{(r.GoalMet ? "met" : "not met")}: {r.EventsPerSecond:#,0} msgs/s, p99 {r.LatencyP99Milliseconds:0.0##} ms"), r.GoalMet ? "good" : "bad");
        Row(html, "Delivered", string.Create(Inv,
            $"{r.EventsInWindow:#,0} of {r.EventsExpected:#,0} expected events ({r.EventsPerSecond:#,0}/s), {r.SequenceGaps} out of order"),
            r.EventsInWindow < r.EventsExpected ? "bad" : null);
        Row(html, "Sent", string.Create(Inv,
            $"{r.BroadcastsPerSecond:#,0} broadcasts/s ({r.BroadcastsRejectedInWindow} rejected, {r.BroadcastsSkipped} slots skipped)"));
        Row(html, "Latency", string.Create(Inv,
            $"p50 {r.LatencyP50Milliseconds:0.0##} ms, p90 {r.LatencyP90Milliseconds:0.0##}, p99 {r.LatencyP99Milliseconds:0.0##}, p99.9 {r.LatencyP999Milliseconds:0.0##}, max {r.LatencyMaxMilliseconds:0.0##} ({r.LatencySamples:#,0} samples)"));
        Row(html, "Server CPU", r.ServerCpuPercent is { } cpu
            ? string.Create(Inv, $"{cpu:0.0} % of the machine ({cpu / 100 * r.Cores:0.00} of {r.Cores} cores)")
            : "not measured (no --server-pid)");
        Row(html, "Client cost", string.Create(Inv,
            $"{r.Client.CpuPercent:0.0} % of one core, {r.Client.AllocatedMegabytesPerSecond:0.0} MB/s allocated, GC pause {r.Client.GcPauseMilliseconds:0.0} ms"));
        Row(html, "Set-up", string.Create(Inv,
            $"{r.Ready}/{r.Connections} logged in and subscribed in {r.SetupSeconds:0.00} s; login p50 {r.LoginP50Milliseconds:0.0} ms, p99 {r.LoginP99Milliseconds:0.0} ms"));
        Row(html, "Check", failures.Count == 0 ? "passed" : string.Join("; ", failures), failures.Count == 0 ? "good" : "bad");
        foreach (ErrorCount error in r.Errors)
        {
            Row(html, "Error", string.Create(Inv, $"{error.Count} × {error.Kind}{(error.Sample is null ? "" : ": " + error.Sample)}"), "bad");
        }
        html.Append("</table></div>\n");

        html.Append("<h2>Latency distribution</h2>\n");
        if (r.LatencySamples > 0)
        {
            html.Append(BarChart("Broadcast to delivery latency percentiles (ms)",
            [
                ("p50", r.LatencyP50Milliseconds),
                ("p90", r.LatencyP90Milliseconds),
                ("p99", r.LatencyP99Milliseconds),
                ("p99.9", r.LatencyP999Milliseconds),
                ("max", r.LatencyMaxMilliseconds),
            ], "chart-latency"));
            html.Append("<p class=\"note\">From the sender's timestamp to each subscriber's receipt, one process clock; percentiles from a histogram of microsecond buckets.</p>\n");
        }
        else
        {
            html.Append("<p class=\"note\">No event was delivered in the window, so there is no latency to show.</p>\n");
        }
        AppendTail(html);
        return html.ToString();
    }
}

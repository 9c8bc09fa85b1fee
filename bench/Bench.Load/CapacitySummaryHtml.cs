using System.Globalization;
using System.Text;
using static MediaServer.Bench.Load.HtmlReport;

namespace MediaServer.Bench.Load;

/// <summary>
/// The page <c>Bench.Load --summary DIR</c> writes as DIR/index.html: every goal of the issue
/// against what this bench run measured, MediaServer and Janus AudioBridge side by side on the
/// audio scenarios they both ran, and a link to each run's own report. Self-contained like the
/// run reports (HtmlReport): opens offline.
/// </summary>
internal static class CapacitySummaryHtml
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    public static string ToHtml(IReadOnlyList<CapacityRun> runs, IReadOnlyList<string> skipped, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(skipped);
        var html = new StringBuilder();
        int cores = runs.Count > 0 ? runs[0].Cores : Environment.ProcessorCount;
        AppendHead(html, "Capacity summary", Timestamp(generatedAt) + string.Create(Inv, $" · {runs.Count} runs on this machine ({cores} cores), load generator on the same machine"));

        List<CapacityRun> audio = runs.Where(r => r.Scenario == "audio").ToList();
        List<CapacityRun> video = runs.Where(r => r.Scenario == "audio+video").ToList();
        List<CapacityRun> signalling = runs.Where(r => r.Scenario == "signalling").ToList();

        html.Append("<h2 id=\"goals\">Goals</h2>\n<div class=\"scroll\"><table class=\"goals\">\n<tr><th>goal</th><th>run</th><th>server</th><th>measured</th><th>verdict</th></tr>\n");
        foreach (CapacityRun run in audio)
        {
            // A held (fixed) load says nothing about how many members fit: only ramps are judged on that.
            if (run.Mode == "ramp" && ReportStatistics.GoalFor(run.RoomSize, run.Talkers) is { } goal)
            {
                bool met = run.MembersPerCore >= goal.MembersPerCore;
                GoalRow(html, goal.Description, run, run.MembersPerCore is { } perCore
                    ? string.Create(Inv, $"{run.Members} members = {perCore:0.#} per core at {Format(run.ServerCpuPercent, "0", " %")} CPU")
                    : "no step inside the limits", met);
            }
            if (run.LatencyP50Milliseconds is { } p50)
            {
                bool met = p50 <= CapacityRun.GoalLatencyP50Milliseconds && run.LatencyP95Milliseconds <= CapacityRun.GoalLatencyP95Milliseconds;
                GoalRow(html, string.Create(Inv, $"server-added audio latency p50 <= {CapacityRun.GoalLatencyP50Milliseconds:0} ms, p95 <= {CapacityRun.GoalLatencyP95Milliseconds:0} ms"), run,
                    string.Create(Inv, $"p50 {p50:0.#} ms, p95 {Format(run.LatencyP95Milliseconds, "0.#", " ms")} (end to end, both encoders included)"), met);
            }
        }
        foreach (CapacityRun run in video)
        {
            bool met = run.CanvasesPerCore >= CapacityRun.GoalCanvasesPerCore;
            if (run.Mode != "ramp")
            {
                continue;
            }
            GoalRow(html, string.Create(Inv, $"720p30 canvases >= {CapacityRun.GoalCanvasesPerCore:0.#} per core"), run, run.CanvasesPerCore is { } perCore
                ? string.Create(Inv, $"{run.Rooms} {(run.Rooms == 1 ? "canvas" : "canvases")} ({run.Members} members) = {perCore:0.##} per core, {Format(run.CanvasFps, "0.#")} fps, {Format(run.ServerCpuPercent, "0", " %")} CPU")
                : "no step inside the limits", met);
        }
        foreach (CapacityRun run in signalling)
        {
            bool met = run.Succeeded && run.MessagesPerSecond >= LoadResult.GoalMessagesPerSecond && run.LatencyP99Milliseconds <= LoadResult.GoalP99Milliseconds;
            GoalRow(html, string.Create(Inv, $"signalling >= {LoadResult.GoalMessagesPerSecond:#,0} msgs/s, p99 <= {LoadResult.GoalP99Milliseconds:0} ms"), run,
                string.Create(Inv, $"{Format(run.MessagesPerSecond, "#,0")} msgs/s, p50 {Format(run.LatencyP50Milliseconds, "0.0#")} ms, p99 {Format(run.LatencyP99Milliseconds, "0.0#")} ms, server {Format(run.ServerCpuPercent, "0", " %")} CPU, {run.StopReason}"), met);
        }
        html.Append("</table></div>\n");
        if (runs.Count == 0)
        {
            html.Append("<p class=\"note\">No results.json was found under this folder.</p>\n");
        }

        AppendSideBySide(html, audio);

        html.Append("<h2>Runs</h2>\n<ul>\n");
        foreach (CapacityRun run in runs)
        {
            html.Append("<li><a href=\"").Append(E(run.Report)).Append("\">").Append(E($"{run.Target}: {run.Scenario}, {run.Name}")).Append("</a> — ")
                .Append(E(run.Succeeded ? "ran to the end" : "did not check out")).Append(string.IsNullOrEmpty(run.StopReason) ? "" : E("; " + run.StopReason)).Append("</li>\n");
        }
        html.Append("</ul>\n");
        foreach (string skip in skipped)
        {
            html.Append("<p class=\"note\">Skipped ").Append(E(skip)).Append("</p>\n");
        }
        AppendTail(html);
        return html.ToString();
    }

    /// <summary>
    /// The audio scenarios both servers ran (same folder name), as bars of members per core and of
    /// latency p50, MediaServer and Janus one under the other. Nothing when Janus was not run.
    /// </summary>
    private static void AppendSideBySide(StringBuilder html, List<CapacityRun> audio)
    {
        var pairs = audio.Where(r => r.Target == CapacityRun.MediaServer)
            .Select(ours => (Ours: ours, Janus: audio.FirstOrDefault(j => j.Target == CapacityRun.Janus && j.Name == ours.Name)))
            .Where(p => p.Janus is not null)
            .ToList();
        html.Append("<h2 id=\"side-by-side\">MediaServer and Janus AudioBridge side by side</h2>\n");
        if (pairs.Count == 0)
        {
            html.Append("<p class=\"note\">No audio scenario was run against Janus in this bench run (scripts/janus-load.sh).</p>\n");
            return;
        }
        var perCore = new List<(string, double)>();
        var latency = new List<(string, double)>();
        foreach ((CapacityRun ours, CapacityRun? janus) in pairs)
        {
            foreach (CapacityRun run in new[] { ours, janus! })
            {
                if (run.Mode == "ramp")
                {
                    perCore.Add(($"{run.Name}: {Short(run.Target)}", run.MembersPerCore ?? 0));
                }
                if (run.LatencyP50Milliseconds is { } p50)
                {
                    latency.Add(($"{run.Name}: {Short(run.Target)}", p50));
                }
            }
        }
        static bool IsJanus(string label) => label.EndsWith("Janus", StringComparison.Ordinal);
        if (perCore.Count > 0)
        {
            html.Append(BarChart("Members per core at the last step inside the limits", perCore, "chart-per-core", unit: " /core", labelWidth: 230, alternate: IsJanus));
        }
        if (latency.Count > 0)
        {
            html.Append(BarChart("End-to-end audio latency p50 (ms)", latency, "chart-latency", labelWidth: 230, alternate: IsJanus));
        }
        html.Append("<div class=\"scroll\"><table class=\"steps\">\n<tr><th>scenario</th><th>server</th><th>members</th><th>per core</th><th>CPU %</th><th>latency p50 / p95 ms</th><th>stopped because</th></tr>\n");
        foreach ((CapacityRun ours, CapacityRun? janus) in pairs)
        {
            foreach (CapacityRun run in new[] { ours, janus! })
            {
                html.Append("<tr>");
                Cell(html, run.Name);
                Cell(html, run.Target);
                Cell(html, run.Members?.ToString(Inv) ?? "n/a");
                Cell(html, Format(run.MembersPerCore, "0.#"));
                Cell(html, Format(run.ServerCpuPercent, "0.0"));
                Cell(html, $"{Format(run.LatencyP50Milliseconds, "0.#")} / {Format(run.LatencyP95Milliseconds, "0.#")}");
                Cell(html, run.StopReason);
                html.Append("</tr>\n");
            }
        }
        html.Append("</table></div>\n<p class=\"note\">Both measured in this bench run, one after the other, on the same machine, with the same load generator, room shapes, limits and speech; Janus's CPU is its process's, and it reports no tick lateness, so CPU and loss alone stop its ramp.</p>\n");
    }

    private static string Short(string target) => target == CapacityRun.Janus ? "Janus" : "MediaServer";

    private static void GoalRow(StringBuilder html, string goal, CapacityRun run, string measured, bool met)
    {
        html.Append("<tr>");
        Cell(html, goal);
        html.Append("<td><a href=\"").Append(E(run.Report)).Append("\">").Append(E(run.Name)).Append("</a></td>");
        Cell(html, run.Target);
        Cell(html, measured);
        html.Append("<td class=\"").Append(met ? "good" : "bad").Append("\">").Append(met ? "met" : "short").Append("</td>");
        html.Append("</tr>\n");
    }
}

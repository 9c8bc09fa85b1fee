using System.Globalization;
using System.Text;

namespace MediaServer.Bench.Load;

/// <summary>
/// A fixed run's hold cut into windows of <c>--soak-interval</c> seconds (<c>--soak-csv</c>):
/// the points a soak's trend is read from, and the CSV they are kept in.
/// </summary>
internal static class SoakReport
{
    /// <summary>Consecutive windows of about <paramref name="intervalSeconds"/> over the samples (time order), each sharing its edge sample with the next.</summary>
    public static IReadOnlyList<SoakPoint> Windows(IReadOnlyList<AudioSample> samples, double intervalSeconds, int cores)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var points = new List<SoakPoint>();
        if (samples.Count < 2)
        {
            return points;
        }
        long start = samples[0].Timestamp;
        long interval = (long)(intervalSeconds * System.Diagnostics.Stopwatch.Frequency);
        int from = 0;
        for (int i = 1; i < samples.Count; i++)
        {
            bool last = i == samples.Count - 1;
            if (samples[i].Timestamp - samples[from].Timestamp < interval && !last)
            {
                continue;
            }
            AudioWindow window = AudioWindow.Of(samples.Skip(from).Take(i - from + 1).ToList(), cores);
            points.Add(new SoakPoint(
                (double)(samples[i].Timestamp - start) / System.Diagnostics.Stopwatch.Frequency,
                window.Members,
                samples[i].Server.RssBytes,
                window.TickLatenessP99Milliseconds,
                window.ServerCpuPercent,
                window.LossPercent));
            from = i;
        }
        return points;
    }

    public static string ToCsv(IReadOnlyList<SoakPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        IFormatProvider inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder();
        AudioLoadCsv.AppendRow(csv, ["elapsed_s", "members", "server_rss_bytes", "tick_lateness_p99_ms", "server_cpu_percent", "loss_percent"]);
        foreach (SoakPoint p in points)
        {
            AudioLoadCsv.AppendRow(csv,
            [
                AudioLoadCsv.Number(p.ElapsedSeconds), p.Members.ToString(inv), p.RssBytes?.ToString(inv) ?? string.Empty,
                AudioLoadCsv.Number(p.TickLatenessP99Milliseconds), AudioLoadCsv.Number(p.ServerCpuPercent), AudioLoadCsv.Number(p.LossPercent),
            ]);
        }
        return csv.ToString();
    }
}

using System.Globalization;
using System.Text;

namespace MediaServer.Bench.Load;

/// <summary>
/// Whether a long steady load leaks or drifts (the soak's verdict), from its windows
/// (<see cref="SoakPoint"/>): memory growth as a least-squares slope of the server's RSS,
/// in % of its mean per hour, over the windows after a warm-up (the first fifth: heaps,
/// pools and JIT settle there); tick lateness as the median p99 of the last quarter against
/// the first quarter of the same windows. Pure, so the tests pin it down.
/// </summary>
internal sealed record SoakTrend(int Windows, double? MemoryGrowthPercentPerHour, double? FirstQuarterTickP99Milliseconds, double? LastQuarterTickP99Milliseconds)
{
    /// <summary>The issue's limit: memory may grow by less than 1 % an hour.</summary>
    public const double MaxMemoryGrowthPercentPerHour = 1;

    // "No trend" with histogram buckets (0.25, 0.5, 1, 2, 5 ms...): the last quarter's median p99
    // may not exceed the first's by more than this and by more than half of it (one bucket up at
    // the low end is scheduling noise, not a trend).
    private const double TickTrendToleranceMilliseconds = 1;

    public static SoakTrend Of(IReadOnlyList<SoakPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        List<SoakPoint> settled = points.Skip(points.Count / 5).ToList();
        return new SoakTrend(
            settled.Count,
            GrowthPercentPerHour(settled.Where(p => p.RssBytes is not null).Select(p => (p.ElapsedSeconds, (double)p.RssBytes!.Value)).ToList()),
            Median(settled.Take(Math.Max(1, settled.Count / 4)).Select(p => p.TickLatenessP99Milliseconds)),
            Median(settled.Skip(settled.Count - Math.Max(1, settled.Count / 4)).Select(p => p.TickLatenessP99Milliseconds)));
    }

    /// <summary>Memory grew by less than the limit an hour (unknown growth does not pass).</summary>
    public bool MemoryPasses(double maxPercentPerHour = MaxMemoryGrowthPercentPerHour) =>
        MemoryGrowthPercentPerHour is { } growth && growth < maxPercentPerHour;

    /// <summary>Tick lateness did not trend upwards from the first quarter to the last (unknown does not pass).</summary>
    public bool LatenessPasses =>
        FirstQuarterTickP99Milliseconds is { } first && LastQuarterTickP99Milliseconds is { } last
        && (last <= first + TickTrendToleranceMilliseconds || last <= first * 1.5);

    /// <summary>The slope of y over x (seconds), as % of mean y per hour; null with fewer than 3 points or no spread in time.</summary>
    public static double? GrowthPercentPerHour(IReadOnlyList<(double Seconds, double Value)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 3)
        {
            return null;
        }
        double meanX = points.Average(p => p.Seconds);
        double meanY = points.Average(p => p.Value);
        double sxx = points.Sum(p => (p.Seconds - meanX) * (p.Seconds - meanX));
        if (sxx <= 0 || meanY <= 0)
        {
            return null;
        }
        double slope = points.Sum(p => (p.Seconds - meanX) * (p.Value - meanY)) / sxx;
        return slope * 3600 / meanY * 100;
    }

    public string Describe()
    {
        IFormatProvider inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"soak memory        {(MemoryGrowthPercentPerHour is { } g ? g.ToString("+0.00;-0.00", inv) + " % per hour" : "unknown")} (least squares over {Windows} windows after warm-up; limit < {MaxMemoryGrowthPercentPerHour:0.#} %): {(MemoryPasses() ? "pass" : "FAIL")}");
        text.AppendLine(inv, $"soak tick p99      first quarter {Format(FirstQuarterTickP99Milliseconds)}, last quarter {Format(LastQuarterTickP99Milliseconds)} (medians): {(LatenessPasses ? "no trend, pass" : "TREND, FAIL")}");
        return text.ToString();
    }

    private static string Format(double? ms) => ms switch
    {
        null => "unknown",
        double.PositiveInfinity => "past the last bucket",
        double v => v.ToString("0.##", CultureInfo.InvariantCulture) + " ms",
    };

    private static double? Median(IEnumerable<double?> values)
    {
        double[] known = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        return ReportStatistics.Percentile(known, 50);
    }
}

using System.Globalization;

namespace MediaServer.Bench.Load;

/// <summary>
/// One scrape of the server's /metrics (Prometheus text format 0.0.4): every sample by its
/// series (the metric name with its labels exactly as written), and the buckets of a
/// histogram. Immutable; built by the sampler, read by the reports.
/// </summary>
internal sealed class MetricsSnapshot
{
    private readonly Dictionary<string, double> _values;

    private MetricsSnapshot(Dictionary<string, double> values) => _values = values;

    public int Count => _values.Count;

    /// <summary>Parses the text; lines it does not understand are skipped, as a scraper would.</summary>
    public static MetricsSnapshot Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            // The series ends at the closing brace of the labels, or at the first space.
            int close = line.IndexOf('}', StringComparison.Ordinal);
            int split = line.IndexOf(' ', close < 0 ? 0 : close);
            if (split <= 0)
            {
                continue;
            }
            string series = line[..split];
            string rest = line[(split + 1)..].Trim();
            int space = rest.IndexOf(' ', StringComparison.Ordinal);
            // An optional timestamp follows the value.
            string value = space < 0 ? rest : rest[..space];
            if (TryParseValue(value, out double parsed))
            {
                values[series] = parsed;
            }
        }
        return new MetricsSnapshot(values);
    }

    public double? Get(string series) => _values.TryGetValue(series, out double value) ? value : null;

    /// <summary>The cumulative buckets of histogram <paramref name="name"/>, by upper bound (+Inf last); empty if absent.</summary>
    public IReadOnlyList<(double UpperBound, double Count)> Buckets(string name)
    {
        string prefix = name + "_bucket{";
        var buckets = new List<(double, double)>();
        foreach ((string series, double count) in _values)
        {
            if (!series.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            int le = series.IndexOf("le=\"", StringComparison.Ordinal);
            if (le < 0)
            {
                continue;
            }
            int start = le + 4;
            int end = series.IndexOf('"', start);
            if (end > start && TryParseValue(series[start..end], out double bound))
            {
                buckets.Add((bound, count));
            }
        }
        buckets.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return buckets;
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}

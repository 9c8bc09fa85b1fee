using System.Globalization;
using System.Net;
using System.Text;

namespace MediaServer.Bench.Load;

/// <summary>
/// The pieces every report page shares: the page frame and style sheet, key/value rows, and
/// charts as inline SVG drawn from the figures. No script, no font and no URL, so a page opens
/// offline, on a phone or as a CI artifact; every piece of text is HTML-escaped.
/// </summary>
internal static class HtmlReport
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    private const int ChartWidth = 640;
    private const int ChartHeight = 300;
    private const int Left = 56;
    private const int Right = 20;
    private const int Top = 18;
    private const int Bottom = 46;

    /// <summary>The head of a page with its title and style sheet, and the heading.</summary>
    public static void AppendHead(StringBuilder html, string title, string meta)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        html.Append("<p class=\"meta\">").Append(E(meta)).Append("</p>\n");
    }

    public static void AppendTail(StringBuilder html) => html.Append("</body>\n</html>\n");

    public static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv);

    public readonly record struct ChartPoint(double X, double? Y, bool Crossed);

    /// <summary>
    /// A line chart of <paramref name="points"/> (x ascending) from 0, with a dashed line at
    /// <paramref name="limit"/>. Points over a limit are red; +Inf is drawn at the top edge
    /// and marked ∞; null (not reported) is left out.
    /// </summary>
    public static string LineChart(string title, IReadOnlyList<ChartPoint> points, string xLabel, string yLabel,
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

    /// <summary>Horizontal bars, one per (label, value), scaled to the largest finite value; values carry <paramref name="unit"/>.</summary>
    public static string BarChart(string title, IReadOnlyList<(string Label, double Milliseconds)> bars, string chartClass,
        string unit = " ms", int labelWidth = 110, Predicate<string>? alternate = null)
    {
        const int rowHeight = 30;
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
            string value = double.IsFinite(ms) ? ms.ToString("0.##", Inv) + unit : "∞";
            svg.Append(Inv, $"<text class=\"label\" x=\"{labelWidth - 8}\" y=\"{y + 18:0.#}\" text-anchor=\"end\">{E(label)}</text>")
                .Append(Inv, $"<rect class=\"{(alternate?.Invoke(label) == true ? "bar alt" : "bar")}\" x=\"{labelWidth}\" y=\"{y + 4:0.#}\" width=\"{w:0.#}\" height=\"{rowHeight - 8}\"/>")
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

    public static void Row(StringBuilder html, string key, string value, string? cls = null)
    {
        html.Append("<tr><th>").Append(E(key)).Append("</th><td");
        if (cls is not null)
        {
            html.Append(" class=\"").Append(cls).Append('"');
        }
        html.Append('>').Append(E(value)).Append("</td></tr>\n");
    }

    public static void Cell(StringBuilder html, string value) => html.Append("<td>").Append(E(value)).Append("</td>");

    public static string Format(double? value, string format, string unit = "") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, Inv) + unit : "n/a";

    public static string Lateness(double? value) => value switch
    {
        null => "n/a",
        double.PositiveInfinity => "past the last bucket",
        double v => "≤" + v.ToString("0.##", Inv) + " ms",
    };

    public static string E(string text) => WebUtility.HtmlEncode(text);

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
        .bar.alt { fill: #bf8700; }
        a { color: #0969da; }

        """;
}

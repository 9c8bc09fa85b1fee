using System.Globalization;

namespace MediaServer.Bench.Load;

/// <summary>
/// The arithmetic behind the audio report files (<c>--report</c>): percentiles, members per
/// core, the ramp's stop rule and the goals. Pure functions, so the tests pin them
/// down without a server.
/// </summary>
internal static class ReportStatistics
{
    /// <summary>The ramp limits a step is held to (<c>--max-cpu</c>, <c>--max-lateness-ms</c>, <c>--max-loss</c>).</summary>
    public readonly record struct Limits(double MaxCpuPercent, double MaxLatenessMilliseconds, double MaxLossPercent)
    {
        public static Limits Of(AudioLoadOptions options) =>
            new(options.MaxCpuPercent, options.MaxLatenessMilliseconds, options.MaxLossPercent);
    }

    /// <summary>A members-per-core goal of the issue and the room shape it is stated for.</summary>
    public readonly record struct Goal(double MembersPerCore, string Description);

    /// <summary>
    /// The <paramref name="percent"/> percentile of <paramref name="sorted"/> (ascending), with
    /// linear interpolation between the two closest ranks (the "R-7" rule of spreadsheets and
    /// NumPy), so p0 is the smallest value and p100 the largest. Null for no samples.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (double.IsNaN(percent) || percent < 0 || percent > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "a percentile is between 0 and 100");
        }
        if (sorted.Count == 0)
        {
            return null;
        }
        double position = percent / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double fraction = position - below;
        // Written as a + f·(b − a) rather than (1 − f)·a + f·b: equal neighbours give exactly
        // their value, and +Inf samples stay +Inf instead of turning into NaN.
        return fraction == 0 ? sorted[below] : sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    /// <summary>Members per core of the machine: what the goals are stated in.</summary>
    public static double MembersPerCore(int members, int cores) =>
        cores > 0 ? (double)members / cores : throw new ArgumentOutOfRangeException(nameof(cores), cores, "cores must be positive");

    /// <summary>
    /// Members per core the server actually used: members / (CPU fraction of the machine × cores).
    /// Null when the CPU is unknown or zero (a server that did nothing carries no per-core figure).
    /// </summary>
    public static double? MembersPerBusyCore(int members, double? cpuPercentOfMachine, int cores)
    {
        if (cpuPercentOfMachine is not { } cpu || !double.IsFinite(cpu) || cpu <= 0 || cores <= 0)
        {
            return null;
        }
        return members / (cpu / 100 * cores);
    }

    /// <summary>
    /// The audio part of the ramp's stop rule (AudioLoadRun.CrossedLimit, which the ramp
    /// itself applies): server CPU over its limit, tick lateness p99 over its limit or past the
    /// last bucket, loss or missing mix frames over the loss limit. A figure exactly at its
    /// limit passes; a figure the server did not report cannot cross. Returns why the window
    /// crosses, or null when it stays inside every limit. The report uses it to mark steps; the
    /// ramp's own decision (which also measures a crossing step twice) is in the result.
    /// </summary>
    public static string? CrossedLimit(AudioWindow window, Limits limits)
    {
        ArgumentNullException.ThrowIfNull(window);
        IFormatProvider inv = CultureInfo.InvariantCulture;
        if (window.ServerCpuPercent > limits.MaxCpuPercent)
        {
            return string.Create(inv, $"server CPU {window.ServerCpuPercent:0.0} % > {limits.MaxCpuPercent:0.#} %");
        }
        if (window.TickLatenessP99Milliseconds is double.PositiveInfinity)
        {
            return "tick lateness p99 past the last histogram bucket";
        }
        if (window.TickLatenessP99Milliseconds > limits.MaxLatenessMilliseconds)
        {
            return string.Create(inv, $"tick lateness p99 {window.TickLatenessP99Milliseconds:0.##} ms > {limits.MaxLatenessMilliseconds:0.##} ms");
        }
        if (window.LossPercent > limits.MaxLossPercent)
        {
            return string.Create(inv, $"loss {window.LossPercent:0.00} % > {limits.MaxLossPercent:0.##} %");
        }
        if (window.MissingPercent > limits.MaxLossPercent)
        {
            return string.Create(inv, $"mix frames missing {window.MissingPercent:0.00} % > {limits.MaxLossPercent:0.##} %");
        }
        return null;
    }

    /// <summary>
    /// The goal for rooms of <paramref name="roomSize"/> with <paramref name="talkers"/>
    /// talkers each: >= 50 members per core for 5-member rooms where everyone talks, >= 300
    /// for rooms of 30 or more with at most 4 talkers. Null for any other shape: the issue
    /// states no goal for it, and borrowing the nearer one would judge a different load.
    /// </summary>
    public static Goal? GoalFor(int roomSize, int talkers)
    {
        if (roomSize >= 30 && talkers <= 4)
        {
            return new Goal(300, "rooms of 30 or more members, at most 4 talkers: >= 300 members per core");
        }
        if (roomSize == 5 && talkers == roomSize)
        {
            return new Goal(50, "5-member rooms, everyone talks: >= 50 members per core");
        }
        return null;
    }
}

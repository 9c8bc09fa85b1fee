using System.Diagnostics;

namespace MediaServer.Bench.Load;

/// <summary>
/// The figures of one stretch of a run (a ramp step, the fixed hold, or the last second for
/// the progress line), from the samples at its ends and, for peaks, the ones in between.
/// Server figures are null when the server did not say (no pid, no metrics, no mixer yet).
/// </summary>
internal sealed record AudioWindow
{
    public const string LatenessHistogram = "mediaserver_mixer_tick_lateness_seconds";

    /// <summary>At most this many latency samples are kept for a chart; more are thinned evenly.</summary>
    public const int MaxLatencySamples = 2000;

    public required double Seconds { get; init; }
    public required int Members { get; init; }
    public required int Rooms { get; init; }
    /// <summary>mediaserver_conference_members at the end: the members the server is mixing.</summary>
    public required double? ServerMembers { get; init; }
    /// <summary>Server CPU as a percentage of the whole machine (all cores), averaged over the window.</summary>
    public required double? ServerCpuPercent { get; init; }
    /// <summary>The highest one-second server CPU in the window, % of the whole machine.</summary>
    public required double? ServerCpuPeakPercent { get; init; }
    /// <summary>Cores' worth of CPU the server used on average.</summary>
    public required double? ServerCores { get; init; }
    /// <summary>Tick lateness quantiles (upper bounds of the histogram buckets, ms); +Inf when past the last bucket.</summary>
    public required double? TickLatenessP50Milliseconds { get; init; }
    public required double? TickLatenessP99Milliseconds { get; init; }
    public required double? Ticks { get; init; }
    public required double? TickOverruns { get; init; }
    public required double? EncodesPerSecond { get; init; }
    public required double? DecodesPerSecond { get; init; }
    public required double? ConcealedPerSecond { get; init; }
    public required double? SharedDeliveriesPerSecond { get; init; }
    public required double SentPerSecond { get; init; }
    public required double ReceivedPerSecond { get; init; }
    /// <summary>Packets lost on the way to the clients, by sequence numbers, in %.</summary>
    public required double LossPercent { get; init; }
    /// <summary>
    /// Mix frames never sent, in %: a member should get one packet every 20 ms, and a mixer
    /// that skips ticks to catch up sends fewer without a gap in the sequence numbers.
    /// </summary>
    public required double MissingPercent { get; init; }
    public required double JitterMeanMilliseconds { get; init; }
    public required double JitterMaxMilliseconds { get; init; }
    public required long Decoded { get; init; }
    public required long DecodeErrors { get; init; }
    /// <summary>Decoded frames with sound in them, in %: non-zero proves the mix carries the talkers.</summary>
    public required double AudiblePercent { get; init; }
    public required long SrtpFailures { get; init; }
    /// <summary>The load generator's own CPU, % of one core.</summary>
    public required double ClientCpuPercent { get; init; }
    /// <summary>The canvas figures with --video, else null.</summary>
    public required VideoWindow? Video { get; init; }

    /// <summary>
    /// Latency markers sent in the window and found (<see cref="LatencyProbe"/>): end to end
    /// through the server on loopback, talker's packetisation and both encoders included.
    /// </summary>
    public int LatencyCount { get; init; }
    /// <summary>Markers sent in the window that the listener did not find above the correlation threshold.</summary>
    public int LatencyMissed { get; init; }
    public double? LatencyP50Milliseconds { get; init; }
    public double? LatencyP95Milliseconds { get; init; }
    /// <summary>The delays found, ms, in send order; at most <see cref="MaxLatencySamples"/>.</summary>
    public IReadOnlyList<double> LatencyMilliseconds { get; init; } = [];

    /// <param name="samples">The samples at the window's ends and between, in time order.</param>
    /// <param name="cores">The machine's cores, for CPU percentages.</param>
    /// <param name="latency">The run's latency markers; null leaves the latency figures empty (the live line).</param>
    public static AudioWindow Of(IReadOnlyList<AudioSample> samples, int cores, AudioLatency? latency = null)
    {
        AudioSample first = samples[0];
        AudioSample last = samples[^1];
        double seconds = Math.Max(1e-9, (double)(last.Timestamp - first.Timestamp) / Stopwatch.Frequency);
        MetricsSnapshot? a = first.Server.Metrics;
        MetricsSnapshot? b = last.Server.Metrics;

        double? serverCores = null;
        if (first.Server.CpuSeconds is { } c0 && last.Server.CpuSeconds is { } c1)
        {
            serverCores = (c1 - c0) / seconds;
        }
        double? peak = null;
        for (int i = 1; i < samples.Count; i++)
        {
            if (samples[i - 1].Server.CpuSeconds is { } p0 && samples[i].Server.CpuSeconds is { } p1)
            {
                double dt = (double)(samples[i].Timestamp - samples[i - 1].Timestamp) / Stopwatch.Frequency;
                if (dt > 0)
                {
                    double percent = 100 * (p1 - p0) / dt / cores;
                    peak = peak is null ? percent : Math.Max(peak.Value, percent);
                }
            }
        }

        long expected = last.PacketsExpected - first.PacketsExpected;
        long received = last.PacketsReceived - first.PacketsReceived;
        long decoded = last.Decoded - first.Decoded;
        (List<double> delays, int missed) = latency?.Between(first.Timestamp, last.Timestamp) ?? ([], 0);
        double[] sorted = [.. delays.Order()];
        return new AudioWindow
        {
            LatencyCount = delays.Count,
            LatencyMissed = missed,
            LatencyP50Milliseconds = Percentile(sorted, 50),
            LatencyP95Milliseconds = Percentile(sorted, 95),
            LatencyMilliseconds = Thin(delays, MaxLatencySamples),
            Seconds = seconds,
            Members = last.Members,
            Rooms = last.Rooms,
            ServerMembers = b?.Get("mediaserver_conference_members"),
            ServerCpuPercent = serverCores * 100 / cores,
            ServerCpuPeakPercent = peak,
            ServerCores = serverCores,
            TickLatenessP50Milliseconds = LatenessQuantile(a, b, 0.50),
            TickLatenessP99Milliseconds = LatenessQuantile(a, b, 0.99),
            Ticks = Delta(a, b, "mediaserver_mixer_ticks_total"),
            TickOverruns = Delta(a, b, "mediaserver_mixer_tick_overruns_total"),
            EncodesPerSecond = Delta(a, b, "mediaserver_audio_encodes_total") / seconds,
            DecodesPerSecond = Delta(a, b, "mediaserver_audio_decodes_total") / seconds,
            ConcealedPerSecond = Delta(a, b, "mediaserver_audio_concealed_total") / seconds,
            SharedDeliveriesPerSecond = Delta(a, b, "mediaserver_audio_shared_deliveries_total") / seconds,
            SentPerSecond = (last.FramesSent - first.FramesSent) / seconds,
            ReceivedPerSecond = received / seconds,
            LossPercent = expected <= 0 ? 0 : Math.Max(0, 100.0 * (expected - received) / expected),
            MissingPercent = PercentNotSent(received, (first.Members + last.Members) / 2.0, seconds),
            JitterMeanMilliseconds = last.JitterMeanMilliseconds,
            JitterMaxMilliseconds = last.JitterMaxMilliseconds,
            Decoded = decoded,
            DecodeErrors = last.DecodeErrors - first.DecodeErrors,
            AudiblePercent = decoded <= 0 ? 0 : 100.0 * (last.Audible - first.Audible) / decoded,
            SrtpFailures = last.SrtpFailures - first.SrtpFailures,
            ClientCpuPercent = 100 * (last.ClientCpuSeconds - first.ClientCpuSeconds) / seconds,
            Video = first.Video is not null && last.Video is not null ? VideoWindow.Of(samples, a, b, seconds) : null,
        };
    }

    /// <summary>Members per core of the machine (what the goals are stated in).</summary>
    public double MembersPerCore(int cores) => (double)Members / cores;

    /// <summary>Members per core the server actually used, null without its CPU.</summary>
    public double? MembersPerBusyCore => ServerCores is > 0 ? Members / ServerCores : null;

    // Nearest rank, as the join percentiles.
    private static double? Percentile(double[] sorted, double percent)
    {
        if (sorted.Length == 0)
        {
            return null;
        }
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static IReadOnlyList<double> Thin(List<double> values, int max)
    {
        if (values.Count <= max)
        {
            return values;
        }
        var thinned = new double[max];
        for (int i = 0; i < max; i++)
        {
            thinned[i] = values[(int)((long)i * values.Count / max)];
        }
        return thinned;
    }

    private static double PercentNotSent(long received, double members, double seconds)
    {
        double due = members * seconds * 1000 / AudioPacer.FrameMilliseconds;
        return due <= 0 ? 0 : Math.Max(0, 100.0 * (due - received) / due);
    }

    private static double? Delta(MetricsSnapshot? a, MetricsSnapshot? b, string series) =>
        a?.Get(series) is { } x && b?.Get(series) is { } y ? y - x : null;

    /// <summary>
    /// A quantile of the ticks that happened inside the window, from the difference of the
    /// cumulative histograms at its ends: the upper bound of the bucket the quantile falls in.
    /// The server's own p99 gauge covers all time since start, which a ramp cannot use.
    /// </summary>
    private static double? LatenessQuantile(MetricsSnapshot? a, MetricsSnapshot? b, double quantile)
    {
        if (a is null || b is null)
        {
            return null;
        }
        IReadOnlyList<(double UpperBound, double Count)> before = a.Buckets(LatenessHistogram);
        IReadOnlyList<(double UpperBound, double Count)> after = b.Buckets(LatenessHistogram);
        if (after.Count == 0 || before.Count != after.Count)
        {
            return null;
        }
        double total = after[^1].Count - before[^1].Count;
        if (total <= 0)
        {
            return null;
        }
        double rank = Math.Ceiling(total * quantile);
        for (int i = 0; i < after.Count; i++)
        {
            if (after[i].Count - before[i].Count >= rank)
            {
                return after[i].UpperBound * 1000;
            }
        }
        return double.PositiveInfinity;
    }
}

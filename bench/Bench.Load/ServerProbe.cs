using System.Diagnostics;
using System.Globalization;

namespace MediaServer.Bench.Load;

/// <summary>
/// Reads the server from outside: its /metrics over HTTPS and, given its process id, its CPU
/// time from /proc/&lt;pid&gt;/stat (the server does not export process_cpu_seconds_total; if a
/// later one does, that is used when no pid is given). Used by the sampler only.
/// </summary>
internal sealed class ServerProbe : IDisposable
{
    // USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100 on every Linux ABI we run on.
    private const double ClockTicksPerSecond = 100;
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromMilliseconds(1500);

    private readonly HttpClient _http;
    private readonly Uri? _metricsUrl;
    private readonly string? _statPath;

    /// <param name="metricsUrl">null for a server without /metrics (Janus): then only the CPU is read.</param>
    public ServerProbe(Uri? metricsUrl, bool insecure, int? pid)
    {
        _metricsUrl = metricsUrl;
        _statPath = pid is { } p ? "/proc/" + p.ToString(CultureInfo.InvariantCulture) + "/stat" : null;
        var handler = new SocketsHttpHandler();
        if (insecure)
        {
            // Opted into with --insecure, for test servers with self-signed certificates.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        _http = new HttpClient(handler) { Timeout = ScrapeTimeout };
    }

    /// <summary>
    /// The probe a run's options call for. Our server: /metrics of --url and --server-pid's
    /// CPU. Janus: no /metrics (tick lateness and mixer figures are n/a), and the CPU of
    /// --server-pid or else of the one process named janus. Problems go to <paramref name="warnings"/>.
    /// </summary>
    public static ServerProbe ForRun(AudioLoadOptions options, List<string> warnings)
    {
        int? pid = options.ServerPid;
        if (pid is null && options.Target == AudioTarget.Janus)
        {
            pid = JanusProcess.Find("/proc", out string? problem);
            if (problem is not null)
            {
                warnings.Add(problem);
            }
        }
        var probe = new ServerProbe(options.Target == AudioTarget.Janus ? null : options.MetricsUrl, options.Insecure, pid);
        if (pid is not null && !probe.HasProcess)
        {
            warnings.Add($"cannot read /proc/{pid}/stat: server CPU comes from process_cpu_seconds_total if /metrics has it");
        }
        return probe;
    }

    /// <summary>True when a --server-pid was given and its /proc entry is readable.</summary>
    public bool HasProcess => ReadProcessStat() is { } stat && ParseCpuSeconds(stat) is not null;

    public async Task<ServerSample> SampleAsync(CancellationToken cancellation)
    {
        long timestamp = Stopwatch.GetTimestamp();
        string? stat = ReadProcessStat();
        double? cpu = stat is null ? null : ParseCpuSeconds(stat);
        long? rss = stat is null ? null : ParseRssBytes(stat);
        MetricsSnapshot? metrics = null;
        string? error = null;
        try
        {
            if (_metricsUrl is null)
            {
                return new ServerSample(timestamp, cpu, null, "no metrics for this target", rss);
            }
            string text = await _http.GetStringAsync(_metricsUrl, cancellation);
            metrics = MetricsSnapshot.Parse(text);
        }
        catch (HttpRequestException ex)
        {
            error = VertoConnection.Describe(ex);
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            error = "timed out";
        }
        cpu ??= metrics?.Get("process_cpu_seconds_total");
        return new ServerSample(timestamp, cpu, metrics, error, rss);
    }

    public void Dispose() => _http.Dispose();

    private string? ReadProcessStat()
    {
        if (_statPath is null)
        {
            return null;
        }
        try
        {
            return File.ReadAllText(_statPath);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// User plus system CPU seconds from the text of /proc/&lt;pid&gt;/stat (proc(5)), or null
    /// when it does not parse. Fields 14 and 15 (utime, stime) are in USER_HZ ticks.
    /// </summary>
    public static double? ParseCpuSeconds(string stat)
    {
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields
        // from the last ')'. utime and stime are fields 14 and 15 of the whole line.
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 > stat.Length)
        {
            return null;
        }
        string[] fields = stat[(close + 2)..].Split(' ');
        const int UtimeAfterComm = 14 - 3;
        if (fields.Length <= UtimeAfterComm + 1
            || !long.TryParse(fields[UtimeAfterComm], NumberStyles.Integer, CultureInfo.InvariantCulture, out long user)
            || !long.TryParse(fields[UtimeAfterComm + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long system))
        {
            return null;
        }
        return (user + system) / ClockTicksPerSecond;
    }

    /// <summary>
    /// Resident set size in bytes from the text of /proc/&lt;pid&gt;/stat: field 24, rss, in pages
    /// (proc(5)); null when it does not parse. What a soak run watches for growth.
    /// </summary>
    public static long? ParseRssBytes(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 > stat.Length)
        {
            return null;
        }
        string[] fields = stat[(close + 2)..].Split(' ');
        const int RssAfterComm = 24 - 3;
        return fields.Length > RssAfterComm && long.TryParse(fields[RssAfterComm], NumberStyles.Integer, CultureInfo.InvariantCulture, out long pages)
            ? pages * Environment.SystemPageSize
            : null;
    }
}

namespace MediaServer.Bench.Load;

/// <summary>What the server looked like at one instant: its CPU time so far and its metrics (either may be missing).</summary>
/// <param name="Timestamp">Stopwatch timestamp of the sample.</param>
/// <param name="CpuSeconds">User + system CPU seconds the server process has used; null when unknown.</param>
/// <param name="Metrics">The /metrics scrape; null when it failed (<paramref name="MetricsError"/> says why).</param>
/// <param name="MetricsError">Why the scrape failed, else null.</param>
/// <param name="RssBytes">The server process's resident memory; null when unknown.</param>
internal sealed record ServerSample(long Timestamp, double? CpuSeconds, MetricsSnapshot? Metrics, string? MetricsError, long? RssBytes = null);

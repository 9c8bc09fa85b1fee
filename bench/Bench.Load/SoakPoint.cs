namespace MediaServer.Bench.Load;

/// <summary>One window of a soak run: when it ended, the server's memory then, and how the mixer and media fared over it.</summary>
/// <param name="ElapsedSeconds">Seconds from the start of the measured hold to the end of the window.</param>
/// <param name="RssBytes">The server's resident memory at the end of the window; null when unknown.</param>
/// <param name="TickLatenessP99Milliseconds">Mixer tick lateness p99 over the window (a histogram bucket bound); null when unknown.</param>
internal sealed record SoakPoint(double ElapsedSeconds, int Members, long? RssBytes, double? TickLatenessP99Milliseconds, double? ServerCpuPercent, double LossPercent);

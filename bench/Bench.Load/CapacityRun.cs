namespace MediaServer.Bench.Load;

/// <summary>
/// One run's headline figures as the capacity summary reads them back from its results.json:
/// which server, which scenario, and the few numbers the goals are stated in. Null
/// where the run did not measure a figure (no step inside the limits, no latency markers).
/// </summary>
/// <param name="Target">"MediaServer" or "Janus AudioBridge".</param>
/// <param name="Scenario">"audio", "audio+video" or "signalling".</param>
/// <param name="Mode">"ramp" (members until a limit: a capacity figure) or "fixed" (a held load: latency, not capacity).</param>
/// <param name="Name">The run's folder name (e.g. small-rooms), which pairs the same scenario on both servers.</param>
/// <param name="Report">The run's report.html, relative to the summary page.</param>
internal sealed record CapacityRun(
    string Target,
    string Scenario,
    string Mode,
    string Name,
    string Report,
    int Cores,
    int RoomSize,
    int Talkers,
    int? Members,
    int? Rooms,
    double? MembersPerCore,
    double? ServerCpuPercent,
    double? LatencyP50Milliseconds,
    double? LatencyP95Milliseconds,
    double? LatencyP99Milliseconds,
    double? MessagesPerSecond,
    double? CanvasFps,
    string StopReason,
    bool Succeeded)
{
    public const string MediaServer = "MediaServer";
    public const string Janus = "Janus AudioBridge";

    /// <summary>The latency goal for audio: server-added delay p50 <= 35 ms and p95 <= 60 ms.</summary>
    public const double GoalLatencyP50Milliseconds = 35;
    public const double GoalLatencyP95Milliseconds = 60;

    /// <summary>The canvas goal: at least 1.5 composed 720p30 canvases per core.</summary>
    public const double GoalCanvasesPerCore = 1.5;

    /// <summary>Canvases per core of a video run: one canvas per room.</summary>
    public double? CanvasesPerCore => Scenario == "audio+video" && Rooms is { } rooms && Cores > 0 ? (double)rooms / Cores : null;
}

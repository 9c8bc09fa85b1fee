using System.Text.Json;

namespace MediaServer.Bench.Load;

/// <summary>
/// Reads every results.json under a bench folder (what <c>./bench.sh</c> leaves in
/// bench-results/&lt;date&gt;/) into <see cref="CapacityRun"/>s for the summary page. A run
/// under a folder named "janus" was against Janus AudioBridge; anything else against us. A
/// file that is not a result of ours, or is cut short, is reported and skipped, never fatal:
/// one failed scenario must not hide the others.
/// </summary>
internal static class CapacitySummary
{
    public static (IReadOnlyList<CapacityRun> Runs, IReadOnlyList<string> Skipped) Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var runs = new List<CapacityRun>();
        var skipped = new List<string>();
        foreach (string path in Directory.EnumerateFiles(directory, "results.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(directory, path);
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
                CapacityRun? run = FromJson(document.RootElement, relative);
                if (run is null)
                {
                    skipped.Add(relative + ": not a load result");
                }
                else
                {
                    runs.Add(run);
                }
            }
            catch (Exception ex) when (ex is JsonException or IOException or InvalidOperationException or FormatException)
            {
                skipped.Add(relative + ": " + ex.Message);
            }
        }
        return (runs, skipped);
    }

    /// <summary>One results.json (its root element) found at <paramref name="relativePath"/>; null when it is not one of ours.</summary>
    public static CapacityRun? FromJson(JsonElement root, string relativePath)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("scenario", out JsonElement scenarioElement))
        {
            return null;
        }
        string scenario = scenarioElement.GetString() ?? "";
        string folder = Path.GetDirectoryName(relativePath) ?? "";
        string name = Path.GetFileName(folder);
        string report = Path.Combine(folder, "report.html").Replace('\\', '/');
        string[] segments = folder.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        string target = root.TryGetProperty("target", out JsonElement t) && t.GetString() == "janus"
            || segments.Any(s => s.Equals("janus", StringComparison.OrdinalIgnoreCase))
            ? CapacityRun.Janus
            : CapacityRun.MediaServer;
        int cores = Int(root, "cores") ?? Environment.ProcessorCount;

        if (scenario == "signalling")
        {
            bool checkPassed = root.TryGetProperty("checkPassed", out JsonElement passed) && passed.ValueKind == JsonValueKind.True;
            return new CapacityRun(target, scenario, "fixed", name, report, cores,
                RoomSize: Int(root, "roomSizeMax") ?? 0, Talkers: 0,
                Members: Int(root, "connections"), Rooms: Int(root, "rooms"), MembersPerCore: null,
                ServerCpuPercent: Number(root, "serverCpuPercent"),
                LatencyP50Milliseconds: Number(root, "latencyMilliseconds", "p50"),
                LatencyP95Milliseconds: null,
                LatencyP99Milliseconds: Number(root, "latencyMilliseconds", "p99"),
                MessagesPerSecond: Number(root, "eventsPerSecond"),
                CanvasFps: null,
                StopReason: checkPassed ? "check passed" : "check failed",
                Succeeded: checkPassed);
        }
        if (scenario is not ("audio" or "audio+video"))
        {
            return null;
        }
        JsonElement result = root.TryGetProperty("result", out JsonElement r) && r.ValueKind == JsonValueKind.Object ? r : default;
        bool hasResult = result.ValueKind == JsonValueKind.Object;
        string mode = root.TryGetProperty("mode", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "ramp";
        return new CapacityRun(target, scenario, mode, name, report, cores,
            RoomSize: Int(root, "roomSize") ?? 0,
            Talkers: Int(root, "talkersPerRoom") ?? 0,
            Members: hasResult ? Int(result, "members") : null,
            Rooms: hasResult ? Int(result, "rooms") : null,
            MembersPerCore: hasResult ? Number(result, "membersPerCore") : null,
            ServerCpuPercent: hasResult ? Number(result, "serverCpuPercent") : null,
            LatencyP50Milliseconds: hasResult ? Number(result, "latency", "p50Milliseconds") : null,
            LatencyP95Milliseconds: hasResult ? Number(result, "latency", "p95Milliseconds") : null,
            LatencyP99Milliseconds: null,
            MessagesPerSecond: null,
            CanvasFps: hasResult ? Number(result, "video", "fpsMean") : null,
            StopReason: root.TryGetProperty("stopReason", out JsonElement stop) ? stop.GetString() ?? "" : "",
            Succeeded: root.TryGetProperty("succeeded", out JsonElement ok) && ok.ValueKind == JsonValueKind.True);
    }

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : null;

    private static double? Number(JsonElement element, params string[] path)
    {
        JsonElement current = element;
        foreach (string name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.Number ? current.GetDouble() : null;
    }
}

using System.Diagnostics;
using System.Text.Json;
using MediaServer.Bench.Load;

namespace MediaServer.Tests.Load;

/// <summary>
/// The signalling run's report files and the bench summary page (Bench.Load --report for the
/// signalling storm, --summary DIR): goal verdicts, CSV, the offline HTML, how results.json
/// files are read back and paired with their Janus counterparts. No server.
/// </summary>
public sealed class CapacityReportTests
{
    [Fact]
    public void TheSignallingGoalNeedsTheRateTheP99AndNothingLost()
    {
        Assert.True(Signalling().GoalMet);
        Assert.False(Signalling(delivered: 190_000).GoalMet);
        Assert.False(Signalling(p99: 10.5).GoalMet);
        // All delivered, but fewer than expected: a lost event fails the goal whatever the rate.
        Assert.False(Signalling(expected: 200_010).GoalMet);
        Assert.True(Signalling(p99: 10).GoalMet);
    }

    [Fact]
    public void TheSignallingCsvHasAHeaderAndOneInvariantRow()
    {
        string[] lines = SignallingLoadCsv.ToCsv(Signalling(p99: 3.25)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        string[] header = lines[0].Split(',');
        string[] row = lines[1].Split(',');
        Assert.Equal(header.Length, row.Length);
        Assert.Equal("10000", row[Array.IndexOf(header, "delivered_per_s")]);
        Assert.Equal("3.25", row[Array.IndexOf(header, "latency_p99_ms")]);
        Assert.Equal("41.5", row[Array.IndexOf(header, "server_cpu_percent")]);
        Assert.Equal("true", row[Array.IndexOf(header, "goal_met")]);
    }

    [Fact]
    public void TheSignallingPageGivesTheVerdictAndTheLatencyChartOffline()
    {
        string html = SignallingLoadHtml.ToHtml(Signalling(p99: 12.5, url: "wss://127.0.0.1:1/<x>"), DateTimeOffset.UnixEpoch);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("not met: 10,000 msgs/s, p99 12.5 ms", html, StringComparison.Ordinal);
        Assert.Contains("chart-latency", html, StringComparison.Ordinal);
        Assert.Contains("41.5 % of the machine", html, StringComparison.Ordinal);
        Assert.Contains("&lt;x&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheSignallingJsonIsReadBackAsASignallingRun()
    {
        string json = LoadReport.ToJson(Signalling(), check: true);
        using JsonDocument document = JsonDocument.Parse(json);

        CapacityRun? run = CapacitySummary.FromJson(document.RootElement, "signalling/rooms-of-10/results.json");

        Assert.NotNull(run);
        Assert.Equal(("signalling", "rooms-of-10", CapacityRun.MediaServer), (run.Scenario, run.Name, run.Target));
        Assert.Equal(10_000, run.MessagesPerSecond);
        Assert.Equal(4, run.LatencyP99Milliseconds);
        Assert.Equal(41.5, run.ServerCpuPercent);
        Assert.True(run.Succeeded);
        Assert.Equal("signalling/rooms-of-10/report.html", run.Report);
    }

    [Fact]
    public void AnAudioRunUnderAJanusFolderIsJanusAndAVideoRunCountsCanvasesPerCore()
    {
        CapacityRun janus = Audio("janus/small-rooms/results.json", scenario: "audio", rooms: 20, members: 100, latencyP50: 120)!;
        CapacityRun video = Audio("video/video/results.json", scenario: "audio+video", rooms: 3, members: 27, latencyP50: null)!;

        Assert.Equal(CapacityRun.Janus, janus.Target);
        Assert.Equal(50, janus.MembersPerCore);
        Assert.Equal(120, janus.LatencyP50Milliseconds);
        Assert.Null(janus.CanvasesPerCore);
        Assert.Equal(CapacityRun.MediaServer, video.Target);
        Assert.Equal(1.5, video.CanvasesPerCore);
        Assert.Equal(29.8, video.CanvasFps);
    }

    [Fact]
    public void ARunWithNoStepInsideTheLimitsHasNoFiguresAndSomethingElseIsNotARun()
    {
        using JsonDocument failed = JsonDocument.Parse("""{"scenario":"audio","roomSize":5,"talkersPerRoom":5,"cores":2,"stopReason":"no member joined","succeeded":false,"result":null}""");
        using JsonDocument other = JsonDocument.Parse("""{"name":"something else"}""");

        CapacityRun run = CapacitySummary.FromJson(failed.RootElement, "audio/small-rooms/results.json")!;

        Assert.Null(run.Members);
        Assert.Null(run.MembersPerCore);
        Assert.False(run.Succeeded);
        Assert.Equal("no member joined", run.StopReason);
        Assert.Null(CapacitySummary.FromJson(other.RootElement, "x/results.json"));
    }

    [Fact]
    public void TheSummaryReadsAFolderAndSkipsBrokenFilesWithoutFailing()
    {
        string directory = Path.Combine(Path.GetTempPath(), "capacity-summary-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "signalling", "rooms-of-10"));
            Directory.CreateDirectory(Path.Combine(directory, "audio", "broken"));
            File.WriteAllText(Path.Combine(directory, "signalling", "rooms-of-10", "results.json"), LoadReport.ToJson(Signalling(), check: true));
            File.WriteAllText(Path.Combine(directory, "audio", "broken", "results.json"), """{"scenario":"audio","result":{"members":""");

            (IReadOnlyList<CapacityRun> runs, IReadOnlyList<string> skipped) = CapacitySummary.Read(directory);

            Assert.Single(runs);
            string skip = Assert.Single(skipped);
            Assert.StartsWith(Path.Combine("audio", "broken", "results.json") + ": ", skip, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TheSummaryPageJudgesEveryGoalAndPairsTheSameScenarioOnBothServers()
    {
        CapacityRun ours = Audio("audio/small-rooms/results.json", "audio", rooms: 24, members: 120, latencyP50: 30, latencyP95: 55)!;
        CapacityRun theirs = Audio("janus/small-rooms/results.json", "audio", rooms: 12, members: 60, latencyP50: 130, latencyP95: 150)!;
        CapacityRun alone = Audio("audio/big-rooms/results.json", "audio", rooms: 8, members: 240, latencyP50: 90, latencyP95: 100, roomSize: 30, talkers: 4)!;
        CapacityRun video = Audio("video/video/results.json", "audio+video", rooms: 2, members: 18, latencyP50: null)!;
        using JsonDocument signallingJson = JsonDocument.Parse(LoadReport.ToJson(Signalling(), check: true));
        CapacityRun signalling = CapacitySummary.FromJson(signallingJson.RootElement, "signalling/rooms-of-10/results.json")!;

        string html = CapacitySummaryHtml.ToHtml([ours, theirs, alone, video, signalling], ["audio/x/results.json: cut short"], DateTimeOffset.UnixEpoch);

        Assert.Contains("120 members = 60 per core", html, StringComparison.Ordinal);
        Assert.Contains("240 members = 120 per core", html, StringComparison.Ordinal);
        Assert.Contains("2 canvases (18 members) = 1 per core", html, StringComparison.Ordinal);
        Assert.Contains("10,000 msgs/s", html, StringComparison.Ordinal);
        // Met: our small rooms' members per core and latency, signalling. Short: Janus's small rooms
        // (members, latency), our big rooms (members, latency), the canvases.
        Assert.Equal(3, CountOf(html, "class=\"good\">met</td>"));
        Assert.Equal(5, CountOf(html, "class=\"bad\">short</td>"));
        Assert.Contains("chart-per-core", html, StringComparison.Ordinal);
        Assert.Contains("small-rooms: Janus", html, StringComparison.Ordinal);
        Assert.Contains("class=\"bar alt\"", html, StringComparison.Ordinal);
        // big-rooms has no Janus counterpart, so it is not in the side-by-side bars.
        Assert.DoesNotContain("big-rooms: MediaServer", html, StringComparison.Ordinal);
        Assert.Contains("href=\"janus/small-rooms/report.html\"", html, StringComparison.Ordinal);
        Assert.Contains("Skipped audio/x/results.json: cut short", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AHeldLoadIsJudgedOnLatencyOnlyNotOnMembersPerCore()
    {
        using JsonDocument held = JsonDocument.Parse("""
            {"scenario":"audio","mode":"fixed","roomSize":5,"talkersPerRoom":5,"cores":2,"stopReason":"held 20 s","succeeded":true,
             "result":{"members":20,"rooms":4,"membersPerCore":10,"serverCpuPercent":20,"latency":{"p50Milliseconds":30,"p95Milliseconds":38}}}
            """);
        CapacityRun run = CapacitySummary.FromJson(held.RootElement, "audio/steady-latency/results.json")!;

        string html = CapacitySummaryHtml.ToHtml([run], [], DateTimeOffset.UnixEpoch);

        Assert.Equal("fixed", run.Mode);
        Assert.DoesNotContain("members per core</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("20 members = 10 per core", html, StringComparison.Ordinal);
        Assert.Contains("p50 30 ms, p95 38 ms", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "class=\"good\">met</td>"));
    }

    [Fact]
    public void WithoutJanusTheSummarySaysSoInsteadOfDrawingHalfAComparison()
    {
        CapacityRun ours = Audio("audio/small-rooms/results.json", "audio", rooms: 24, members: 120, latencyP50: 30)!;

        string html = CapacitySummaryHtml.ToHtml([ours], [], DateTimeOffset.UnixEpoch);

        Assert.Contains("No audio scenario was run against Janus", html, StringComparison.Ordinal);
        Assert.DoesNotContain("chart-per-core", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerCpuIsTheShareOfTheWholeMachineBetweenTwoSamples()
    {
        long start = 1_000_000;
        var from = new ServerSample(start, 10.0, null, null);
        var to = new ServerSample(start + 2 * Stopwatch.Frequency, 11.5, null, null);

        Assert.Equal(37.5, LoadRun.CpuPercent(from, to, cores: 2)!.Value, 6);
        Assert.Null(LoadRun.CpuPercent(from, to with { CpuSeconds = null }, cores: 2));
        Assert.Null(LoadRun.CpuPercent(null, to, cores: 2));
        Assert.Null(LoadRun.CpuPercent(to, from, cores: 2));
    }

    private static CapacityRun? Audio(string path, string scenario, int rooms, int members, double? latencyP50, double? latencyP95 = null,
        int roomSize = 5, int talkers = 5)
    {
        string latency = latencyP50 is null ? "null" : $$"""{"count":10,"missed":0,"p50Milliseconds":{{latencyP50}},"p95Milliseconds":{{latencyP95 ?? latencyP50 + 10}}}""";
        string json = $$"""
            {"scenario":"{{scenario}}","roomSize":{{roomSize}},"talkersPerRoom":{{talkers}},"cores":2,"stopReason":"server CPU 75 % > 70 %","succeeded":true,
             "result":{"members":{{members}},"rooms":{{rooms}},"membersPerCore":{{members / 2.0}},"serverCpuPercent":65.5,"latency":{{latency}},
                       "video":{"fpsMean":29.8}
            """ + "}}";
        using JsonDocument document = JsonDocument.Parse(json);
        return CapacitySummary.FromJson(document.RootElement, path);
    }

    private static LoadResult Signalling(long delivered = 200_000, long? expected = null, double p99 = 4, string url = "wss://127.0.0.1:18463/") => new()
    {
        Url = url,
        Connections = 200,
        Rooms = 20,
        RoomSizeMin = 10,
        RoomSizeMax = 10,
        Rate = 5,
        WarmupSeconds = 3,
        DurationSeconds = 20,
        Ready = 200,
        SetupSeconds = 0.8,
        LoginP50Milliseconds = 30,
        LoginP99Milliseconds = 200,
        LoginMaxMilliseconds = 250,
        BroadcastsInWindow = 20_000,
        BroadcastsSkipped = 0,
        BroadcastsRejectedInWindow = 0,
        BroadcastsSentTotal = 23_000,
        BroadcastResponsesTotal = 23_000,
        EventsInWindow = delivered,
        EventsExpected = expected ?? delivered,
        EventsReceivedTotal = delivered + 30_000,
        SequenceGaps = 0,
        ServerRequestsIgnored = 200,
        LatencySamples = delivered,
        LatencyP50Milliseconds = 1,
        LatencyP90Milliseconds = 2,
        LatencyP99Milliseconds = p99,
        LatencyP999Milliseconds = p99 + 1,
        LatencyMaxMilliseconds = p99 + 5,
        LatencyMeanMilliseconds = 1.2,
        ServerCpuPercent = 41.5,
        Cores = 2,
        Client = ClientCost.None,
        Dropped = 0,
        ClosedCleanly = 200,
        ConnectionsWithoutEvents = 0,
        Errors = [],
        HitTimeLimit = false,
    };

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}

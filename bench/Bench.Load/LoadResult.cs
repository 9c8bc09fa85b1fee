namespace MediaServer.Bench.Load;

/// <summary>The figures of one run, computed once so the text and JSON reports agree.</summary>
internal sealed class LoadResult
{
    public required string Url { get; init; }
    public required int Connections { get; init; }
    public required int Rooms { get; init; }
    public required int RoomSizeMin { get; init; }
    public required int RoomSizeMax { get; init; }
    public required double Rate { get; init; }
    public required double WarmupSeconds { get; init; }
    public required double DurationSeconds { get; init; }

    public required int Ready { get; init; }
    public required double SetupSeconds { get; init; }
    public required double LoginP50Milliseconds { get; init; }
    public required double LoginP99Milliseconds { get; init; }
    public required double LoginMaxMilliseconds { get; init; }

    public required long BroadcastsInWindow { get; init; }
    public required long BroadcastsSkipped { get; init; }
    public required long BroadcastsRejectedInWindow { get; init; }
    public required long BroadcastsSentTotal { get; init; }
    public required long BroadcastResponsesTotal { get; init; }
    public required long EventsInWindow { get; init; }
    public required long EventsExpected { get; init; }
    public required long EventsReceivedTotal { get; init; }
    public required long SequenceGaps { get; init; }
    public required long ServerRequestsIgnored { get; init; }

    public required long LatencySamples { get; init; }
    public required double LatencyP50Milliseconds { get; init; }
    public required double LatencyP90Milliseconds { get; init; }
    public required double LatencyP99Milliseconds { get; init; }
    public required double LatencyP999Milliseconds { get; init; }
    public required double LatencyMaxMilliseconds { get; init; }
    public required double LatencyMeanMilliseconds { get; init; }

    /// <summary>The server's CPU over the measured window, % of the whole machine; null without --server-pid.</summary>
    public double? ServerCpuPercent { get; init; }

    /// <summary>The cores <see cref="ServerCpuPercent"/> is a share of.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>The load generator's own CPU and GC cost during the measured window.</summary>
    public required ClientCost Client { get; init; }

    public required int Dropped { get; init; }
    public required int ClosedCleanly { get; init; }
    public required int ConnectionsWithoutEvents { get; init; }
    public required IReadOnlyList<ErrorCount> Errors { get; init; }
    public required bool HitTimeLimit { get; init; }

    public double BroadcastsPerSecond => BroadcastsInWindow / DurationSeconds;

    public double EventsPerSecond => EventsInWindow / DurationSeconds;

    public long ErrorTotal => Errors.Sum(e => e.Count);

    /// <summary>
    /// The signalling goal, on delivered messages: at least 10,000 a second with p99
    /// latency within 10 ms, every expected event delivered and nothing going wrong.
    /// </summary>
    public bool GoalMet => EventsPerSecond >= GoalMessagesPerSecond && LatencyP99Milliseconds <= GoalP99Milliseconds && CheckFailures().Count == 0;

    public const double GoalMessagesPerSecond = 10_000;
    public const double GoalP99Milliseconds = 10;

    /// <summary>The reasons --check fails; empty when it passes.</summary>
    public IReadOnlyList<string> CheckFailures()
    {
        var failures = new List<string>();
        if (Ready < Connections)
        {
            failures.Add($"{Connections - Ready} of {Connections} connections did not log in and subscribe");
        }
        if (ConnectionsWithoutEvents > 0)
        {
            failures.Add($"{ConnectionsWithoutEvents} connections received no event");
        }
        if (EventsInWindow < EventsExpected)
        {
            failures.Add($"{EventsExpected - EventsInWindow} of {EventsExpected} expected events were not delivered");
        }
        if (ErrorTotal > 0)
        {
            failures.Add($"{ErrorTotal} errors");
        }
        if (Dropped > 0)
        {
            failures.Add($"{Dropped} connections dropped");
        }
        if (HitTimeLimit)
        {
            failures.Add("the run hit its time limit");
        }
        return failures;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace MediaServer.Bench.Load;

/// <summary>
/// One run: set up every client, send for warmup + duration, let the last events arrive,
/// close everything, and gather the figures. Each phase outside the sending has its own time
/// budget, and together they stay inside the promised warmup + duration + 30 s.
/// </summary>
internal static class LoadRun
{
    private static readonly TimeSpan SetupBudget = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PerClientSetupTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SendGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainBudget = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan CloseBudget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Time after which everything still running is cancelled.</summary>
    public static TimeSpan HardLimit(LoadOptions options) =>
        TimeSpan.FromSeconds(options.WarmupSeconds + options.DurationSeconds + 30);

    public static async Task<LoadResult> RunAsync(LoadOptions options, TextWriter progress)
    {
        IFormatProvider inv = CultureInfo.InvariantCulture;
        var measurements = new Measurements();
        var clients = new LoadClient[options.Connections];
        for (int i = 0; i < clients.Length; i++)
        {
            Credential credential = options.Credentials[i % options.Credentials.Count];
            clients[i] = new LoadClient(i, i % options.Rooms, credential, clients.Length, options.Insecure, measurements);
        }

        // Cut-off for the phases up to the end of draining; closing has its own budget so
        // sockets get a clean close even after a time-out.
        using var hard = new CancellationTokenSource(HardLimit(options) - CloseBudget);
        bool hitTimeLimit = false;
        double setupSeconds = 0;
        ClientCost cost = ClientCost.None;
        try
        {
            progress.WriteLine(string.Create(inv, $"connecting {clients.Length} clients to {options.Url} ({options.ConnectParallelism} at a time)"));
            long setupStart = Stopwatch.GetTimestamp();
            await SetUpAllAsync(clients, options, measurements, hard.Token);
            setupSeconds = Stopwatch.GetElapsedTime(setupStart).TotalSeconds;
            int ready = clients.Count(c => c.Ready);
            progress.WriteLine(string.Create(inv, $"ready {ready}/{clients.Length} in {setupSeconds:0.00} s"));

            if (ready > 0)
            {
                cost = await SendAllAsync(clients, options, measurements, progress, hard.Token);
                progress.WriteLine("draining");
                await DrainAsync(clients, hard.Token);
            }
        }
        catch (OperationCanceledException) when (hard.IsCancellationRequested)
        {
            hitTimeLimit = true;
        }

        progress.WriteLine("closing");
        using (var closeLimit = new CancellationTokenSource(CloseBudget))
        {
            await Task.WhenAll(clients.Select(c => c.CloseAsync(closeLimit.Token)));
        }

        LoadResult result = Summarise(clients, options, measurements, setupSeconds, cost, hitTimeLimit);
        foreach (LoadClient client in clients)
        {
            client.Dispose();
        }
        return result;
    }

    private static async Task SetUpAllAsync(LoadClient[] clients, LoadOptions options, Measurements measurements, CancellationToken hard)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(hard);
        limit.CancelAfter(SetupBudget);
        using var gate = new SemaphoreSlim(options.ConnectParallelism);
        await Task.WhenAll(clients.Select(async client =>
        {
            try
            {
                await gate.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                measurements.Errors.Add("setup_timeout", "not started within the setup time limit; lower --connections or raise --connect-parallelism");
                return;
            }
            try
            {
                await client.SetUpAsync(options.Url, PerClientSetupTimeout, limit.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
        hard.ThrowIfCancellationRequested();
    }

    /// <summary>Runs the send loops to the end of the window; returns the client's own cost during it.</summary>
    private static async Task<ClientCost> SendAllAsync(
        LoadClient[] clients, LoadOptions options, Measurements measurements, TextWriter progress, CancellationToken hard)
    {
        long frequency = Stopwatch.Frequency;
        long interval = Math.Max(1, (long)(frequency / options.Rate));
        long sendStart = Stopwatch.GetTimestamp() + (long)(StartDelay.TotalSeconds * frequency);
        long windowStart = sendStart + (long)(options.WarmupSeconds * frequency);
        long windowEnd = windowStart + (long)(options.DurationSeconds * frequency);
        measurements.SetWindow(windowStart, windowEnd);

        // A send still blocked this long after the window (server not reading) is cancelled,
        // which aborts that socket, so a stalled server cannot hold the run hostage.
        using var sendLimit = CancellationTokenSource.CreateLinkedTokenSource(hard);
        sendLimit.CancelAfter(TimeSpan.FromSeconds((double)(windowEnd - Stopwatch.GetTimestamp()) / frequency) + SendGrace);

        // Spread the clients' slots evenly over one interval so the server sees a steady
        // stream rather than every client firing at the same instant.
        var senders = clients
            .Where(c => c.Ready)
            .Select(c => c.SendLoopAsync(sendStart, interval, interval * c.Index / clients.Length, windowEnd, sendLimit.Token))
            .ToList();

        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sending: warmup {options.WarmupSeconds:0.##} s, then measuring {options.DurationSeconds:0.##} s"));
        await DelayUntilAsync(windowStart, hard);
        ProcessSample start = ProcessSample.Take();
        await DelayUntilAsync(windowEnd, hard);
        ClientCost cost = ClientCost.Between(start, ProcessSample.Take());
        await Task.WhenAll(senders);
        hard.ThrowIfCancellationRequested();
        return cost;
    }

    /// <summary>Waits until every in-window event and every broadcast answer has arrived, or the budget is spent.</summary>
    private static async Task DrainAsync(LoadClient[] clients, CancellationToken hard)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(DrainBudget.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            long delivered = clients.Sum(c => c.EventsInWindow);
            long answered = clients.Sum(c => c.BroadcastResponses);
            long sent = clients.Sum(c => c.Sent);
            if (delivered >= ExpectedEvents(clients) && answered >= sent)
            {
                return;
            }
            await Task.Delay(DrainPollInterval, hard);
        }
    }

    // Each accepted in-window broadcast should reach every ready member of the sender's room, itself included.
    private static long ExpectedEvents(LoadClient[] clients)
    {
        var sentPerRoom = new Dictionary<int, long>();
        var membersPerRoom = new Dictionary<int, long>();
        foreach (LoadClient client in clients.Where(c => c.Ready))
        {
            sentPerRoom[client.Room] = sentPerRoom.GetValueOrDefault(client.Room) + client.SentInWindow - client.RejectedInWindow;
            membersPerRoom[client.Room] = membersPerRoom.GetValueOrDefault(client.Room) + 1;
        }
        return sentPerRoom.Sum(pair => pair.Value * membersPerRoom[pair.Key]);
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken cancellation)
    {
        long remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), cancellation);
        }
    }

    private static LoadResult Summarise(
        LoadClient[] clients, LoadOptions options, Measurements measurements,
        double setupSeconds, ClientCost cost, bool hitTimeLimit)
    {
        LoadClient[] ready = clients.Where(c => c.Ready).ToArray();
        double[] logins = ready.Select(c => c.LoginMilliseconds).Order().ToArray();
        int[] roomSizes = Enumerable.Range(0, options.Rooms)
            .Select(room => clients.Count(c => c.Room == room))
            .ToArray();
        LatencyHistogram latency = measurements.Latency;
        if (hitTimeLimit)
        {
            measurements.Errors.Add("time_limit", "the run did not finish within warmup + duration + 30 s");
        }

        return new LoadResult
        {
            Url = options.Url.ToString(),
            Connections = clients.Length,
            Rooms = options.Rooms,
            RoomSizeMin = roomSizes.Min(),
            RoomSizeMax = roomSizes.Max(),
            Rate = options.Rate,
            WarmupSeconds = options.WarmupSeconds,
            DurationSeconds = options.DurationSeconds,
            Ready = ready.Length,
            SetupSeconds = setupSeconds,
            LoginP50Milliseconds = Percentile(logins, 50),
            LoginP99Milliseconds = Percentile(logins, 99),
            LoginMaxMilliseconds = logins.Length == 0 ? 0 : logins[^1],
            BroadcastsInWindow = ready.Sum(c => c.SentInWindow),
            BroadcastsSkipped = ready.Sum(c => c.Skipped),
            BroadcastsRejectedInWindow = ready.Sum(c => c.RejectedInWindow),
            BroadcastsSentTotal = ready.Sum(c => c.Sent),
            BroadcastResponsesTotal = ready.Sum(c => c.BroadcastResponses),
            EventsInWindow = ready.Sum(c => c.EventsInWindow),
            EventsExpected = ExpectedEvents(clients),
            EventsReceivedTotal = ready.Sum(c => c.EventsReceived),
            SequenceGaps = ready.Sum(c => c.SequenceGaps),
            ServerRequestsIgnored = ready.Sum(c => c.ServerRequests),
            LatencySamples = latency.Count,
            LatencyP50Milliseconds = latency.PercentileMicros(50) / 1000.0,
            LatencyP90Milliseconds = latency.PercentileMicros(90) / 1000.0,
            LatencyP99Milliseconds = latency.PercentileMicros(99) / 1000.0,
            LatencyMaxMilliseconds = latency.MaxMicros / 1000.0,
            LatencyMeanMilliseconds = latency.MeanMicros / 1000.0,
            Client = cost,
            Dropped = clients.Count(c => c.Dropped),
            ClosedCleanly = clients.Count(c => c.ClosedCleanly),
            ConnectionsWithoutEvents = clients.Count(c => c.EventsReceived == 0),
            Errors = measurements.Errors.Snapshot(),
            HitTimeLimit = hitTimeLimit,
        };
    }

    private static double Percentile(double[] sorted, double percent)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

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
        double? serverCpuPercent = null;
        // Only with --server-pid: the CPU comes from /proc, the metrics scrape is not needed for it.
        using ServerProbe? server = options.ServerPid is { } pid ? new ServerProbe(MetricsUrl(options.Url), options.Insecure, pid) : null;
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
                (cost, serverCpuPercent) = await SendAllAsync(clients, options, measurements, server, progress, hard.Token);
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

        LoadResult result = Summarise(clients, options, measurements, setupSeconds, cost, hitTimeLimit, serverCpuPercent);
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
    private static async Task<(ClientCost Cost, double? ServerCpuPercent)> SendAllAsync(
        LoadClient[] clients, LoadOptions options, Measurements measurements, ServerProbe? server, TextWriter progress, CancellationToken hard)
    {
        int cores = options.Cores;
        double? serverCpuPercent;
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
        ServerSample? serverStart = server is null ? null : await server.SampleAsync(hard);
        long delivered = 0;
        ServerSample? serverLast = serverStart;
        progress.WriteLine("      s   delivered/s   sent/s   server CPU   client CPU");
        for (int second = 1; Stopwatch.GetTimestamp() < windowEnd; second++)
        {
            // One line a second while the window runs: what is being delivered right now, so
            // an operator sees a stall or a slope without waiting for the end.
            long tick = Math.Min(windowEnd, windowStart + second * frequency);
            ProcessSample before = ProcessSample.Take();
            await DelayUntilAsync(tick, hard);
            long nowDelivered = clients.Sum(c => c.EventsInWindow);
            double seconds = (double)(Stopwatch.GetTimestamp() - before.Timestamp) / frequency;
            ServerSample? serverNow = server is null ? null : await server.SampleAsync(hard);
            double? serverCpu = CpuPercent(serverLast, serverNow, cores);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{second,7}   {(nowDelivered - delivered) / seconds,11:0}   {clients.Sum(c => c.SentInWindow) / (double)second,6:0}   {(serverCpu is { } cpu ? cpu.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a"),10}   {ClientCost.Between(before, ProcessSample.Take()).CpuPercent,8:0.0} %"));
            delivered = nowDelivered;
            serverLast = serverNow;
        }
        ClientCost cost = ClientCost.Between(start, ProcessSample.Take());
        serverCpuPercent = CpuPercent(serverStart, serverLast, cores);
        await Task.WhenAll(senders);
        hard.ThrowIfCancellationRequested();
        return (cost, serverCpuPercent);
    }

    /// <summary>The server's CPU between two samples as % of the whole machine; null when either lacks it.</summary>
    internal static double? CpuPercent(ServerSample? from, ServerSample? to, int cores)
    {
        if (from?.CpuSeconds is not { } a || to?.CpuSeconds is not { } b || to.Timestamp <= from.Timestamp || cores <= 0)
        {
            return null;
        }
        double seconds = (double)(to.Timestamp - from.Timestamp) / Stopwatch.Frequency;
        return (b - a) / seconds / cores * 100;
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
        double setupSeconds, ClientCost cost, bool hitTimeLimit, double? serverCpuPercent)
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
            LatencyP999Milliseconds = latency.PercentileMicros(99.9) / 1000.0,
            LatencyMaxMilliseconds = latency.MaxMicros / 1000.0,
            LatencyMeanMilliseconds = latency.MeanMicros / 1000.0,
            Client = cost,
            ServerCpuPercent = serverCpuPercent,
            Cores = options.Cores,
            Dropped = clients.Count(c => c.Dropped),
            ClosedCleanly = clients.Count(c => c.ClosedCleanly),
            ConnectionsWithoutEvents = clients.Count(c => c.EventsReceived == 0),
            Errors = measurements.Errors.Snapshot(),
            HitTimeLimit = hitTimeLimit,
        };
    }

    private static Uri MetricsUrl(Uri url) =>
        new UriBuilder(url) { Scheme = url.Scheme == "ws" ? "http" : "https", Path = "/metrics", Query = "" }.Uri;

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

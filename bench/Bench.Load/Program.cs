namespace MediaServer.Bench.Load;

/// <summary>Entry point: parse flags, run, print the report, pick the exit code.</summary>
internal static class Program
{
    private const int ExitOk = 0;
    private const int ExitFailed = 1;
    private const int ExitUsage = 2;

    private static async Task<int> Main(string[] args)
    {
        if (args is ["--summary", string summaryDirectory])
        {
            return await WriteSummaryAsync(summaryDirectory);
        }
        if (AudioLoadOptions.IsRequested(args))
        {
            return await RunAudioAsync(args);
        }
        if (!LoadOptions.TryParse(args, out LoadOptions? options, out string? error))
        {
            if (error is null)
            {
                Console.Out.Write(LoadOptions.Usage);
                Console.Out.WriteLine();
                return ExitOk;
            }
            Console.Error.WriteLine("Bench.Load: " + error);
            return ExitUsage;
        }

        // Last line of defence for the promised time bound: every phase has its own limit,
        // but a hang we did not foresee must not keep a CI job waiting.
        TimeSpan watchdogLimit = LoadRun.HardLimit(options) + TimeSpan.FromSeconds(5);
        using var watchdog = new Timer(
            _ =>
            {
                Console.Error.WriteLine("Bench.Load: watchdog fired, the run overran its time bound");
                Environment.Exit(ExitFailed);
            },
            null, watchdogLimit, Timeout.InfiniteTimeSpan);

        LoadResult result = await LoadRun.RunAsync(options, Console.Error);
        Console.Out.Write(LoadReport.ToText(result));

        if (options.JsonPath is not null)
        {
            await File.WriteAllTextAsync(options.JsonPath, LoadReport.ToJson(result, options.Check));
        }
        if (options.ReportDirectory is not null)
        {
            Directory.CreateDirectory(options.ReportDirectory);
            await File.WriteAllTextAsync(Path.Combine(options.ReportDirectory, "results.json"), LoadReport.ToJson(result, options.Check));
            await File.WriteAllTextAsync(Path.Combine(options.ReportDirectory, "results.csv"), SignallingLoadCsv.ToCsv(result));
            string html = Path.Combine(options.ReportDirectory, "report.html");
            await File.WriteAllTextAsync(html, SignallingLoadHtml.ToHtml(result, DateTimeOffset.UtcNow));
            Console.Out.WriteLine("report             " + Path.GetFullPath(html));
        }

        if (options.Check)
        {
            IReadOnlyList<string> failures = result.CheckFailures();
            foreach (string failure in failures)
            {
                Console.Out.WriteLine("check failed: " + failure);
            }
            if (failures.Count > 0)
            {
                return ExitFailed;
            }
            Console.Out.WriteLine("check passed");
        }
        return result.Ready == 0 ? ExitFailed : ExitOk;
    }

    /// <summary>--scenario audio: conference members with real WebRTC audio (AudioLoadRun).</summary>
    private static async Task<int> RunAudioAsync(string[] args)
    {
        if (!AudioLoadOptions.TryParse(args, out AudioLoadOptions? options, out string? error))
        {
            if (error is null)
            {
                Console.Out.Write(AudioLoadOptions.Usage);
                Console.Out.WriteLine();
                return ExitOk;
            }
            Console.Error.WriteLine("Bench.Load: " + error);
            return ExitUsage;
        }

        // As for the signalling run: the phases have their own limits, this catches the rest.
        TimeSpan watchdogLimit = AudioLoadRun.HardLimit(options) + TimeSpan.FromSeconds(5);
        using var watchdog = new Timer(
            _ =>
            {
                Console.Error.WriteLine("Bench.Load: watchdog fired, the run overran its time bound");
                Environment.Exit(ExitFailed);
            },
            null, watchdogLimit, Timeout.InfiniteTimeSpan);

        AudioLoadResult result = await AudioLoadRun.RunAsync(options, Console.Error);
        Console.Out.Write(AudioLoadReport.ToText(result));
        if (options.JsonPath is not null)
        {
            await File.WriteAllTextAsync(options.JsonPath, AudioLoadReport.ToJson(result));
        }
        if (options.ReportDirectory is not null)
        {
            await WriteAudioReportAsync(options.ReportDirectory, result);
        }
        return result.Succeeded ? ExitOk : ExitFailed;
    }

    /// <summary>--summary DIR: DIR/index.html over every results.json below DIR (what ./bench.sh leaves).</summary>
    private static async Task<int> WriteSummaryAsync(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"Bench.Load: no such folder '{directory}'");
            return ExitUsage;
        }
        (IReadOnlyList<CapacityRun> runs, IReadOnlyList<string> skipped) = CapacitySummary.Read(directory);
        string html = Path.Combine(directory, "index.html");
        await File.WriteAllTextAsync(html, CapacitySummaryHtml.ToHtml(runs, skipped, DateTimeOffset.UtcNow));
        foreach (string skip in skipped)
        {
            Console.Error.WriteLine("skipped " + skip);
        }
        Console.Out.WriteLine($"summary of {runs.Count} runs: {Path.GetFullPath(html)}");
        return runs.Count > 0 ? ExitOk : ExitFailed;
    }

    /// <summary>--report DIR: the JSON summary, the windows as CSV and the HTML page, side by side.</summary>
    private static async Task WriteAudioReportAsync(string directory, AudioLoadResult result)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.json"), AudioLoadReport.ToJson(result));
        await File.WriteAllTextAsync(Path.Combine(directory, "steps.csv"), AudioLoadCsv.ToCsv(result));
        string html = Path.Combine(directory, "report.html");
        await File.WriteAllTextAsync(html, AudioLoadHtml.ToHtml(result, DateTimeOffset.UtcNow));
        Console.Out.WriteLine("report             " + Path.GetFullPath(html));
    }
}

using System.Diagnostics;
using System.Globalization;
using MediaServer.Tests.Browser;
using MediaServer.Tests.Infrastructure;
using MediaServer.Tests.Load;

namespace MediaServer.Tests.Operations;

/// <summary>
/// The two-minute version of scripts/soak.sh: the server as its own process, 20 real WebRTC
/// members in rooms of 5 (the load generator) held for 100 s, cut into 10 s windows. Two
/// minutes cannot resolve the hour's limit (1 % of memory an hour is 0.03 % here, below GC
/// noise), so this checks the machinery and gross faults: every window carries media without
/// loss, the mixer keeps time, and memory does not run away.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class SoakTests
{
    [Fact]
    public async Task TwoMinutesOfSteadyLoadKeepMediaMemoryAndTickLatenessSteady()
    {
        await using var server = await ServerProcess.StartAsync();
        var csv = Path.Combine(server.Root, "soak.csv");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            LoadGeneratorTests.FindLoadGenerator(), "--scenario", "audio", "--url", server.WebSocketUri.ToString(), "--insecure",
            "--login", "1000@localhost", "--password", TestServer.AlicePassword, "--members", "20", "--room-size", "5", "--talkers", "2",
            "--settle", "5", "--duration", "100", "--soak-csv", csv, "--soak-interval", "10",
            "--server-pid", server.ProcessId.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(200)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }

        var said = $"exit {process.ExitCode}\n{await output}\n{await errors}";
        Assert.True(process.ExitCode == 0, said);
        var rows = File.ReadAllLines(csv).Skip(1).Select(line => line.Split(',')).ToList();
        Assert.True(rows.Count >= 9, $"{rows.Count} windows\n{said}");
        foreach (var row in rows)
        {
            Assert.Equal("20", row[1]);
            Assert.True(double.Parse(row[5], CultureInfo.InvariantCulture) < 1, $"loss in a window: {string.Join(',', row)}");
            Assert.NotEqual("+Inf", row[3]);
        }

        // No runaway memory: the last window's RSS within 15 % of the second's (the first holds
        // the start-up's growth); the soak script holds the real limit over an hour.
        var rss = rows.Select(r => long.Parse(r[2], CultureInfo.InvariantCulture)).ToList();
        Assert.True(rss[^1] <= rss[1] * 1.15, $"RSS {rss[1]} -> {rss[^1]}\n{said}");
        // The mixer kept time: the median window's p99 within 10 ms. Single windows may spike when the
        // rest of the suite shares the two cores (50 ms seen); the soak script judges the trend over the hour.
        var ticks = rows.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).Order().ToList();
        Assert.True(ticks[ticks.Count / 2] <= 10, $"median window tick p99 {ticks[ticks.Count / 2]} ms: {string.Join(", ", ticks)}");
        Assert.Contains("soak memory", said, StringComparison.Ordinal);
    }
}

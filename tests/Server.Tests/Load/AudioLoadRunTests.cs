using System.Diagnostics;
using System.Text.Json;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Load;

/// <summary>
/// The load generator's audio scenario against a real server for about 20 seconds, a few
/// rooms of real WebRTC members: correctness only (every member joined, got media back, no
/// errors, hung up cleanly; the latency probe found markers; the JSON, CSV and HTML report
/// were written). Capacity is measured by ./bench.sh, never asserted here.
/// </summary>
public sealed class AudioLoadRunTests
{
    [Fact]
    public async Task AShortAudioRunGetsMediaBackEverywhereAndWritesItsReport()
    {
        await using var server = await TestServer.StartAsync();
        var report = Path.Combine(server.Root, "report");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            LoadGeneratorTests.FindLoadGenerator(), "--scenario", "audio", "--url", server.WebSocketUri.ToString(), "--insecure",
            "--login", "1000@localhost", "--password", TestServer.AlicePassword, "--members", "12", "--room-size", "4",
            "--talkers", "2", "--settle", "3", "--duration", "12", "--report", report,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var said = $"exit {process.ExitCode}\n{await output}\n{await errors}";
        Assert.True(process.ExitCode == 0, said);
        foreach (var file in new[] { "results.json", "steps.csv", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(report, file)), $"{file} missing\n{said}");
        }

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "results.json")));
        var root = json.RootElement;
        Assert.Equal(12, root.GetProperty("joins").GetProperty("joined").GetInt32());
        Assert.Equal(0, root.GetProperty("errorTotal").GetInt32());
        Assert.Equal(12, root.GetProperty("calls").GetProperty("hungUpCleanly").GetInt32());
        var result = root.GetProperty("result");
        // Every member heard its room: nothing lost, no mix frame missing.
        Assert.True(result.GetProperty("lossPercent").GetDouble() < 1, result.ToString());
        Assert.True(result.GetProperty("missingPercent").GetDouble() < 1, result.ToString());
        var latency = result.GetProperty("latency");
        Assert.True(latency.GetProperty("count").GetInt32() > 0, latency.ToString());
        Assert.InRange(latency.GetProperty("p50Milliseconds").GetDouble(), 20, 200);

        var html = await File.ReadAllTextAsync(Path.Combine(report, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(2, (await File.ReadAllLinesAsync(Path.Combine(report, "steps.csv"))).Length);
        Assert.True(server.Verto.Calls!.Count == 0, "every call ended");
    }
}

using System.Diagnostics;
using System.Text.Json;
using MediaServer.Tests.Configuration;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Load;

/// <summary>
/// The load generator (bench/Bench.Load) against a real server for a few seconds, checking
/// correctness only: every client logged in, got every event in order, and closed cleanly.
/// Its speed is measured by running it by hand (README "Performance"), never asserted here.
/// </summary>
public sealed class LoadGeneratorTests
{
    [Fact]
    public async Task AShortRunDeliversEveryEventInOrder()
    {
        var dll = FindLoadGenerator();
        await using var server = await TestServer.StartAsync();
        var json = Path.Combine(server.Root, "load.json");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            dll, "--url", server.WebSocketUri.ToString(), "--insecure", "--user", "1000", "--password", TestServer.AlicePassword,
            "--domain", "localhost", "--connections", "20", "--rooms", "4", "--rate", "5", "--duration", "3", "--warmup", "1",
            "--check", "--json", json,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await errors}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = result.RootElement;
        Assert.Equal(20, root.GetProperty("ready").GetInt32());
        Assert.True(root.GetProperty("eventsInWindow").GetInt64() > 0);
        Assert.Equal(root.GetProperty("eventsExpected").GetInt64(), root.GetProperty("eventsInWindow").GetInt64());
        Assert.Equal(0, root.GetProperty("sequenceGaps").GetInt64());
        Assert.Equal(0, root.GetProperty("errorTotal").GetInt64());
        Assert.Equal(20, root.GetProperty("closedCleanly").GetInt32());
        Assert.True(server.Verto.Metrics.EventDeliveries > 0);
        Assert.Equal(0, server.Verto.Metrics.SlowClientsDropped);
    }

    /// <summary>The built Bench.Load.dll (same configuration as these tests), shared by the load tests.</summary>
    internal static string FindLoadGenerator()
    {
        // Built with the solution, in the same configuration as these tests.
        var configuration = typeof(LoadGeneratorTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .Cast<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration;
        var path = Path.Combine(ConfigLoaderTests.FindRepositoryRoot(), "bench", "Bench.Load", "bin", configuration, "net10.0", "Bench.Load.dll");
        Assert.True(File.Exists(path), $"{path} not built: build MediaServer.sln first (./test.sh does)");
        return path;
    }
}

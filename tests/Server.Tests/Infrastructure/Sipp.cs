using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// Runs Debian's SIPp (package sip-tester) on a scenario from Sip/Scenarios against the
/// test server, on 127.0.0.1 only, bounded by a timeout. Placeholders in the scenario
/// (<c>%PCAP%</c> and any given) are filled in first, since SIPp reads exec paths literally.
/// </summary>
public sealed class Sipp
{
    public const string ExecutablePath = "/usr/bin/sipp";

    public int ExitCode { get; private set; }

    public string Output { get; private set; } = string.Empty;

    /// <summary>The local SIP port SIPp uses (a UAS scenario listens here).</summary>
    public int LocalPort { get; } = FreeUdpPort();

    public int MediaPort { get; } = FreeUdpPort(even: true);

    /// <summary>Waits for a server-side condition while SIPp runs; if SIPp ends first, fails with what SIPp said.</summary>
    public async Task WaitWhileRunningAsync(Task<int> run, Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"SIPp ended (exit {await run}) before {what}:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    public static void RequireInstalled() =>
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's sip-tester package (./test.sh does)");

    /// <summary>Runs a UAC scenario to <c>service@127.0.0.1:sipPort</c> (one call) and waits for it to end.</summary>
    public Task<int> CallAsync(string scenario, int sipPort, string service, IReadOnlyDictionary<string, string>? values = null, TimeSpan? timeout = null, params string[] extra) =>
        RunAsync(scenario, values, timeout ?? TimeSpan.FromSeconds(40), ["127.0.0.1:" + sipPort, "-s", service, "-m", "1", .. extra]);

    /// <summary>Starts a UAS scenario that answers one call; the task ends when that call is over.</summary>
    public Task<int> AnswerAsync(string scenario, IReadOnlyDictionary<string, string>? values = null, TimeSpan? timeout = null, params string[] extra) =>
        RunAsync(scenario, values, timeout ?? TimeSpan.FromSeconds(40), ["-m", "1", .. extra]);

    private async Task<int> RunAsync(string scenario, IReadOnlyDictionary<string, string>? values, TimeSpan timeout, string[] arguments)
    {
        RequireInstalled();
        var work = Directory.CreateTempSubdirectory("sipp-").FullName;
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Sip", "Scenarios", scenario));
        foreach (var (key, value) in values ?? new Dictionary<string, string>())
        {
            text = text.Replace($"%{key}%", value, StringComparison.Ordinal);
        }

        var file = Path.Combine(work, scenario);
        await File.WriteAllTextAsync(file, text);
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = work,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "-sf", file, "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", LocalPort.ToString(), "-mp", MediaPort.ToString(), "-nostdin", "-trace_err", "-timeout", $"{(int)timeout.TotalSeconds}s", "-timeout_error" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var errors = Directory.GetFiles(work, "*_errors.log").Select(File.ReadAllText);
        Output = string.Join('\n', (await stdout).Split('\n').TakeLast(40)) + "\n" + await stderr + "\n" + string.Join('\n', errors);
        ExitCode = process.ExitCode;
        Directory.Delete(work, recursive: true);
        return ExitCode;
    }

    public static int FreeUdpPort(bool even = false)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (!even)
            {
                return port;
            }

            // SIPp binds the media port and the one two above it (video): both must be free.
            if (port % 2 == 0 && port < 65532 && IsFree(port + 2))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free UDP port");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// The built server (Server.dll beside these tests) as a process of its own on 127.0.0.1, with
/// the test configuration (<see cref="TestServer.WriteConfAsync"/>) and its own data folder, so
/// a test can send it signals: SIGTERM for a graceful stop, SIGKILL for a crash. Its output is
/// kept for the assertion messages. Dispose kills what is left and removes the folder.
/// </summary>
public sealed class ServerProcess : IServerEndpoint, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _ownsRoot;

    private ServerProcess(string root, int port, Process process, bool ownsRoot)
    {
        Root = root;
        Port = port;
        _process = process;
        _ownsRoot = ownsRoot;
    }

    public string Root { get; }

    public int Port { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public Uri WebSocketUri => new($"wss://127.0.0.1:{Port}/verto");

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the server printed so far (stdout and stderr, interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits for /health; <paramref name="root"/> reuses a folder (a restart after a crash); <paramref name="extraArgs"/> are more flags.</summary>
    public static async Task<ServerProcess> StartAsync(string? root = null, params string[] extraArgs)
    {
        var ownsRoot = root is null;
        root ??= Directory.CreateTempSubdirectory("mediaserver-process-").FullName;
        var conf = await TestServer.WriteConfAsync(root);
        var port = FreeTcpPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Server.dll"), "--conf", conf, "--data", Path.Combine(root, "data"),
            "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--media-port", "0", "--public-ip", "127.0.0.1",
        }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var server = new ServerProcess(root, port, Process.Start(start)!, ownsRoot);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await server.WaitHealthyAsync();
        return server;
    }

    /// <summary>Asks the server to stop, as an init system does (SIGTERM, sent by kill(1): .NET's Process.Kill only sends SIGKILL).</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} exited with {kill.ExitCode}");
        }
    }

    /// <summary>Kills the server without warning (SIGKILL), as a crash or an OOM kill would, and waits for it to be gone.</summary>
    public async Task CrashAsync()
    {
        _process.Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits for the process to end; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited during start-up with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var body = await http.GetStringAsync(new Uri($"https://127.0.0.1:{Port}/health"));
                if (body.Contains("\"ok\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the server did not answer /health within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // A port the kernel just handed out and took back: free at this instant, and the server
    // binds it a moment later (the same race every "find a free port" helper has, on loopback).
    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace MediaServer.Tests.Infrastructure;

/// <summary>Debian's ffprobe and ffmpeg (package <c>ffmpeg</c>, installed by test.sh), run on a file to check it plays.</summary>
internal static class FfmpegTools
{
    /// <summary><c>ffprobe -v error -show_streams -show_format -of json FILE</c>: its JSON, and whatever it wrote to stderr.</summary>
    public static async Task<(JsonElement Probe, string Errors)> ProbeAsync(string file)
    {
        var (exit, output, errors) = await RunAsync("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", file);
        Assert.True(exit == 0, $"ffprobe exited {exit}: {errors}");
        return (JsonDocument.Parse(output).RootElement.Clone(), errors);
    }

    /// <summary><c>ffmpeg -v error -i FILE -f null -</c>: decodes every stream; its exit code and error output.</summary>
    public static async Task<(int Exit, string Errors)> DecodeAsync(string file)
    {
        var (exit, _, errors) = await RunAsync("ffmpeg", "-nostdin", "-v", "error", "-i", file, "-f", "null", "-");
        return (exit, errors);
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string tool, params string[] arguments)
    {
        var path = $"/usr/bin/{tool}";
        Assert.True(File.Exists(path), $"{path} is missing: install Debian's ffmpeg package (./test.sh does).");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}

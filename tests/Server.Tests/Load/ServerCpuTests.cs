using MediaServer.Bench.Load;

namespace MediaServer.Tests.Load;

/// <summary>
/// How the load generator reads a server's CPU from outside (bench/Bench.Load ServerProbe,
/// JanusProcess): utime + stime from /proc/&lt;pid&gt;/stat, and with --target janus and no
/// --server-pid, the one process named janus. Janus has no /metrics, so this is its only CPU figure.
/// </summary>
public sealed class ServerCpuTests : IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (string folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AddsUserAndSystemTicksAt100PerSecond()
    {
        // proc(5): field 14 utime, 15 stime; this is a janus line with 1234 + 567 ticks.
        const string stat = "4242 (janus) S 1 4242 4242 0 -1 4194560 9183 0 0 0 1234 567 0 0 20 0 42 0 123456 1010101010 5000 18446744073709551615 1 1 0 0 0 0 4096 4097 0 0 0 17 1 0 0 0 0 0";

        Assert.Equal(18.01, ServerProbe.ParseCpuSeconds(stat)!.Value, 6);
    }

    [Fact]
    public void CountsFieldsFromTheLastParenthesisSoACommWithSpacesAndParenthesesParses()
    {
        const string stat = "77 (a (b) c) R 1 77 77 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 1 1 1";

        Assert.Equal(3.0, ServerProbe.ParseCpuSeconds(stat)!.Value, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 janus S 1")]
    [InlineData("4242 (janus)")]
    [InlineData("4242 (janus) S 1 4242 4242 0 -1 0 0 0 0 0 12x 5")]
    [InlineData("4242 (janus) S 1 4242")]
    public void IsNullForWhatIsNotAStatLine(string stat)
    {
        Assert.Null(ServerProbe.ParseCpuSeconds(stat));
    }

    [Fact]
    public void ReadsThisProcess()
    {
        string stat = File.ReadAllText("/proc/self/stat");

        Assert.NotNull(ServerProbe.ParseCpuSeconds(stat));
    }

    [Fact]
    public void FindsTheOneJanusProcess()
    {
        string proc = FakeProc(("1", "systemd"), ("812", "janus"), ("900", "janusx"), ("self", "janus"));

        Assert.Equal(812, JanusProcess.Find(proc, out string? problem));
        Assert.Null(problem);
    }

    [Fact]
    public void NamesNoneWhenJanusIsNotRunning()
    {
        string proc = FakeProc(("1", "systemd"), ("2", "dotnet"));

        Assert.Null(JanusProcess.Find(proc, out string? problem));
        Assert.Contains("no janus process", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DoesNotGuessBetweenSeveral()
    {
        string proc = FakeProc(("30", "janus"), ("20", "janus"));

        Assert.Null(JanusProcess.Find(proc, out string? problem));
        Assert.Contains("20, 30", problem, StringComparison.Ordinal);
        Assert.Contains("--server-pid", problem, StringComparison.Ordinal);
    }

    /// <summary>A folder shaped like /proc: one folder per entry with its comm file (newline-terminated, as the kernel writes it).</summary>
    private string FakeProc(params (string Entry, string Comm)[] processes)
    {
        string root = Directory.CreateTempSubdirectory("fake-proc-").FullName;
        _folders.Add(root);
        foreach ((string entry, string comm) in processes)
        {
            Directory.CreateDirectory(Path.Combine(root, entry));
            File.WriteAllText(Path.Combine(root, entry, "comm"), comm + "\n");
        }
        return root;
    }
}

using System.Globalization;

namespace MediaServer.Bench.Load;

/// <summary>
/// Finds the Janus process whose CPU a <c>--target janus</c> run reports when no
/// <c>--server-pid</c> is given: Janus has no /metrics, so /proc/&lt;pid&gt;/stat is the only
/// CPU figure there is. Reads <c>&lt;proc&gt;/&lt;pid&gt;/comm</c> of every process (the root is
/// a parameter so tests can give a folder of their own).
/// </summary>
internal static class JanusProcess
{
    // The kernel's name of the Debian package's binary, /usr/bin/janus.
    private const string Name = "janus";

    /// <summary>
    /// The one process named janus, or null with <paramref name="problem"/> saying why: none
    /// runs, or several do (which one we measure would be a guess).
    /// </summary>
    public static int? Find(string procRoot, out string? problem)
    {
        var found = new List<int>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(procRoot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot list {procRoot}: {ex.Message}";
            return null;
        }
        // One pass over the process table, a finite listing.
        foreach (string entry in entries)
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(entry, "comm")).TrimEnd('\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone since the listing, or not ours to read.
                continue;
            }
            if (comm == Name)
            {
                found.Add(pid);
            }
        }
        if (found.Count == 1)
        {
            problem = null;
            return found[0];
        }
        found.Sort();
        problem = found.Count == 0
            ? "no janus process found: server CPU unknown (give --server-pid)"
            : $"{found.Count} janus processes ({string.Join(", ", found)}): give --server-pid to say which one is measured";
        return null;
    }
}

namespace MediaServer.Bench.Load;

/// <summary>
/// Errors counted by kind, with the first raw message of each kind kept as a sample so the
/// report can show exactly what the server said. Errors are rare, so a plain lock is enough.
/// </summary>
internal sealed class ErrorTally
{
    private const int MaxSampleLength = 300;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Add(string kind, string? sample)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(kind, out Entry? entry))
            {
                entry.Count++;
                return;
            }
            if (sample is not null && sample.Length > MaxSampleLength)
            {
                sample = sample[..MaxSampleLength] + "...";
            }
            _entries.Add(kind, new Entry { Count = 1, Sample = sample });
        }
    }

    public long Total
    {
        get
        {
            lock (_lock)
            {
                return _entries.Values.Sum(e => e.Count);
            }
        }
    }

    public IReadOnlyList<ErrorCount> Snapshot()
    {
        lock (_lock)
        {
            return _entries
                .Select(pair => new ErrorCount(pair.Key, pair.Value.Count, pair.Value.Sample))
                .OrderByDescending(e => e.Count)
                .ThenBy(e => e.Kind, StringComparer.Ordinal)
                .ToList();
        }
    }

    private sealed class Entry
    {
        public long Count;
        public string? Sample;
    }
}

namespace MediaServer.Bench.Load;

/// <summary>How often one kind of error happened, with the first raw message seen.</summary>
internal sealed record ErrorCount(string Kind, long Count, string? Sample);

namespace MediaServer.Bench.Load;

/// <summary>The server-to-client methods the load clients tell apart (verto-protocol.md §4).</summary>
internal enum IncomingMethod
{
    None,
    Other,
    Event,
    Answer,
    Media,
    Bye,
    Display,
    Invite,
    Attach,
    Info,
    Ping,
    ClientReady,
    Punt,
}

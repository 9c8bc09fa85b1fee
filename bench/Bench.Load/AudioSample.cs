namespace MediaServer.Bench.Load;

/// <summary>
/// Everything the sampler reads once a second: the server (CPU, metrics) and the sums over
/// all peers of what they sent and received. Counters are totals since the start, so any
/// two samples give the figures of the time between them (<see cref="AudioWindow"/>).
/// </summary>
internal sealed record AudioSample(
    ServerSample Server,
    double ClientCpuSeconds,
    int Members,
    int Rooms,
    long FramesSent,
    long PacketsReceived,
    long PacketsExpected,
    double JitterMeanMilliseconds,
    double JitterMaxMilliseconds,
    long Decoded,
    long DecodeErrors,
    long Audible,
    long SrtpFailures,
    VideoSample? Video)
{
    public long Timestamp => Server.Timestamp;
}

namespace MediaServer.Bench.Load;

/// <summary>
/// The video part of an <see cref="AudioSample"/> (<c>--video</c>): per member the canvas
/// frames received so far, and sums over all members. Counters are totals since the start,
/// so two samples give the figures of the time between them (<see cref="VideoWindow"/>).
/// </summary>
/// <param name="Timestamp">When the members' counters were read (Stopwatch): the fps figures use this, not the server scrape's time.</param>
/// <param name="FramesReceived">Per member, by index: canvas frames received, or -1 while the member is not in its call.</param>
internal sealed record VideoSample(
    long Timestamp,
    IReadOnlyList<long> FramesReceived,
    long PacketsReceived,
    long PacketsExpected,
    long FramesSent,
    long KeyframesSent,
    long KeyframeRequests,
    long Decoded,
    long DecodeErrors,
    long DecodeKeyframes,
    long DecodeFramesDropped,
    int DecodedWidth,
    int DecodedHeight);

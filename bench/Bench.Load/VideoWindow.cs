using System.Diagnostics;

namespace MediaServer.Bench.Load;

/// <summary>
/// The video figures of one stretch of a run (<c>--video</c>), beside its <see cref="AudioWindow"/>:
/// output fps per member (mean, lowest, highest, and the largest deviation from the mean),
/// output fps second by second (the members' mean in each sampled second, and how far the
/// seconds stray from the window's mean),
/// canvas loss, what the clients sent, the decode check, and the server's canvas work from the
/// differences of its /metrics counters. Server figures are null when /metrics lacks them.
/// </summary>
internal sealed record VideoWindow
{
    /// <summary>The shortest stretch between two samples that counts as one "second" of the stability figure.</summary>
    private const double MinSecond = 0.8;

    /// <summary>Members in their call at both ends of the window: the ones the fps figures cover.</summary>
    public required int Members { get; init; }
    public required double FpsMean { get; init; }
    public required double FpsMin { get; init; }
    public required double FpsMax { get; init; }
    /// <summary>The largest distance of a member's fps from the mean, in % of the mean.</summary>
    public required double FpsDeviationPercent { get; init; }
    /// <summary>The lowest and highest of the seconds' fps (each the mean over the members of one sampled second).</summary>
    public required double SecondFpsMin { get; init; }
    public required double SecondFpsMax { get; init; }
    /// <summary>Stability over time: the largest distance of a second's fps from the window's mean, in % of the mean.</summary>
    public required double SecondDeviationPercent { get; init; }
    /// <summary>Canvas packets lost on the way to the clients, by sequence numbers, in %.</summary>
    public required double LossPercent { get; init; }
    public required double ReceivedPacketsPerSecond { get; init; }
    /// <summary>Video frames the clients sent, per second (all members).</summary>
    public required double SentFramesPerSecond { get; init; }
    public required long KeyframesSent { get; init; }
    /// <summary>PLI and FIR compounds the server sent the clients about their video.</summary>
    public required long KeyframeRequests { get; init; }
    public required long Decoded { get; init; }
    public required long DecodeErrors { get; init; }
    public required long DecodeKeyframes { get; init; }
    public required long DecodeFramesDropped { get; init; }
    public required int DecodedWidth { get; init; }
    public required int DecodedHeight { get; init; }

    /// <summary>mediaserver_canvases at the end.</summary>
    public required double? Canvases { get; init; }
    /// <summary>Canvas ticks per second per canvas (composed and encoded, sent or not).</summary>
    public required double? CanvasFps { get; init; }
    public required double? EncodesPerSecond { get; init; }
    public required double? DecodesPerSecond { get; init; }
    public required double? ServerDecodeErrors { get; init; }
    public required double? ComposeMillisecondsPerFrame { get; init; }
    public required double? EncodeMillisecondsPerFrame { get; init; }
    public required double? DecodeMillisecondsPerFrame { get; init; }
    /// <summary>Cores' worth of time the server spent composing, encoding and decoding video.</summary>
    public required double? VideoWorkCores { get; init; }

    /// <param name="samples">The window's samples in time order, each with its video part.</param>
    /// <param name="a">The server's metrics at the start.</param>
    /// <param name="b">The server's metrics at the end.</param>
    /// <param name="seconds">The window's length by the server samples (for the server's rates).</param>
    public static VideoWindow Of(IReadOnlyList<AudioSample> samples, MetricsSnapshot? a, MetricsSnapshot? b, double seconds)
    {
        VideoSample first = samples[0].Video!;
        VideoSample last = samples[^1].Video!;
        List<double> fps = MemberFps(first, last);
        double mean = fps.Count == 0 ? 0 : fps.Average();
        double deviation = mean <= 0 ? 0 : fps.Max(f => Math.Abs(f - mean)) / mean * 100;

        // The sampler reads once a second, and the ramp adds reads at step edges; a stretch
        // shorter than MinSecond would turn one frame more or less into several fps.
        var perSecond = new List<double>();
        VideoSample anchor = first;
        for (int i = 1; i < samples.Count; i++)
        {
            VideoSample? next = samples[i].Video;
            if (next is null || next.Timestamp - anchor.Timestamp < MinSecond * Stopwatch.Frequency)
            {
                continue;
            }
            if (MemberFps(anchor, next) is { Count: > 0 } second)
            {
                perSecond.Add(second.Average());
            }
            anchor = next;
        }
        double secondDeviation = mean <= 0 || perSecond.Count == 0 ? 0 : perSecond.Max(f => Math.Abs(f - mean)) / mean * 100;

        long expected = last.PacketsExpected - first.PacketsExpected;
        long received = last.PacketsReceived - first.PacketsReceived;
        double? frames = Delta(a, b, "mediaserver_canvas_frames_total");
        double? encodes = Delta(a, b, "mediaserver_video_encodes_total");
        double? decodes = Delta(a, b, "mediaserver_video_decodes_total");
        double? composeSeconds = Delta(a, b, "mediaserver_canvas_compose_seconds_total");
        double? encodeSeconds = Delta(a, b, "mediaserver_video_encode_seconds_total");
        double? decodeSeconds = Delta(a, b, "mediaserver_video_decode_seconds_total");
        double? canvases = b?.Get("mediaserver_canvases");
        return new VideoWindow
        {
            Members = fps.Count,
            FpsMean = mean,
            FpsMin = fps.Count == 0 ? 0 : fps.Min(),
            FpsMax = fps.Count == 0 ? 0 : fps.Max(),
            FpsDeviationPercent = deviation,
            SecondFpsMin = perSecond.Count == 0 ? 0 : perSecond.Min(),
            SecondFpsMax = perSecond.Count == 0 ? 0 : perSecond.Max(),
            SecondDeviationPercent = secondDeviation,
            LossPercent = expected <= 0 ? 0 : Math.Max(0, 100.0 * (expected - received) / expected),
            ReceivedPacketsPerSecond = received / seconds,
            SentFramesPerSecond = (last.FramesSent - first.FramesSent) / seconds,
            KeyframesSent = last.KeyframesSent - first.KeyframesSent,
            KeyframeRequests = last.KeyframeRequests - first.KeyframeRequests,
            Decoded = last.Decoded - first.Decoded,
            DecodeErrors = last.DecodeErrors - first.DecodeErrors,
            DecodeKeyframes = last.DecodeKeyframes - first.DecodeKeyframes,
            DecodeFramesDropped = last.DecodeFramesDropped - first.DecodeFramesDropped,
            DecodedWidth = last.DecodedWidth,
            DecodedHeight = last.DecodedHeight,
            Canvases = canvases,
            CanvasFps = canvases is > 0 ? frames / seconds / canvases : null,
            EncodesPerSecond = encodes / seconds,
            DecodesPerSecond = decodes / seconds,
            ServerDecodeErrors = Delta(a, b, "mediaserver_video_decode_errors_total"),
            ComposeMillisecondsPerFrame = frames is > 0 ? composeSeconds * 1000 / frames : null,
            EncodeMillisecondsPerFrame = encodes is > 0 ? encodeSeconds * 1000 / encodes : null,
            DecodeMillisecondsPerFrame = decodes is > 0 ? decodeSeconds * 1000 / decodes : null,
            VideoWorkCores = (composeSeconds + encodeSeconds + decodeSeconds) / seconds,
        };
    }

    /// <summary>Canvas fps of every member in its call at both samples, over the time between their counter reads.</summary>
    private static List<double> MemberFps(VideoSample from, VideoSample to)
    {
        var fps = new List<double>();
        double seconds = (double)(to.Timestamp - from.Timestamp) / Stopwatch.Frequency;
        if (seconds <= 0)
        {
            return fps;
        }
        for (int i = 0; i < Math.Min(from.FramesReceived.Count, to.FramesReceived.Count); i++)
        {
            if (from.FramesReceived[i] >= 0 && to.FramesReceived[i] >= 0)
            {
                fps.Add((to.FramesReceived[i] - from.FramesReceived[i]) / seconds);
            }
        }
        return fps;
    }

    private static double? Delta(MetricsSnapshot? a, MetricsSnapshot? b, string series) =>
        a?.Get(series) is { } x && b?.Get(series) is { } y ? y - x : null;
}

namespace MediaServer.Bench.Load;

/// <summary>The figures of one audio run, computed once so the text and JSON reports agree.</summary>
internal sealed class AudioLoadResult
{
    public required AudioLoadOptions Options { get; init; }
    public required string StopReason { get; init; }
    /// <summary>Fixed mode: the held window. Ramp mode: the last step inside every limit (null if none was).</summary>
    public required AudioWindow? Result { get; init; }
    /// <summary>Ramp mode: the step that crossed a limit, if one did.</summary>
    public required AudioWindow? FailedStep { get; init; }
    public required IReadOnlyList<AudioWindow> Steps { get; init; }

    public required int Attempted { get; init; }
    public required int Joined { get; init; }
    public required double JoinP50Milliseconds { get; init; }
    public required double JoinP99Milliseconds { get; init; }
    public required double AnswerP50Milliseconds { get; init; }
    public required double DtlsP50Milliseconds { get; init; }
    public required IReadOnlyDictionary<string, int> SrtpProfiles { get; init; }
    public required int ServerHangups { get; init; }
    public required int Dropped { get; init; }
    public required int HungUpCleanly { get; init; }

    public required long ConsentChecksSent { get; init; }
    public required long ConsentAnswered { get; init; }
    public required long RtcpReceived { get; init; }
    public required long WrongPayloadType { get; init; }
    public required long SendErrors { get; init; }
    public required long SocketErrors { get; init; }

    public required int ClipFrames { get; init; }
    public required double ClipMeanPayloadBytes { get; init; }
    public required int SilencePayloadBytes { get; init; }
    public required long PacerSkippedSlots { get; init; }
    public required double PacerMaxLatenessMilliseconds { get; init; }
    /// <summary>Video frames (member × frame) the pacer skipped because it ran late.</summary>
    public required long PacerSkippedVideoFrames { get; init; }
    /// <summary>The pre-encoded test patterns with --video; empty without.</summary>
    public required IReadOnlyList<VideoClip> VideoClips { get; init; }
    /// <summary>Server RTCP that failed SRTCP (read only with --video, for keyframe requests).</summary>
    public required long SrtcpFailures { get; init; }
    /// <summary>The decode check over the whole run (--video): frames decoded, errors, the last picture's size.</summary>
    public required long VideoDecoded { get; init; }
    public required long VideoDecodeErrors { get; init; }
    public required (int Width, int Height) VideoDecodedSize { get; init; }
    public required long VideoKeyframesSent { get; init; }
    public required long VideoPliReceived { get; init; }
    public required long VideoFirReceived { get; init; }
    /// <summary>Times the receive thread woke up to datagrams (it batches: see UdpReceiveLoop).</summary>
    public required long ReceiveWakeUps { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }
    public required IReadOnlyList<ErrorCount> Errors { get; init; }
    public required bool HitTimeLimit { get; init; }
    public required double ElapsedSeconds { get; init; }

    public string Mode => Options.Ramp ? "ramp" : "fixed";

    public long ErrorTotal => Errors.Sum(e => e.Count);

    /// <summary>
    /// The run worked as a measurement: members joined, media came back in every measured
    /// window, nothing failed to decrypt or decode (with --video: canvas frames were decoded),
    /// and it ended in time. A ramp whose first
    /// step already crossed a limit still succeeded: that is its finding.
    /// </summary>
    public bool Succeeded
    {
        get
        {
            IEnumerable<AudioWindow> windows = Options.Ramp ? Steps : Result is null ? [] : [Result];
            return !HitTimeLimit && Joined > 0 && windows.Any() && (!Options.Video || (VideoDecoded > 0 && VideoDecodeErrors == 0))
                && windows.All(w => w.DecodeErrors == 0 && w.SrtpFailures == 0 && w.ReceivedPerSecond > 0
                                    && (w.Video is null || (w.Video.DecodeErrors == 0 && w.Video.ReceivedPacketsPerSecond > 0)));
        }
    }
}

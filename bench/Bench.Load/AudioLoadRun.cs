using System.Diagnostics;
using System.Globalization;
using MediaServer.Media.Dtls;

namespace MediaServer.Bench.Load;

/// <summary>
/// One audio run (with --video, audio and video): encode the speech clip (and the video test
/// pattern), start the pacer and the once-a-second sampler, then
/// either join every room and hold (fixed) or join rooms step by step until a limit is crossed
/// (ramp); then hang everyone up and gather the figures. Every phase has a time limit, and
/// together they stay inside <see cref="HardLimit"/>, which the watchdog enforces.
/// </summary>
internal static class AudioLoadRun
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HangUpBudget = TimeSpan.FromSeconds(10);

    /// <summary>Time after which the watchdog may end the process.</summary>
    public static TimeSpan HardLimit(AudioLoadOptions options) => options.Ramp
        ? TimeSpan.FromSeconds(options.DurationSeconds + JoinTimeout.TotalSeconds + HangUpBudget.TotalSeconds + 20)
        : TimeSpan.FromSeconds(FixedJoinBudget(options).TotalSeconds + options.SettleSeconds + options.DurationSeconds
                               + HangUpBudget.TotalSeconds + 20);

    // Joining costs the server a DTLS handshake per member; allow for a big room on a small box.
    private static TimeSpan FixedJoinBudget(AudioLoadOptions options) =>
        TimeSpan.FromSeconds(Math.Min(120, 20 + 0.2 * options.Members));

    public static async Task<AudioLoadResult> RunAsync(AudioLoadOptions options, TextWriter progress)
    {
        IFormatProvider inv = CultureInfo.InvariantCulture;
        var errors = new ErrorTally();
        var warnings = new List<string>();
        long runStart = Stopwatch.GetTimestamp();

        SpeechClip clip = SpeechClip.Create(seed: 20);
        progress.WriteLine(string.Create(inv,
            $"speech clip: {clip.Frames.Count} Opus frames ({SpeechClip.Bitrate / 1000} kbit/s, mean {clip.MeanPayloadBytes:0} bytes), silence frame {clip.Silence.Length} bytes"));
        IReadOnlyList<VideoClip> videoClips = [];
        if (options.Video)
        {
            videoClips = VideoClip.CreateSet();
            foreach (VideoClip video in videoClips)
            {
                progress.WriteLine(string.Create(inv,
                    $"video clip {video.ColourClass}: {VideoClip.Width}x{VideoClip.Height} VP8 at {VideoClip.Fps} fps, keyframe {video.Keyframe.Length} bytes, {video.Deltas.Count} deltas of mean {video.MeanDeltaBytes:0} bytes ({video.DeltaKbps:0} kbit/s){(video.DeltaKeyframes > 0 ? $", {video.DeltaKeyframes} of them keyframes" : "")}"));
            }
        }
        DtlsCertificate certificate = DtlsCertificate.Generate();
        using var decodeCheck = new DecodeCheck();
        // Janus has no /metrics: only its CPU is read, tick lateness is n/a.
        using var probe = ServerProbe.ForRun(options, warnings);

        var sampler = new AudioSampler(options, clip, videoClips, decodeCheck, probe, progress);
        var receiver = new UdpReceiveLoop(batch: true);
        using var pacer = new AudioPacer(clip);
        pacer.Start();
        using var stopSampler = new CancellationTokenSource();
        ServerSample firstProbe = await probe.SampleAsync(CancellationToken.None);
        if (firstProbe.CpuSeconds is null)
        {
            warnings.Add("server CPU unknown: give --server-pid (the ramp then stops on lateness and loss only)");
        }
        if (options.Target == AudioTarget.Janus)
        {
            warnings.Add("target Janus AudioBridge: no /metrics, so tick lateness, encodes and mixer figures are n/a; the ramp stops on CPU and loss");
        }
        else if (firstProbe.Metrics is null)
        {
            warnings.Add($"no metrics from {options.MetricsUrl}: {firstProbe.MetricsError}");
        }
        else if (firstProbe.Metrics.Buckets(AudioWindow.LatenessHistogram).Count == 0)
        {
            warnings.Add("the server's /metrics has no mixer tick lateness histogram (no audio mixer in this build?)");
        }
        if (options.Video && firstProbe.Metrics is { } metrics && metrics.Get("mediaserver_canvases") is null)
        {
            warnings.Add("the server's /metrics has no canvas counters: compose, encode and decode time per frame unknown");
        }
        foreach (string warning in warnings)
        {
            progress.WriteLine("warning: " + warning);
        }
        Task sampling = sampler.SampleLoopAsync(stopSampler.Token);

        var steps = new List<AudioWindow>();
        AudioWindow? result = null;
        AudioWindow? failedStep = null;
        string stopReason;
        bool hitTimeLimit = false;
        using var hard = new CancellationTokenSource(HardLimit(options) - HangUpBudget - TimeSpan.FromSeconds(10));
        try
        {
            if (options.Ramp)
            {
                (result, failedStep, stopReason) = await RampAsync(options, sampler, pacer, receiver, certificate, errors, steps, runStart, hard.Token);
            }
            else
            {
                (result, stopReason) = await HoldAsync(options, sampler, pacer, receiver, certificate, errors, hard.Token);
            }
        }
        catch (OperationCanceledException) when (hard.IsCancellationRequested)
        {
            hitTimeLimit = true;
            stopReason = "time limit";
        }

        IReadOnlyList<IConferenceCall> callers = sampler.Callers;
        progress.WriteLine(string.Create(inv, $"stopping ({stopReason}): hanging up {callers.Count(c => c.Joined)} calls"));
        pacer.Dispose();
        using (var hangUpLimit = new CancellationTokenSource(HangUpBudget))
        {
            await Task.WhenAll(callers.Where(c => c.Joined).Select(c => c.HangUpAsync(hangUpLimit.Token)));
        }
        await stopSampler.CancelAsync();
        await sampling;
        receiver.Dispose();
        if (receiver.Failure is not null)
        {
            errors.Add("receive_loop_failed", receiver.Failure);
        }

        var summary = new AudioLoadResult
        {
            Options = options,
            StopReason = stopReason,
            Result = result,
            FailedStep = failedStep,
            Steps = steps,
            Attempted = callers.Count,
            Joined = callers.Count(c => c.Joined),
            JoinP50Milliseconds = Percentile(callers.Where(c => c.Joined).Select(c => c.JoinMilliseconds), 50),
            JoinP99Milliseconds = Percentile(callers.Where(c => c.Joined).Select(c => c.JoinMilliseconds), 99),
            AnswerP50Milliseconds = Percentile(callers.Where(c => c.Joined).Select(c => c.AnswerMilliseconds), 50),
            DtlsP50Milliseconds = Percentile(callers.Where(c => c.Joined).Select(c => c.Peer.DtlsMilliseconds), 50),
            SrtpProfiles = callers.Where(c => c.Joined).GroupBy(c => c.Peer.Profile?.ToString() ?? "none")
                .ToDictionary(g => g.Key, g => g.Count()),
            ServerHangups = callers.Count(c => c.ServerHangup is not null),
            Dropped = callers.Count(c => c.Dropped),
            HungUpCleanly = callers.Count(c => c.HungUpCleanly),
            ConsentChecksSent = callers.Sum(c => c.Peer.ConsentChecksSent),
            ConsentAnswered = callers.Sum(c => c.Peer.ConsentAnswered),
            RtcpReceived = callers.Sum(c => c.Peer.RtcpReceived),
            WrongPayloadType = callers.Sum(c => c.Peer.WrongPayloadType),
            SendErrors = callers.Sum(c => c.Peer.SendErrors),
            SocketErrors = callers.Sum(c => c.Peer.SocketErrors),
            ClipFrames = clip.Frames.Count,
            ClipMeanPayloadBytes = clip.MeanPayloadBytes,
            SilencePayloadBytes = clip.Silence.Length,
            PacerSkippedSlots = pacer.SkippedSlots,
            PacerSkippedVideoFrames = pacer.SkippedVideoFrames,
            VideoClips = videoClips,
            SrtcpFailures = callers.Sum(c => c.Peer.SrtcpFailures),
            VideoDecoded = callers.Sum(c => c.Peer.Video?.DecodeCheck?.Decoded ?? 0),
            VideoDecodeErrors = callers.Sum(c => c.Peer.Video?.DecodeCheck?.Errors ?? 0),
            VideoDecodedSize = callers.Select(c => c.Peer.Video?.DecodeCheck?.Size ?? (0, 0)).FirstOrDefault(s => s.Width > 0),
            VideoKeyframesSent = callers.Sum(c => c.Peer.Video?.KeyframesSent ?? 0),
            VideoPliReceived = callers.Sum(c => c.Peer.Video?.PliReceived ?? 0),
            VideoFirReceived = callers.Sum(c => c.Peer.Video?.FirReceived ?? 0),
            PacerMaxLatenessMilliseconds = pacer.MaxLatenessMilliseconds,
            ReceiveWakeUps = receiver.Batches,
            Warnings = warnings,
            Errors = errors.Snapshot(),
            HitTimeLimit = hitTimeLimit,
            ElapsedSeconds = Stopwatch.GetElapsedTime(runStart).TotalSeconds,
        };
        foreach (IConferenceCall caller in callers)
        {
            caller.Dispose();
        }
        return summary;
    }

    /// <summary>Fixed mode: everyone joins, the calls settle, then --duration seconds are measured.</summary>
    private static async Task<(AudioWindow?, string)> HoldAsync(
        AudioLoadOptions options, AudioSampler sampler, AudioPacer pacer, UdpReceiveLoop receiver, DtlsCertificate certificate, ErrorTally errors, CancellationToken hard)
    {
        using var joinLimit = CancellationTokenSource.CreateLinkedTokenSource(hard);
        joinLimit.CancelAfter(FixedJoinBudget(options));
        int joined = await JoinRoomsAsync(options, sampler, pacer, receiver, certificate, errors, 0, options.Rooms, joinLimit.Token);
        if (joined == 0)
        {
            return (null, "no member joined");
        }
        sampler.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"joined {joined}/{options.Members}; settling {options.SettleSeconds:0.#} s, then measuring {options.DurationSeconds:0.#} s"));
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds), hard);
        AudioSample start = await sampler.SampleNowAsync(hard);
        await Task.Delay(TimeSpan.FromSeconds(options.DurationSeconds), hard);
        AudioSample end = await sampler.SampleNowAsync(hard);
        IReadOnlyList<AudioSample> held = sampler.SamplesBetween(start, end);
        if (options.SoakCsvPath is not null)
        {
            IReadOnlyList<SoakPoint> points = SoakReport.Windows(held, options.SoakIntervalSeconds, options.Cores);
            await File.WriteAllTextAsync(options.SoakCsvPath, SoakReport.ToCsv(points), hard);
            sampler.Progress.Write(SoakTrend.Of(points).Describe());
        }
        return (AudioWindow.Of(held, options.Cores, sampler.Latency), "duration reached");
    }

    /// <summary>
    /// Ramp mode: add rooms a step at a time; after each step's joins settle, measure the step.
    /// The first step that crosses a limit ends the ramp; the step before it is the result.
    /// </summary>
    private static async Task<(AudioWindow?, AudioWindow?, string)> RampAsync(
        AudioLoadOptions options, AudioSampler sampler, AudioPacer pacer, UdpReceiveLoop receiver, DtlsCertificate certificate, ErrorTally errors,
        List<AudioWindow> steps, long runStart, CancellationToken hard)
    {
        IFormatProvider inv = CultureInfo.InvariantCulture;
        int rooms = 0;
        AudioWindow? lastGood = null;
        while (true)
        {
            int target = Math.Min(options.Rooms, rooms == 0 ? options.StartRooms : rooms + options.StepRooms);
            if (target <= rooms)
            {
                return (lastGood, null, $"--members {options.Members} reached");
            }
            double elapsed = Stopwatch.GetElapsedTime(runStart).TotalSeconds;
            double stepCost = options.SettleSeconds + options.StepSeconds + 1;
            if (elapsed + stepCost > options.DurationSeconds)
            {
                return (lastGood, null, "ramp time (--duration) used up");
            }

            using var joinLimit = CancellationTokenSource.CreateLinkedTokenSource(hard);
            joinLimit.CancelAfter(JoinTimeout);
            int wanted = MembersOf(options, target) - MembersOf(options, rooms);
            int joined = await JoinRoomsAsync(options, sampler, pacer, receiver, certificate, errors, rooms, target, joinLimit.Token);
            rooms = target;
            hard.ThrowIfCancellationRequested();

            await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds), hard);
            AudioWindow step = await MeasureStepAsync(options, sampler, steps, hard);
            string? crossed = joined < wanted
                ? $"{wanted - joined} of {wanted} members of the step did not join"
                : CrossedLimit(options, step);
            if (crossed is not null && joined == wanted)
            {
                // One stalled second (a GC, a neighbour's burst) can carry a short window's
                // p99 past the limit; a limit only counts if the step crosses it twice.
                sampler.Progress.WriteLine($"step crossed a limit ({crossed}); measuring it again to confirm");
                step = await MeasureStepAsync(options, sampler, steps, hard);
                crossed = CrossedLimit(options, step);
            }
            if (crossed is not null)
            {
                return (lastGood, step, crossed);
            }
            lastGood = step;
        }
    }

    private static async Task<AudioWindow> MeasureStepAsync(AudioLoadOptions options, AudioSampler sampler, List<AudioWindow> steps, CancellationToken hard)
    {
        AudioSample start = await sampler.SampleNowAsync(hard);
        await Task.Delay(TimeSpan.FromSeconds(options.StepSeconds), hard);
        AudioSample end = await sampler.SampleNowAsync(hard);
        AudioWindow step = AudioWindow.Of(sampler.SamplesBetween(start, end), options.Cores, sampler.Latency);
        steps.Add(step);
        sampler.Progress.WriteLine("step: " + AudioLoadReport.StepLine(step, options.Cores));
        return step;
    }

    private static string? CrossedLimit(AudioLoadOptions options, AudioWindow step)
    {
        IFormatProvider inv = CultureInfo.InvariantCulture;
        if (step.ServerCpuPercent > options.MaxCpuPercent)
        {
            return string.Create(inv, $"server CPU {step.ServerCpuPercent:0.0} % > {options.MaxCpuPercent:0.#} %");
        }
        if (step.TickLatenessP99Milliseconds is double.PositiveInfinity)
        {
            return "tick lateness p99 past the last histogram bucket";
        }
        if (step.TickLatenessP99Milliseconds > options.MaxLatenessMilliseconds)
        {
            return string.Create(inv, $"tick lateness p99 <= {step.TickLatenessP99Milliseconds:0.##} ms (its bucket) > {options.MaxLatenessMilliseconds:0.##} ms");
        }
        if (step.LossPercent > options.MaxLossPercent)
        {
            return string.Create(inv, $"loss {step.LossPercent:0.00} % > {options.MaxLossPercent:0.##} %");
        }
        if (step.MissingPercent > options.MaxLossPercent)
        {
            return string.Create(inv, $"mix frames missing {step.MissingPercent:0.00} % > {options.MaxLossPercent:0.##} %");
        }
        if (step.Video is { } video)
        {
            double low = options.CanvasFps * (1 - options.MaxFpsDeviationPercent / 100);
            double high = options.CanvasFps * (1 + options.MaxFpsDeviationPercent / 100);
            if (video.Members == 0)
            {
                return "no member received the canvas through the whole step";
            }
            if (video.FpsMin < low || video.FpsMax > high)
            {
                return string.Create(inv,
                    $"output fps {video.FpsMin:0.0}-{video.FpsMax:0.0} (members) outside {options.CanvasFps:0.#} fps ± {options.MaxFpsDeviationPercent:0.#} %");
            }
            if (video.SecondFpsMin < low || video.SecondFpsMax > high)
            {
                return string.Create(inv,
                    $"output fps {video.SecondFpsMin:0.0}-{video.SecondFpsMax:0.0} (seconds) outside {options.CanvasFps:0.#} fps ± {options.MaxFpsDeviationPercent:0.#} %");
            }
            if (video.LossPercent > options.MaxLossPercent)
            {
                return string.Create(inv, $"canvas loss {video.LossPercent:0.00} % > {options.MaxLossPercent:0.##} %");
            }
        }
        return null;
    }

    private static int MembersOf(AudioLoadOptions options, int rooms) => Math.Min(options.Members, rooms * options.RoomSize);

    /// <summary>Joins every member of rooms [<paramref name="fromRoom"/>, <paramref name="toRoom"/>), a few at a time; returns how many joined.</summary>
    private static async Task<int> JoinRoomsAsync(
        AudioLoadOptions options, AudioSampler sampler, AudioPacer pacer, UdpReceiveLoop receiver, DtlsCertificate certificate, ErrorTally errors,
        int fromRoom, int toRoom, CancellationToken cancellation)
    {
        var joining = new List<IConferenceCall>();
        LatencyProbe? probe = null;
        for (int index = MembersOf(options, fromRoom); index < MembersOf(options, toRoom); index++)
        {
            int room = index / options.RoomSize;
            bool talker = index % options.RoomSize < options.Talkers;
            if (index % options.RoomSize == 0)
            {
                probe = null;
            }
            VideoTrack? video = null;
            if (options.Video)
            {
                // The first members of the run carry the decode check: their room lives longest.
                VideoDecodeCheck? check = index < options.VideoDecodeMembers ? new VideoDecodeCheck(options.VideoDecodeFrames) : null;
                video = new VideoTrack((uint)(0x20000000 + index), sampler.VideoClips[index % sampler.VideoClips.Count], check);
            }
            var peer = new AudioPeer(index, (uint)(0x10000000 + index), certificate, options.SrtpProfiles, receiver, sampler.DecodeCheck,
                options.DecodeEvery, errors, video, options.Target == AudioTarget.Janus ? AudioPeer.InterfaceAddress : null);
            if (talker)
            {
                peer.Voice = new TalkSpurts(index, options.TalkMeanSeconds, options.SilenceMeanSeconds, sampler.Clip.Frames.Count);
            }
            // Always on, it costs little: in each room (not with --destination, where no one
            // hears anyone else) the first talker sends the markers and the last member listens.
            if (options.Destination is null && talker && index % options.RoomSize == 0)
            {
                probe = new LatencyProbe(sampler.Marker, sampler.Latency, room);
                peer.MarkerSender = probe;
            }
            else if (probe is not null && index == Math.Min(MembersOf(options, room + 1), MembersOf(options, toRoom)) - 1)
            {
                peer.MarkerListener = probe;
            }
            joining.Add(options.Target == AudioTarget.Janus
                ? new JanusAudioBridgeCaller(index, room, talker, peer, options, errors)
                : new ConferenceCaller(index, room, talker, peer, options, errors));
        }
        sampler.Add(joining, toRoom);

        using var gate = new SemaphoreSlim(options.JoinParallelism);
        bool[] outcomes = await Task.WhenAll(joining.Select(async caller =>
        {
            try
            {
                await gate.WaitAsync(cancellation);
            }
            catch (OperationCanceledException)
            {
                errors.Add("join_not_started", "the step's join time ran out before this member's turn; lower --join-parallelism or the step size");
                return false;
            }
            try
            {
                bool ok = await caller.JoinAsync(JoinTimeout, cancellation);
                if (ok)
                {
                    pacer.Add(caller.Peer);
                }
                return ok;
            }
            finally
            {
                gate.Release();
            }
        }));
        return outcomes.Count(o => o);
    }

    private static double Percentile(IEnumerable<double> values, double percent)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

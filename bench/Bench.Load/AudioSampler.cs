using System.Diagnostics;

namespace MediaServer.Bench.Load;

/// <summary>
/// Keeps the run's members and reads the whole picture once a second: the server through
/// <see cref="ServerProbe"/>, the peers' counters summed, the client's own CPU. Prints the
/// live progress line and keeps every sample so any stretch of the run can be summarised.
/// Its loop runs on the thread pool; the ramp may take extra samples at step edges, from
/// another task, so the lists are guarded by one lock.
/// </summary>
internal sealed class AudioSampler
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly AudioLoadOptions _options;
    private readonly ServerProbe _probe;
    private readonly Lock _lock = new();
    private readonly List<IConferenceCall> _callers = [];
    private readonly List<AudioSample> _samples = [];
    private readonly long _start = Stopwatch.GetTimestamp();
    private int _rooms;
    private AudioSample? _lastPrinted;

    public AudioSampler(AudioLoadOptions options, SpeechClip clip, IReadOnlyList<VideoClip> videoClips, DecodeCheck decodeCheck, ServerProbe probe, TextWriter progress)
    {
        _options = options;
        Clip = clip;
        VideoClips = videoClips;
        DecodeCheck = decodeCheck;
        _probe = probe;
        Progress = progress;
    }

    public SpeechClip Clip { get; }

    /// <summary>One pre-encoded test pattern per colour class with --video; empty without.</summary>
    public IReadOnlyList<VideoClip> VideoClips { get; }

    public DecodeCheck DecodeCheck { get; }

    /// <summary>The latency marker the rooms' first talkers send.</summary>
    public ChirpMarker Marker { get; } = ChirpMarker.Create();

    /// <summary>Every room's latency markers, found or missed.</summary>
    public AudioLatency Latency { get; } = new();

    public TextWriter Progress { get; }

    public IReadOnlyList<IConferenceCall> Callers
    {
        get
        {
            lock (_lock)
            {
                return [.. _callers];
            }
        }
    }

    /// <summary>Members about to join, and the room count once they have.</summary>
    public void Add(IEnumerable<IConferenceCall> callers, int rooms)
    {
        lock (_lock)
        {
            _callers.AddRange(callers);
            _rooms = Math.Max(_rooms, rooms);
        }
    }

    /// <summary>Samples and prints a progress line every second until cancelled.</summary>
    public async Task SampleLoopAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                AudioSample sample = await SampleNowAsync(cancellation);
                if (_lastPrinted is not null)
                {
                    AudioWindow second = AudioWindow.Of([_lastPrinted, sample], _options.Cores);
                    Progress.WriteLine(AudioLoadReport.ProgressLine(second, Stopwatch.GetElapsedTime(_start).TotalSeconds, _options.Cores));
                }
                _lastPrinted = sample;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    public async Task<AudioSample> SampleNowAsync(CancellationToken cancellation)
    {
        ServerSample server = await _probe.SampleAsync(cancellation);
        IConferenceCall[] callers;
        int rooms;
        lock (_lock)
        {
            callers = [.. _callers];
            rooms = _rooms;
        }

        int members = 0;
        long sent = 0;
        long received = 0;
        long expected = 0;
        long srtpFailures = 0;
        double jitterSum = 0;
        double jitterMax = 0;
        int jitterCount = 0;
        foreach (IConferenceCall caller in callers)
        {
            AudioPeer peer = caller.Peer;
            if (caller.Joined && caller.ServerHangup is null && !caller.Dropped)
            {
                members++;
            }
            sent += peer.FramesSent;
            received += peer.Received.Packets;
            expected += peer.Received.Expected;
            srtpFailures += peer.SrtpFailures;
            if (peer.Received.Packets > 1)
            {
                double jitter = peer.Received.JitterMilliseconds;
                jitterSum += jitter;
                jitterMax = Math.Max(jitterMax, jitter);
                jitterCount++;
            }
        }

        var sample = new AudioSample(
            server,
            Environment.CpuUsage.TotalTime.TotalSeconds,
            members,
            rooms,
            sent,
            received,
            expected,
            jitterCount == 0 ? 0 : jitterSum / jitterCount,
            jitterMax,
            DecodeCheck.Decoded,
            DecodeCheck.Errors,
            DecodeCheck.Audible,
            srtpFailures,
            _options.Video ? SampleVideo(callers) : null);
        lock (_lock)
        {
            _samples.Add(sample);
        }
        return sample;
    }

    private static VideoSample SampleVideo(IConferenceCall[] callers)
    {
        long timestamp = Stopwatch.GetTimestamp();
        var frames = new long[callers.Length];
        long received = 0;
        long expected = 0;
        long sent = 0;
        long keyframesSent = 0;
        long requests = 0;
        long decoded = 0;
        long decodeErrors = 0;
        long decodeKeyframes = 0;
        long decodeDropped = 0;
        (int Width, int Height) size = (0, 0);
        for (int i = 0; i < callers.Length; i++)
        {
            IConferenceCall caller = callers[i];
            VideoTrack? video = caller.Peer.Video;
            bool live = caller.Joined && caller.ServerHangup is null && !caller.Dropped;
            frames[i] = live && video is not null ? video.FramesReceived : -1;
            if (video is null)
            {
                continue;
            }
            received += video.Received.Packets;
            expected += video.Received.Expected;
            sent += video.FramesSent;
            keyframesSent += video.KeyframesSent;
            requests += video.PliReceived + video.FirReceived;
            if (video.DecodeCheck is { } check)
            {
                decoded += check.Decoded;
                decodeErrors += check.Errors;
                decodeKeyframes += check.Keyframes;
                decodeDropped += check.FramesDropped;
                if (check.Size.Width > 0)
                {
                    size = check.Size;
                }
            }
        }
        return new VideoSample(timestamp, frames, received, expected, sent, keyframesSent, requests, decoded, decodeErrors,
            decodeKeyframes, decodeDropped, size.Width, size.Height);
    }

    /// <summary>The samples from <paramref name="start"/> to <paramref name="end"/>, both included, in time order.</summary>
    public IReadOnlyList<AudioSample> SamplesBetween(AudioSample start, AudioSample end)
    {
        lock (_lock)
        {
            return _samples
                .Where(s => s.Timestamp >= start.Timestamp && s.Timestamp <= end.Timestamp)
                .OrderBy(s => s.Timestamp)
                .ToList();
        }
    }
}

using System.Diagnostics;

namespace MediaServer.Bench.Load;

/// <summary>
/// The one sender of every peer's audio: a thread of its own that walks a Stopwatch schedule
/// of 20 ms frames and sends each ready peer one Opus packet per frame (speech in a talk
/// spurt, encoded silence otherwise), as a browser sends continuously. Peers are spread over
/// ten 2 ms slots of the frame, so the server gets a steady stream instead of one burst of
/// hundreds of datagrams every 20 ms, which would measure its socket buffer rather than its
/// mixer. Slots are computed from the start, so lateness never accumulates; a stall longer
/// than three frames skips the missed frames (their timestamps still advance, as a browser's
/// capture clock would) and counts them.
/// <para>
/// Video (<c>--video</c>) rides the same thread and slots: frame n of the 30 fps schedule is
/// due at n × 33.3 ms plus the peer's phase, one of sixteen 2 ms phases (its index modulo 16),
/// so the members' frames are spread over the frame time as their audio is; each is sent in the
/// first slot at or after it is due. After a stall only the newest due frame goes out (the
/// missed ones are counted; their timestamps are skipped, the replay is not, so the server's
/// decoder never loses a reference).
/// </para>
/// </summary>
internal sealed class AudioPacer : IDisposable
{
    public const int FrameMilliseconds = 20;
    private const int Slots = 10;
    private const int MaxLateSlots = 3 * Slots;
    // RFC 7675 asks for a consent check every 5 s on average, with jitter; browsers do it.
    private const int ConsentEveryFrames = 250;
    private const int VideoPhases = 16;

    private readonly SpeechClip _clip;
    private readonly Lock _gate = new();
    private readonly Thread _thread;
    private AudioPeer[][] _slots;
    private AudioPeer[][] _videoPhases;
    // Per phase, the last video frame number sent (-1: none yet). Pacer thread only.
    private readonly long[] _videoFrameSent = new long[VideoPhases];
    private long _skippedVideoFrames;
    private volatile bool _stopping;
    private long _start;
    private long _skippedSlots;
    private long _maxLatenessTicks;

    public AudioPacer(SpeechClip clip)
    {
        _clip = clip;
        _slots = new AudioPeer[Slots][];
        for (int i = 0; i < Slots; i++)
        {
            _slots[i] = [];
        }
        _videoPhases = new AudioPeer[VideoPhases][];
        for (int i = 0; i < VideoPhases; i++)
        {
            _videoPhases[i] = [];
            _videoFrameSent[i] = -1;
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "audio pacer", Priority = ThreadPriority.AboveNormal };
    }

    /// <summary>Slots the pacer missed because it ran late (its own thread starved of CPU).</summary>
    public long SkippedSlots => Volatile.Read(ref _skippedSlots);

    /// <summary>Video frames of the schedule (per phase) not sent because the pacer ran late.</summary>
    public long SkippedVideoFrames => Volatile.Read(ref _skippedVideoFrames);

    /// <summary>The latest the pacer has been against its schedule, in milliseconds.</summary>
    public double MaxLatenessMilliseconds => (double)Volatile.Read(ref _maxLatenessTicks) * 1000 / Stopwatch.Frequency;

    /// <summary>From now on the peer gets a frame every 20 ms (and a video frame every 33.3 ms if it has video) while it is ready. Any thread.</summary>
    public void Add(AudioPeer peer)
    {
        lock (_gate)
        {
            // Copy on write: the pacer reads the arrays without a lock.
            int slot = peer.Index % Slots;
            AudioPeer[][] slots = (AudioPeer[][])_slots.Clone();
            slots[slot] = [.. slots[slot], peer];
            Volatile.Write(ref _slots, slots);
            if (peer.Video is not null)
            {
                int phase = peer.Index % VideoPhases;
                AudioPeer[][] phases = (AudioPeer[][])_videoPhases.Clone();
                phases[phase] = [.. phases[phase], peer];
                Volatile.Write(ref _videoPhases, phases);
            }
        }
    }

    public void Start()
    {
        _start = Stopwatch.GetTimestamp();
        _thread.Start();
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(2));
        }
    }

    private void Run()
    {
        long slotTicks = Stopwatch.Frequency * FrameMilliseconds / 1000 / Slots;
        long slot = 0;
        while (!_stopping)
        {
            long due = _start + slot * slotTicks;
            long now = Stopwatch.GetTimestamp();
            while (due > now && !_stopping)
            {
                // Sleeping wakes up to about a millisecond late, which a 2 ms slot absorbs;
                // spinning for precision would cost a core the server needs.
                long remainingMs = (due - now) * 1000 / Stopwatch.Frequency;
                Thread.Sleep((int)Math.Max(1, remainingMs));
                now = Stopwatch.GetTimestamp();
            }
            long late = now - due;
            if (late > Volatile.Read(ref _maxLatenessTicks))
            {
                Volatile.Write(ref _maxLatenessTicks, late);
            }
            if (late > MaxLateSlots * slotTicks)
            {
                long current = (now - _start) / slotTicks;
                Volatile.Write(ref _skippedSlots, _skippedSlots + current - slot);
                slot = current;
            }

            long frame = slot / Slots;
            foreach (AudioPeer peer in Volatile.Read(ref _slots)[slot % Slots])
            {
                if (peer.Ready)
                {
                    SendFrame(peer, frame);
                }
            }
            SendVideoDue(slot * slotTicks, slotTicks);
            slot++;
        }
    }

    /// <summary>Sends the video frames whose phase came due by <paramref name="elapsed"/> (Stopwatch ticks since the start).</summary>
    private void SendVideoDue(long elapsed, long phaseTicks)
    {
        AudioPeer[][] phases = Volatile.Read(ref _videoPhases);
        for (int phase = 0; phase < VideoPhases; phase++)
        {
            AudioPeer[] peers = phases[phase];
            long since = elapsed - phase * phaseTicks;
            if (peers.Length == 0 || since < 0)
            {
                continue;
            }
            long frame = since * VideoClip.Fps / Stopwatch.Frequency;
            long last = _videoFrameSent[phase];
            if (frame <= last)
            {
                continue;
            }
            if (last >= 0 && frame > last + 1)
            {
                Volatile.Write(ref _skippedVideoFrames, _skippedVideoFrames + (frame - last - 1) * peers.Length);
            }
            _videoFrameSent[phase] = frame;
            foreach (AudioPeer peer in peers)
            {
                if (peer.Ready)
                {
                    peer.SendVideoFrame(frame);
                }
            }
        }
    }

    private void SendFrame(AudioPeer peer, long frame)
    {
        TalkSpurts? voice = peer.Voice;
        if (voice is not null && voice.IsTalking(frame, out bool spurtStarts))
        {
            // RFC 3551 §4.1: the marker bit flags the first packet of a talk spurt.
            peer.SendFrame(frame, _clip.Frames[voice.ClipFrame(_clip.Frames.Count)], spurtStarts);
        }
        else
        {
            peer.SendFrame(frame, _clip.Silence, marker: false);
        }
        if ((frame + peer.Index * 37) % ConsentEveryFrames == 0)
        {
            peer.SendConsentCheck();
        }
    }
}

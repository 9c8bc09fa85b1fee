using System.Collections.Concurrent;
using System.Diagnostics;

namespace MediaServer.Mixer.Runtime;

/// <summary>
/// The media plane's own clock: a few dedicated threads (one per core by default), each
/// running its share of mixers every 20 ms on a fixed schedule that does not drift with the
/// work done. A tick that starts late is measured (the lateness histogram in
/// <see cref="MixerMetrics"/>); a thread that falls more than a few ticks behind skips ahead
/// instead of bursting to catch up, because a burst of mixes would only be thrown away by the
/// receivers' jitter buffers. Registration is queued and applied by the owning thread between
/// ticks, so a mixer is never ticked and detached at the same time.
/// </summary>
public sealed class MixerClock : IDisposable
{
    private const int MaxBehindTicks = 5;

    /// <summary>The nice value mixer threads ask for: ahead of socket and signalling threads, short of real-time.</summary>
    private const int MixerNice = -10;

    private readonly Worker[] _workers;
    private readonly MixerMetrics _metrics;
    private volatile bool _running = true;

    private readonly bool _recordLateness;

    /// <param name="metrics">Where ticks and work time are counted.</param>
    /// <param name="periodMs">The tick period: 20 ms for audio, about 1000/fps for a canvas.</param>
    /// <param name="threads">Threads to spread tickables over; 0 for one per core.</param>
    /// <param name="recordLateness">Whether ticks count in the lateness histogram (the audio clock's figure of merit).</param>
    public MixerClock(MixerMetrics metrics, int periodMs = 20, int threads = 0, bool recordLateness = true)
    {
        _metrics = metrics;
        _recordLateness = recordLateness;
        PeriodMs = periodMs;
        var count = threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount);
        _workers = new Worker[count];
        for (var i = 0; i < count; i++)
        {
            _workers[i] = new Worker(this, i);
        }
    }

    public int PeriodMs { get; }

    /// <summary>Exceptions thrown by a tickable's Tick; the thread goes on with the others.</summary>
    public long TickErrors;

    /// <summary>The last exception a Tick threw, for the log and for tests.</summary>
    public Exception? LastTickError { get; private set; }

    /// <summary>Mixer threads that got their raised priority (0 where the process may not raise it).</summary>
    public int RaisedThreads;

    /// <summary>Starts ticking <paramref name="tickable"/> on the least loaded thread from its next tick.</summary>
    public void Register(IMixerTickable tickable)
    {
        var chosen = _workers[0];
        foreach (var worker in _workers)
        {
            if (worker.Load < chosen.Load)
            {
                chosen = worker;
            }
        }

        Interlocked.Increment(ref chosen.Load);
        chosen.Pending.Enqueue((tickable, true));
    }

    /// <summary>Stops ticking <paramref name="tickable"/>; its OnDetached runs on its thread right after.</summary>
    public void Unregister(IMixerTickable tickable)
    {
        foreach (var worker in _workers)
        {
            worker.Pending.Enqueue((tickable, false));
        }
    }

    public void Dispose()
    {
        _running = false;
        foreach (var worker in _workers)
        {
            worker.Thread.Join(TimeSpan.FromSeconds(2));
        }
    }

    private sealed class Worker
    {
        private readonly MixerClock _clock;
        private readonly List<IMixerTickable> _tickables = [];

        public Worker(MixerClock clock, int index)
        {
            _clock = clock;
            Thread = new Thread(Run) { IsBackground = true, Name = $"mixer-{index}", Priority = ThreadPriority.AboveNormal };
            Thread.Start();
        }

        public Thread Thread { get; }

        public ConcurrentQueue<(IMixerTickable Tickable, bool Add)> Pending { get; } = new();

        public int Load;

        private void Run()
        {
            if (ThreadNice.TryRaise(MixerNice))
            {
                Interlocked.Increment(ref _clock.RaisedThreads);
            }

            var period = Stopwatch.Frequency * _clock.PeriodMs / 1000;
            var next = Stopwatch.GetTimestamp() + period;
            while (_clock._running)
            {
                WaitUntil(next);
                var start = Stopwatch.GetTimestamp();
                if (_clock._recordLateness)
                {
                    _clock._metrics.RecordLateness((start - next) * 1_000_000 / Stopwatch.Frequency);
                }
                ApplyPending();
                var nowMs = Environment.TickCount64;
                foreach (var tickable in _tickables)
                {
                    try
                    {
                        tickable.Tick(nowMs);
                    }
                    catch (Exception e) when (_clock._running)
                    {
                        // One broken mixer must not silence every other room on this thread.
                        Interlocked.Increment(ref _clock.TickErrors);
                        _clock.LastTickError = e;
                    }
                }

                var end = Stopwatch.GetTimestamp();
                if (_clock._recordLateness)
                {
                    Interlocked.Add(ref _clock._metrics.TickWorkTicks, end - start);
                }
                next += period;
                if (end - next > period * MaxBehindTicks)
                {
                    Interlocked.Increment(ref _clock._metrics.TickOverruns);
                    next = end + period;
                }
            }

            ApplyPending();
            foreach (var tickable in _tickables)
            {
                tickable.OnDetached();
            }

            _tickables.Clear();
        }

        private void ApplyPending()
        {
            while (Pending.TryDequeue(out var change))
            {
                if (change.Add)
                {
                    _tickables.Add(change.Tickable);
                }
                else if (_tickables.Remove(change.Tickable))
                {
                    Interlocked.Decrement(ref Load);
                    change.Tickable.OnDetached();
                }
            }
        }

        /// <summary>
        /// Sleeps the whole milliseconds of the wait and yields through the last fraction: Linux
        /// wakes a sleeper within about 0.1 ms, and spinning longer would burn a few percent of a
        /// core per thread for nothing.
        /// </summary>
        private static void WaitUntil(long deadline)
        {
            while (true)
            {
                var remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    return;
                }

                var remainingMs = remaining * 1000 / Stopwatch.Frequency;
                if (remainingMs >= 1)
                {
                    Thread.Sleep((int)remainingMs);
                }
                else
                {
                    Thread.Yield();
                }
            }
        }
    }
}

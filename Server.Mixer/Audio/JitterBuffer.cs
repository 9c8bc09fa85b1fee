namespace MediaServer.Mixer.Audio;

/// <summary>
/// One member's adaptive audio jitter buffer: RTP payloads go in on the receive thread in
/// network order and come out on the mixer thread in sequence order, one per packet duration,
/// at a delay that follows the measured network jitter and never creeps with clock drift.
/// Owned by the member; <see cref="Insert"/> and <see cref="Pop"/> may run on different threads.
/// Preallocates every slot, so nothing allocates after construction.
/// </summary>
/// <remarks>
/// <para>The timing model. Every arrival gives a transit sample <c>arrival - timestamp</c> (ms,
/// on the receiver's clock). The baseline is the smallest transit over the last ~2.5 s (a
/// sliding minimum in blocks, so it follows drift either way); a packet's relative delay is its
/// transit above the baseline, i.e. its jitter. The playout delay at a pop is
/// <c>now - playout timestamp - baseline</c>: how long the media about to play has waited since
/// the earliest it could have arrived. A packet is late exactly when its relative delay exceeds
/// the playout delay, so the target is the 98th percentile of relative delays, taken from a
/// histogram whose old samples fade (rises within a few packets, decays over ~20 s, and single
/// spikes do not move it).</para>
/// <para>The control. The consumer's pops are the only clock; the buffer keeps the playout delay
/// in [target, target + 1.5 frames]: sustained above it drops the oldest packet (a fast sender, or
/// a target that decayed), sustained below it answers Missing without consuming (a slow sender,
/// or a target that rose), which stretches the delay by a frame. Both are rare (one per ~200 s
/// at 100 ppm), and a burst of arrivals does not count as drift because the delay is computed
/// from timestamps, not from how many packets sit in the buffer.</para>
/// </remarks>
public sealed class JitterBuffer
{
    /// <summary>A sequence or timestamp jump beyond this (either way) is a new stream, not a gap.</summary>
    public const int ResetJumpMs = 3000;

    // The share of relative delays the target covers; the rest arrive late.
    private const double TargetQuantile = 0.98;

    private const int HistogramBinMs = 5;

    // Per-sample fade of the delay histogram: a time constant of ~333 packets (6.7 s at 20 ms).
    private const double HistogramForget = 0.997;

    // The initial delay enters the histogram as this many samples: weak enough that the first
    // packets of a jittery stream raise the target within a few arrivals, strong enough that one
    // outlier later does not. It fades like any sample (below 2% after ~650 packets).
    private const double PriorSamples = 40;

    // The baseline is the minimum over BaselineBlocks completed blocks plus the current one.
    private const int BaselineBlock = 32;
    private const int BaselineBlocks = 4;

    // A transit this far above the baseline means the sender's clock jumped (a pause with a
    // stalled timestamp), not jitter: measure afresh rather than wait for the window to forget.
    private const double RebaselineMs = 1000;

    // Pops in a row the delay must sit outside its band before the buffer drops or stretches,
    // so a late mixer tick or a baseline step does not trigger a correction.
    private const int SustainPops = 5;

    // Opus's longest packet; a larger timestamp step between neighbours is a pause, not a duration.
    private const int MaxFrameMs = 120;

    // After an SSRC change, stragglers of the old stream are dropped (as late) for this many
    // packets of the new one, rather than resetting the buffer back and forth.
    private const int PreviousSsrcGracePackets = 50;

    private const long SequenceOrigin = 1L << 20;
    private const long TimestampOrigin = 1L << 32;

    private readonly Lock _lock = new();
    private readonly int _initialDelayMs;
    private readonly int _minDelayMs;
    private readonly int _maxDelayMs;
    private readonly int _capacity;
    private readonly int _maxPayload;
    private readonly int _defaultFrameUnits;
    private readonly int _maxFrameUnits;
    private readonly long _resetJumpUnits;

    // Slots are indexed by extended sequence number modulo capacity. A played slot keeps its
    // sequence number and timestamp, so a copy arriving afterwards is told apart from a late packet.
    private readonly byte[] _payloads;
    private readonly long[] _slotSequence;
    private readonly long[] _slotTimestamp;
    private readonly int[] _slotLength;
    private readonly SlotState[] _slotState;

    private readonly double[] _histogram;
    private readonly double[] _blockMinimum = new double[BaselineBlocks];

    private double _histogramTotal;
    private double _histogramWeight;
    private int _blockIndex;
    private int _blockCount;
    private double _currentBlockMinimum;
    private double _baseline;
    private double _lastTransit;
    private bool _hasTransit;
    private double _interarrivalJitter;

    private bool _hasStream;
    private uint _ssrc;
    private uint _previousSsrc;
    private int _previousSsrcGrace;
    private long _highestSequence;
    private long _highestTimestamp;
    private bool _started;
    private bool _playing;
    private long _nextSequence;
    private long _playTimestamp;
    private int _bufferedCount;
    private int _frameUnits;
    private long _peekSequence = -1;
    private int _aboveRun;
    private int _belowRun;
    private int _dryRun;
    private bool _waitedForNext;

    private int _targetDelayMs;
    private int _jitterMs;
    private int _delayMs;

    private long _received;
    private long _late;
    private long _lost;
    private long _duplicates;
    private long _reordered;
    private long _droppedForDrift;
    private long _concealed;
    private long _resets;
    private long _oversized;

    public JitterBuffer(int clockRate, int initialDelayMs = 40, int minDelayMs = 20, int maxDelayMs = 200, int capacity = 64, int maxPayload = 1500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clockRate, 1000);
        ArgumentOutOfRangeException.ThrowIfNegative(minDelayMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelayMs, minDelayMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayload, 1);

        ClockRate = clockRate;
        _initialDelayMs = Math.Clamp(initialDelayMs, minDelayMs, maxDelayMs);
        _minDelayMs = minDelayMs;
        _maxDelayMs = maxDelayMs;
        _capacity = capacity;
        _maxPayload = maxPayload;
        _defaultFrameUnits = clockRate * MixerFormat.FrameMs / 1000;
        _maxFrameUnits = clockRate * MaxFrameMs / 1000;
        _resetJumpUnits = (long)clockRate * ResetJumpMs / 1000;

        _payloads = new byte[capacity * maxPayload];
        _slotSequence = new long[capacity];
        _slotTimestamp = new long[capacity];
        _slotLength = new int[capacity];
        _slotState = new SlotState[capacity];
        _histogram = new double[(maxDelayMs / HistogramBinMs) + 2];
        ResetStream();
    }

    private enum SlotState : byte
    {
        Free,
        Buffered,
        Played,
    }

    public int ClockRate { get; }

    /// <summary>The playout delay the buffer currently aims for, in [min, max].</summary>
    public int TargetDelayMs => Volatile.Read(ref _targetDelayMs);

    /// <summary>The media held: from the playout point to the end of the newest packet.</summary>
    public int BufferedMs
    {
        get
        {
            lock (_lock)
            {
                if (_bufferedCount == 0)
                {
                    return 0;
                }

                var from = _playing ? _playTimestamp : _slotTimestamp[Slot(FirstBuffered())];
                return (int)((_highestTimestamp + _frameUnits - from) * 1000 / ClockRate);
            }
        }
    }

    /// <summary>The RFC 3550 interarrival jitter estimate, in ms (what an RTCP report would carry).</summary>
    public int JitterMs => Volatile.Read(ref _jitterMs);

    /// <summary>
    /// The playout delay of the last packet played: how long it waited since the earliest it could
    /// have arrived. The quantity the buffer keeps near <see cref="TargetDelayMs"/>.
    /// </summary>
    public int DelayMs => Volatile.Read(ref _delayMs);

    /// <summary>Packets handed to <see cref="Insert"/> (duplicates and late ones included).</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Packets that arrived after their playout point and were dropped.</summary>
    public long Late => Volatile.Read(ref _late);

    /// <summary>Sequence numbers skipped without ever being played (a late one counts here and in <see cref="Late"/>).</summary>
    public long Lost => Volatile.Read(ref _lost);

    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Packets that arrived after a higher sequence number yet in time to play.</summary>
    public long Reordered => Volatile.Read(ref _reordered);

    /// <summary>Packets dropped to bring the delay down: drift, a decayed target, or an overfull buffer.</summary>
    public long DroppedForDrift => Volatile.Read(ref _droppedForDrift);

    /// <summary>Missing results: losses, and stretches of the delay.</summary>
    public long Concealed => Volatile.Read(ref _concealed);

    /// <summary>Automatic restarts on an SSRC change or a sequence/timestamp jump.</summary>
    public long Resets => Volatile.Read(ref _resets);

    /// <summary>Payloads larger than the slots, dropped.</summary>
    public long Oversized => Volatile.Read(ref _oversized);

    /// <summary>
    /// Receive thread: buffers one RTP payload (copied; nothing allocated). <paramref name="arrivalMs"/>
    /// must come from the same monotonic millisecond clock as <see cref="Pop"/>'s <c>nowMs</c>.
    /// </summary>
    public void Insert(ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, uint ssrc, long arrivalMs)
    {
        lock (_lock)
        {
            if (payload.Length > _maxPayload)
            {
                _oversized++;
                return;
            }

            _received++;
            if (_previousSsrcGrace > 0 && ssrc == _previousSsrc && ssrc != _ssrc)
            {
                _late++;
                return;
            }

            if (!_hasStream)
            {
                StartStream(ssrc, sequence, timestamp);
            }
            else if (ssrc != _ssrc || IsJump(sequence, timestamp))
            {
                // A new stream: whatever of the old one is still held is dropped with it.
                var previous = _ssrc;
                ResetStream();
                _resets++;
                if (ssrc != previous)
                {
                    _previousSsrc = previous;
                    _previousSsrcGrace = PreviousSsrcGracePackets;
                }

                StartStream(ssrc, sequence, timestamp);
            }
            else if (_previousSsrcGrace > 0)
            {
                _previousSsrcGrace--;
            }

            var sequenceDelta = (short)(sequence - (ushort)_highestSequence);
            var extendedSequence = _highestSequence + sequenceDelta;
            var extendedTimestamp = _highestTimestamp + (int)(timestamp - (uint)_highestTimestamp);

            var slot = Slot(extendedSequence);
            if (_slotSequence[slot] == extendedSequence && _slotState[slot] != SlotState.Free)
            {
                _duplicates++;
                return;
            }

            MeasureArrival(extendedTimestamp, arrivalMs);

            if (extendedSequence < _nextSequence)
            {
                if (_started || _highestSequence - extendedSequence >= _capacity)
                {
                    _late++;
                    return;
                }

                // Still filling: an older packet overtaken by the first one becomes the start.
                _nextSequence = extendedSequence;
            }

            if (extendedSequence >= _nextSequence + _capacity)
            {
                Advance(extendedSequence - _capacity + 1);
            }

            payload.CopyTo(_payloads.AsSpan(slot * _maxPayload, _maxPayload));
            _slotSequence[slot] = extendedSequence;
            _slotTimestamp[slot] = extendedTimestamp;
            _slotLength[slot] = payload.Length;
            _slotState[slot] = SlotState.Buffered;
            _bufferedCount++;

            if (extendedSequence < _highestSequence)
            {
                _reordered++;
            }
            else if (extendedSequence > _highestSequence)
            {
                _highestSequence = extendedSequence;
                _highestTimestamp = extendedTimestamp;
            }

            LearnFrameDuration(extendedSequence, extendedTimestamp);
        }
    }

    /// <summary>
    /// Mixer thread: the next packet for one packet duration. <paramref name="payload"/> must hold
    /// the largest payload inserted. See <see cref="JitterBufferResult"/> for what the caller plays.
    /// </summary>
    public JitterBufferResult Pop(long nowMs, Span<byte> payload, out int length, out uint timestamp, out int durationUnits)
    {
        length = 0;
        timestamp = 0;
        durationUnits = 0;
        lock (_lock)
        {
            _peekSequence = -1;
            if (!_hasStream || (!_playing && !TryStartPlayout(nowMs)))
            {
                return JitterBufferResult.Empty;
            }

            var delay = DelayAt(nowMs);
            if (delay > _maxDelayMs + (2 * FrameMs))
            {
                // The consumer stalled or the network dumped a backlog: catch up at once.
                delay = CatchUp(nowMs, delay);
            }

            var target = _targetDelayMs;
            _aboveRun = delay > target + (1.5 * FrameMs) ? _aboveRun + 1 : 0;
            _belowRun = delay < target ? _belowRun + 1 : 0;

            if (IsBuffered(_nextSequence))
            {
                _dryRun = 0;
                if (_slotTimestamp[Slot(_nextSequence)] - _playTimestamp > 2L * _frameUnits)
                {
                    // Consecutive sequence numbers, but the media clock moved on: the sender paused
                    // (DTX without packets, hold). Nothing was lost; buffer afresh for the new talkspurt.
                    _playing = false;
                    if (!TryStartPlayout(nowMs))
                    {
                        return JitterBufferResult.Empty;
                    }
                }

                if (_belowRun >= SustainPops)
                {
                    _belowRun = 0;
                    return Stretch();
                }

                if (_aboveRun >= SustainPops && IsBuffered(_nextSequence + 1))
                {
                    // Drop the oldest: it is the one whose wait exceeded the target the longest.
                    _aboveRun = 0;
                    DropNext();
                    _droppedForDrift++;
                }

                return PlayNext(nowMs, payload, out length, out timestamp, out durationUnits);
            }

            if (_bufferedCount > 0)
            {
                _dryRun = 0;
                if (delay < target && !_waitedForNext)
                {
                    // Short of target anyway: give the gap one frame to arrive late rather than lose it.
                    _waitedForNext = true;
                    return Stretch();
                }

                SkipNext();
                _lost++;
                _concealed++;
                _peekSequence = _nextSequence;
                return JitterBufferResult.Missing;
            }

            if (_dryRun++ == 0)
            {
                // Ran dry: the next packet is late, lost, or the sender stopped. Conceal once and
                // keep its place; if it is still absent at the next pop, the sender paused.
                return Stretch();
            }

            _playing = false;
            _aboveRun = 0;
            _belowRun = 0;
            return JitterBufferResult.Empty;
        }
    }

    /// <summary>
    /// After a Missing for a lost packet: the packet following it, if already here, for in-band
    /// FEC (Opus). It stays buffered and plays at the next pop. False after a stretch: nothing
    /// was skipped there, so there is nothing to rebuild.
    /// </summary>
    public bool TryPeekNext(Span<byte> payload, out int length)
    {
        lock (_lock)
        {
            length = 0;
            if (_peekSequence < 0 || !IsBuffered(_peekSequence))
            {
                return false;
            }

            var slot = Slot(_peekSequence);
            length = _slotLength[slot];
            _payloads.AsSpan(slot * _maxPayload, length).CopyTo(payload);
            return true;
        }
    }

    /// <summary>Forgets the stream (the next packet starts a new one with initial buffering); counters are kept.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            ResetStream();
            _previousSsrcGrace = 0;
        }
    }

    private double FrameMs => _frameUnits * 1000.0 / ClockRate;

    private int Slot(long sequence) => (int)(sequence % _capacity);

    private bool IsBuffered(long sequence)
    {
        var slot = Slot(sequence);
        return _slotSequence[slot] == sequence && _slotState[slot] == SlotState.Buffered;
    }

    private double DelayAt(long nowMs) => nowMs - (_playTimestamp * 1000.0 / ClockRate) - _baseline;

    private bool IsJump(ushort sequence, uint timestamp)
    {
        var sequenceDelta = Math.Abs((int)(short)(sequence - (ushort)_highestSequence));
        var timestampDelta = Math.Abs((long)(int)(timestamp - (uint)_highestTimestamp));
        var sequenceLimit = Math.Max(_capacity, (int)(ResetJumpMs / Math.Max(1, FrameMs)));
        return sequenceDelta > sequenceLimit || timestampDelta > _resetJumpUnits;
    }

    private void StartStream(uint ssrc, ushort sequence, uint timestamp)
    {
        _hasStream = true;
        _ssrc = ssrc;
        _highestSequence = SequenceOrigin + sequence;
        _highestTimestamp = TimestampOrigin + timestamp;
        _nextSequence = _highestSequence;
    }

    private void ResetStream()
    {
        Array.Fill(_slotSequence, -1);
        Array.Clear(_slotState);
        _bufferedCount = 0;
        _hasStream = false;
        _started = false;
        _playing = false;
        _frameUnits = _defaultFrameUnits;
        _peekSequence = -1;
        _aboveRun = 0;
        _belowRun = 0;
        _dryRun = 0;
        _waitedForNext = false;
        _hasTransit = false;
        _interarrivalJitter = 0;
        _jitterMs = 0;
        _delayMs = 0;
        ClearBaseline();

        Array.Clear(_histogram);
        _histogramWeight = 1;
        _histogramTotal = PriorSamples;
        _histogram[Math.Max(0, (_initialDelayMs / HistogramBinMs) - 1)] = _histogramTotal;
        _targetDelayMs = _initialDelayMs;
    }

    private bool TryStartPlayout(long nowMs)
    {
        if (_bufferedCount == 0)
        {
            return false;
        }

        var first = FirstBuffered();
        var waited = nowMs - (_slotTimestamp[Slot(first)] * 1000.0 / ClockRate) - _baseline;
        if (waited < _targetDelayMs)
        {
            return false;
        }

        if (_started)
        {
            // Resuming after the buffer ran dry: whatever never arrived in between is lost (nothing
            // when the sender merely paused, as sequence numbers then continue).
            _lost += first - _nextSequence;
        }

        _nextSequence = first;
        _playTimestamp = _slotTimestamp[Slot(first)];
        _started = true;
        _playing = true;
        _aboveRun = 0;
        _belowRun = 0;
        _dryRun = 0;
        _waitedForNext = false;
        return true;
    }

    private long FirstBuffered()
    {
        var sequence = _nextSequence;
        while (!IsBuffered(sequence) && sequence < _highestSequence)
        {
            sequence++;
        }

        return sequence;
    }

    private JitterBufferResult PlayNext(long nowMs, Span<byte> payload, out int length, out uint timestamp, out int durationUnits)
    {
        _delayMs = (int)Math.Round(DelayAt(nowMs));
        var slot = Slot(_nextSequence);
        length = _slotLength[slot];
        _payloads.AsSpan(slot * _maxPayload, length).CopyTo(payload);
        timestamp = (uint)_slotTimestamp[slot];
        durationUnits = DurationOf(_nextSequence);
        Consume(slot, durationUnits, SlotState.Played);
        return JitterBufferResult.Packet;
    }

    private void DropNext()
    {
        var slot = Slot(_nextSequence);
        Consume(slot, DurationOf(_nextSequence), SlotState.Free);
    }

    private void Consume(int slot, int durationUnits, SlotState after)
    {
        _slotState[slot] = after;
        _bufferedCount--;
        _playTimestamp = _slotTimestamp[slot] + durationUnits;
        _nextSequence++;
        _waitedForNext = false;
    }

    private void SkipNext()
    {
        _playTimestamp += _frameUnits;
        _nextSequence++;
        _waitedForNext = false;
    }

    private JitterBufferResult Stretch()
    {
        _concealed++;
        return JitterBufferResult.Missing;
    }

    /// <summary>Moves the playout point forward to <paramref name="sequence"/>, dropping what it passes.</summary>
    private void Advance(long sequence)
    {
        while (_nextSequence < sequence)
        {
            if (IsBuffered(_nextSequence))
            {
                DropNext();
                _droppedForDrift++;
            }
            else
            {
                if (_started)
                {
                    _lost++;
                }

                SkipNext();
            }
        }
    }

    private double CatchUp(long nowMs, double delay)
    {
        var goal = _targetDelayMs + FrameMs;
        while (delay > goal && _bufferedCount > 0 && _nextSequence < _highestSequence)
        {
            Advance(_nextSequence + 1);
            delay = DelayAt(nowMs);
        }

        return delay;
    }

    private int DurationOf(long sequence)
    {
        if (IsBuffered(sequence + 1))
        {
            var delta = _slotTimestamp[Slot(sequence + 1)] - _slotTimestamp[Slot(sequence)];
            if (delta > 0 && delta <= _maxFrameUnits)
            {
                return (int)delta;
            }
        }

        return _frameUnits;
    }

    private void LearnFrameDuration(long sequence, long timestamp)
    {
        var previous = Slot(sequence - 1);
        if (_slotSequence[previous] == sequence - 1 && _slotState[previous] != SlotState.Free)
        {
            var delta = timestamp - _slotTimestamp[previous];
            if (delta > 0 && delta <= _maxFrameUnits)
            {
                _frameUnits = (int)delta;
                return;
            }
        }

        var next = Slot(sequence + 1);
        if (_slotSequence[next] == sequence + 1 && _slotState[next] != SlotState.Free)
        {
            var delta = _slotTimestamp[next] - timestamp;
            if (delta > 0 && delta <= _maxFrameUnits)
            {
                _frameUnits = (int)delta;
            }
        }
    }

    private void MeasureArrival(long timestamp, long arrivalMs)
    {
        var transit = arrivalMs - (timestamp * 1000.0 / ClockRate);
        if (_hasTransit && transit - _baseline <= RebaselineMs)
        {
            // RFC 3550 section 6.4.1: J += (|D(i-1,i)| - J) / 16.
            _interarrivalJitter += (Math.Abs(transit - _lastTransit) - _interarrivalJitter) / 16;
            _jitterMs = (int)Math.Round(_interarrivalJitter);
        }

        _lastTransit = transit;
        _hasTransit = true;

        if (transit - _baseline > RebaselineMs)
        {
            ClearBaseline();
        }

        AddBaselineSample(transit);
        AddDelaySample(transit - _baseline);
    }

    private void ClearBaseline()
    {
        Array.Fill(_blockMinimum, double.PositiveInfinity);
        _blockIndex = 0;
        _blockCount = 0;
        _currentBlockMinimum = double.PositiveInfinity;
        _baseline = double.PositiveInfinity;
    }

    private void AddBaselineSample(double transit)
    {
        _currentBlockMinimum = Math.Min(_currentBlockMinimum, transit);
        _baseline = Math.Min(_baseline, transit);
        if (++_blockCount < BaselineBlock)
        {
            return;
        }

        // Retire the oldest block: the minimum may rise, which is how a slow sender is followed.
        _blockMinimum[_blockIndex] = _currentBlockMinimum;
        _blockIndex = (_blockIndex + 1) % BaselineBlocks;
        _blockCount = 0;
        _currentBlockMinimum = double.PositiveInfinity;
        _baseline = double.PositiveInfinity;
        foreach (var minimum in _blockMinimum)
        {
            _baseline = Math.Min(_baseline, minimum);
        }
    }

    private void AddDelaySample(double relativeMs)
    {
        // Fading by growing the new sample's weight instead of shrinking every bin: same ratios, one add.
        var bin = Math.Min((int)(relativeMs / HistogramBinMs), _histogram.Length - 1);
        _histogram[bin] += _histogramWeight;
        _histogramTotal += _histogramWeight;
        _histogramWeight /= HistogramForget;
        if (_histogramWeight > 1e200)
        {
            var scale = 1 / _histogramWeight;
            for (var i = 0; i < _histogram.Length; i++)
            {
                _histogram[i] *= scale;
            }

            _histogramTotal *= scale;
            _histogramWeight = 1;
        }

        var tail = _histogramTotal * (1 - TargetQuantile);
        var above = 0.0;
        var quantileBin = 0;
        for (var i = _histogram.Length - 1; i >= 0; i--)
        {
            above += _histogram[i];
            if (above > tail)
            {
                quantileBin = i;
                break;
            }
        }

        _targetDelayMs = Math.Clamp((quantileBin + 1) * HistogramBinMs, _minDelayMs, _maxDelayMs);
    }
}

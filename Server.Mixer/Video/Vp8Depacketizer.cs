using MediaServer.Protocol.Payload;

namespace MediaServer.Mixer.Video;

/// <summary>
/// Reassembles VP8 frames from one sender's RTP payloads (RFC 7741 §4) and decides when to ask
/// for a keyframe. Packets wait in a preallocated ring indexed by sequence number (modulo the
/// capacity, so the ring survives the 16-bit wrap); a frame is complete when every sequence
/// number from its first packet (S = 1, PID = 0) to its marker packet is present with one
/// timestamp. Frames leave in sequence order.
/// <para>
/// Loss: a hole in front of the oldest complete frame is given up after
/// <see cref="ReorderGraceMs"/> (measured from the arrival of the first packet behind the hole),
/// which covers reordering but not retransmission. A keyframe needs nothing earlier and leaves
/// at once. After a loss every frame is skipped until the next keyframe (the simple rule; no
/// reference tracking), and keyframes are requested through the callback: a PLI, a second PLI
/// no sooner than <see cref="MinRequestIntervalMs"/> later, then FIRs every
/// <see cref="FirIntervalMs"/> while none arrives. Never more than one request per
/// <see cref="MinRequestIntervalMs"/>.
/// </para>
/// <para>
/// Threads: <see cref="Push"/> on the receive thread, <see cref="TryTakeFrame"/> on the video
/// mixer thread; one lock guards the state and the callback runs outside it, on whichever of
/// the two noticed the need. Time is the <c>nowMs</c> passed to <see cref="Push"/>. Allocates
/// nothing after construction.
/// </para>
/// </summary>
public sealed class Vp8Depacketizer
{
    /// <summary>Packets the ring holds by default: at 1200-byte payloads, about 600 KB of frames in flight.</summary>
    public const int DefaultCapacity = 512;

    /// <summary>Largest VP8 data per packet kept (after the descriptor); bigger packets are dropped.</summary>
    public const int DefaultMaxPacketLength = 4096;

    /// <summary>How long a hole may wait for a late packet once packets behind it have arrived.</summary>
    public const int ReorderGraceMs = 20;

    /// <summary>The least time between two keyframe requests.</summary>
    public const int MinRequestIntervalMs = 300;

    /// <summary>Time between FIRs once two PLIs went unanswered.</summary>
    public const int FirIntervalMs = 500;

    private readonly Lock _gate = new();
    private readonly Action<KeyframeRequestKind> _requestKeyframe;
    private readonly Slot[] _slots;
    private readonly byte[] _data;
    private readonly int _mask;
    private readonly int _maxPacketLength;

    private bool _started;

    /// <summary>Set once anything left the ring: from then on the head never moves back.</summary>
    private bool _headSettled;

    /// <summary>When the first packet (since the start or a restart) arrived.</summary>
    private long _firstArrivalMs;

    /// <summary>The oldest sequence number still waiting; slot offsets count from here.</summary>
    private ushort _head;

    /// <summary>Offset of the newest packet + 1: the part of the ring in use.</summary>
    private int _count;

    private long _nowMs;
    private bool _delivered;
    private bool _needsKeyframe = true;

    /// <summary>Requests are sent while set: after a loss, or a frame skipped while waiting for a keyframe.</summary>
    private bool _requesting;
    private int _plisSent;
    private bool _hasRequested;
    private long _lastRequestMs;

    private long _framesDropped;
    private long _packetsDiscarded;

    /// <param name="requestKeyframe">Called with the kind of request to send the sender (outside the lock, on the thread that noticed).</param>
    /// <param name="capacity">Packets the ring holds; a power of two from 16 to 32768.</param>
    /// <param name="maxPacketLength">Largest VP8 data per packet kept.</param>
    public Vp8Depacketizer(Action<KeyframeRequestKind> requestKeyframe, int capacity = DefaultCapacity, int maxPacketLength = DefaultMaxPacketLength)
    {
        ArgumentNullException.ThrowIfNull(requestKeyframe);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 32768);
        if (!int.IsPow2(capacity))
        {
            throw new ArgumentException("The capacity must be a power of two so sequence numbers map onto the ring across the wrap.", nameof(capacity));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketLength, 1);
        _requestKeyframe = requestKeyframe;
        _slots = new Slot[capacity];
        _data = new byte[capacity * maxPacketLength];
        _mask = capacity - 1;
        _maxPacketLength = maxPacketLength;
    }

    /// <summary>Output length that always fits a frame: the whole ring.</summary>
    public int MaxFrameLength => _data.Length;

    /// <summary>True until the first keyframe is taken, and again from a loss until the next one.</summary>
    public bool NeedsKeyframe
    {
        get
        {
            lock (_gate)
            {
                return _needsKeyframe;
            }
        }
    }

    /// <summary>Frames given up (incomplete, or skipped while waiting for a keyframe).</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    /// <summary>Packets not kept: malformed, too big, duplicated or too late.</summary>
    public long PacketsDiscarded => Interlocked.Read(ref _packetsDiscarded);

    /// <summary>
    /// Files one RTP payload (descriptor and VP8 data). <paramref name="nowMs"/> is the receive
    /// clock in ms; it drives loss timing and request pacing. Malformed, duplicate and late
    /// packets are counted and dropped.
    /// </summary>
    public void Push(ReadOnlySpan<byte> rtpPayload, ushort sequence, uint timestamp, bool marker, long nowMs)
    {
        KeyframeRequestKind request;
        bool send;
        lock (_gate)
        {
            if (nowMs > _nowMs)
            {
                _nowMs = nowMs;
            }

            Store(rtpPayload, sequence, timestamp, marker, nowMs);
            send = TryDueRequest(out request);
        }

        if (send)
        {
            _requestKeyframe(request);
        }
    }

    /// <summary>
    /// Copies the next complete frame, in sequence order, into <paramref name="output"/> (the
    /// VP8 data of its packets back to back, descriptors removed). False when none is ready.
    /// A frame longer than <paramref name="output"/> is dropped as lost; <see cref="MaxFrameLength"/>
    /// always fits.
    /// </summary>
    public bool TryTakeFrame(Span<byte> output, out int length, out bool keyframe, out uint timestamp)
    {
        length = 0;
        keyframe = false;
        timestamp = 0;
        bool found;
        KeyframeRequestKind request;
        bool send;
        lock (_gate)
        {
            found = TakeFrame(output, out length, out keyframe, out timestamp);
            send = TryDueRequest(out request);
        }

        if (send)
        {
            _requestKeyframe(request);
        }

        return found;
    }

    private void Store(ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, bool marker, long nowMs)
    {
        if (!Vp8PayloadDescriptor.TryParse(payload, out var descriptor) || descriptor.HeaderLength >= payload.Length
            || payload.Length - descriptor.HeaderLength > _maxPacketLength)
        {
            _packetsDiscarded++;
            return;
        }

        if (!_started)
        {
            _started = true;
            _head = sequence;
            _firstArrivalMs = nowMs;
        }

        var capacity = _slots.Length;
        var offset = (int)(short)(ushort)(sequence - _head);
        if (offset < 0)
        {
            if (offset >= -capacity && !_headSettled && _count - offset <= capacity)
            {
                // Nothing has left the ring yet: an earlier packet arrived late, so the stream
                // starts earlier than we thought. Those ring slots are free.
                _head = sequence;
                _count -= offset;
                offset = 0;
            }
            else if (offset >= -capacity)
            {
                // A duplicate of, or too late for, something already taken or given up.
                _packetsDiscarded++;
                return;
            }
            else
            {
                // Far behind: the sender restarted its numbering.
                Restart(sequence, nowMs);
                offset = 0;
            }
        }
        else if (offset >= capacity)
        {
            // Too far ahead for the ring (a long outage, a restart, or a reader that stopped
            // taking frames): what is waiting cannot complete in order any more.
            Restart(sequence, nowMs);
            offset = 0;
        }

        ref var slot = ref _slots[sequence & _mask];
        if (slot.Occupied)
        {
            _packetsDiscarded++;
            return;
        }

        var data = payload[descriptor.HeaderLength..];
        data.CopyTo(_data.AsSpan((sequence & _mask) * _maxPacketLength));
        slot.Occupied = true;
        slot.StartOfFrame = descriptor.IsStartOfFrame;
        slot.Keyframe = descriptor.IsStartOfFrame && Vp8PayloadDescriptor.IsKeyFrame(data);
        slot.Marker = marker;
        slot.Timestamp = timestamp;
        slot.Length = data.Length;
        slot.ArrivalMs = nowMs;
        if (offset >= _count)
        {
            _count = offset + 1;
        }
    }

    private void Restart(ushort sequence, long nowMs)
    {
        if (_count > 0)
        {
            Discard(_count);
            _framesDropped++;
        }

        if (_delivered)
        {
            MarkLoss();
        }

        // Like a first packet: ones numbered just before it may still be on their way.
        _head = sequence;
        _headSettled = false;
        _firstArrivalMs = nowMs;
    }

    private bool TakeFrame(Span<byte> output, out int length, out bool keyframe, out uint timestamp)
    {
        length = 0;
        keyframe = false;
        timestamp = 0;
        while (FindCompleteFrame(out var start, out var end, out var holeBefore, out var holeSeenMs))
        {
            var first = _slots[(_head + start) & _mask];

            // Right after the start, packets sent before the first one we saw (a keyframe,
            // say) may still be on their way: give them the grace before skipping to a delta.
            if (!first.Keyframe && !_headSettled && _nowMs - _firstArrivalMs < ReorderGraceMs)
            {
                return false;
            }

            if (start > 0)
            {
                // Something incomplete lies in front. A keyframe does not need it; anything else
                // waits for the hole to fill, up to the grace.
                if (!first.Keyframe && holeBefore && _nowMs - holeSeenMs < ReorderGraceMs)
                {
                    return false;
                }

                Discard(start);
                _framesDropped++;
                if (!first.Keyframe)
                {
                    MarkLoss();
                }
            }

            var packets = end + 1;
            if (_needsKeyframe && !first.Keyframe)
            {
                // A delta frame on top of a missing reference: skip it and keep asking.
                Discard(packets);
                _framesDropped++;
                _requesting = true;
                continue;
            }

            var total = 0;
            for (var i = 0; i < packets; i++)
            {
                total += _slots[(_head + i) & _mask].Length;
            }

            if (total > output.Length)
            {
                Discard(packets);
                _framesDropped++;
                MarkLoss();
                continue;
            }

            for (var i = 0; i < packets; i++)
            {
                var index = (_head + i) & _mask;
                _data.AsSpan(index * _maxPacketLength, _slots[index].Length).CopyTo(output[length..]);
                length += _slots[index].Length;
            }

            keyframe = first.Keyframe;
            timestamp = first.Timestamp;
            Discard(packets);
            _delivered = true;
            if (keyframe)
            {
                _needsKeyframe = false;
                _requesting = false;
                _plisSent = 0;
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// The first complete frame in the ring, as offsets from the head. <paramref name="holeBefore"/>
    /// tells whether a missing packet lies in front of it, and <paramref name="holeSeenMs"/> when
    /// the first packet behind that hole arrived.
    /// </summary>
    private bool FindCompleteFrame(out int start, out int end, out bool holeBefore, out long holeSeenMs)
    {
        start = 0;
        end = 0;
        holeBefore = false;
        holeSeenMs = 0;
        var sawPacketBehindHole = false;
        var i = 0;
        while (i < _count)
        {
            ref var slot = ref _slots[(_head + i) & _mask];
            if (!slot.Occupied)
            {
                holeBefore = true;
                i++;
                continue;
            }

            if (holeBefore && !sawPacketBehindHole)
            {
                sawPacketBehindHole = true;
                holeSeenMs = slot.ArrivalMs;
            }

            if (!slot.StartOfFrame)
            {
                // The tail of a frame whose start is missing or already given up.
                i++;
                continue;
            }

            // Walk the frame: every packet present, one timestamp, no second start, up to the marker.
            var j = i;
            while (true)
            {
                ref var packet = ref _slots[(_head + j) & _mask];
                if (!packet.Occupied || packet.Timestamp != slot.Timestamp || (j > i && packet.StartOfFrame))
                {
                    break;
                }

                if (packet.Marker)
                {
                    start = i;
                    end = j;
                    return true;
                }

                if (++j == _count)
                {
                    // The rest has not arrived yet, and nothing complete lies behind it.
                    return false;
                }
            }

            // Incomplete: look on from where it broke.
            i = j;
        }

        return false;
    }

    /// <summary>Frees the first <paramref name="packets"/> slots and moves the head past them.</summary>
    private void Discard(int packets)
    {
        for (var i = 0; i < packets; i++)
        {
            _slots[(_head + i) & _mask].Occupied = false;
        }

        _head = (ushort)(_head + packets);
        _count -= packets;
        _headSettled = true;
    }

    private void MarkLoss()
    {
        _needsKeyframe = true;
        _requesting = true;
    }

    /// <summary>Whether a keyframe request is due now, and which; records it as sent.</summary>
    private bool TryDueRequest(out KeyframeRequestKind kind)
    {
        kind = KeyframeRequestKind.Pli;
        if (!_requesting)
        {
            return false;
        }

        var pli = _plisSent < 2;
        if (_hasRequested && _nowMs - _lastRequestMs < (pli ? MinRequestIntervalMs : FirIntervalMs))
        {
            return false;
        }

        kind = pli ? KeyframeRequestKind.Pli : KeyframeRequestKind.Fir;
        if (pli)
        {
            _plisSent++;
        }

        _hasRequested = true;
        _lastRequestMs = _nowMs;
        return true;
    }

    /// <summary>One packet's place in the ring; its VP8 data sits at the same index in the data array.</summary>
    private struct Slot
    {
        public bool Occupied;
        public bool StartOfFrame;
        public bool Keyframe;
        public bool Marker;
        public uint Timestamp;
        public int Length;
        public long ArrivalMs;
    }
}

using MediaServer.Protocol.Rtp;

namespace MediaServer.Media;

/// <summary>
/// One stream we send on a leg (our SSRC, declared in our SDP): relayed packets get our
/// SSRC, a continuous sequence number and a continuous timestamp, so the receiver sees one
/// steady stream even when the source changes (a re-attached sender, another bridged leg).
/// Also counts what a sender report needs. Rewrites run on the receive thread; the RTCP
/// timer reads the counters, hence the lock.
/// </summary>
internal sealed class OutboundRtpStream
{
    private readonly Lock _gate = new();
    private uint _sourceSsrc;
    private bool _hasSource;
    private ushort _sequenceOffset;
    private uint _timestampOffset;
    private ushort _lastSequence;
    private uint _lastTimestamp;
    private long _lastSentMs;
    private bool _skipped;
    private bool _hasVideoBase;
    private uint _videoTimestampBase;

    public OutboundRtpStream(uint ssrc, int clockRate, bool keepHistory)
    {
        Ssrc = ssrc;
        ClockRate = clockRate;
        History = keepHistory ? new RetransmissionHistory() : null;
        // RFC 3550 §5.1: the first sequence number is random.
        _lastSequence = (ushort)Random.Shared.Next(0, 0x8000);
        _lastTimestamp = (uint)Random.Shared.Next();
    }

    public uint Ssrc { get; }

    public int ClockRate { get; }

    public RetransmissionHistory? History { get; }

    public uint PacketCount { get; private set; }

    public uint OctetCount { get; private set; }

    /// <summary>Rewrites a relayed packet's header in place: our SSRC and payload type, mapped sequence number and timestamp.</summary>
    public void Rewrite(Span<byte> packet, in RtpPacket source, byte payloadType, long nowMs)
    {
        lock (_gate)
        {
            if (!_hasSource || source.Ssrc != _sourceSsrc)
            {
                // A new source continues where the last one stopped: the next sequence number,
                // and a timestamp advanced by the wall-clock gap so jitter buffers stay calm.
                var gap = _hasSource ? Math.Max(1, (nowMs - _lastSentMs) * ClockRate / 1000) : 0;
                _sequenceOffset = (ushort)(_lastSequence + 1 - source.SequenceNumber);
                _timestampOffset = (uint)(_lastTimestamp + gap - source.Timestamp);
                _sourceSsrc = source.Ssrc;
                _hasSource = true;
            }

            var sequence = (ushort)(source.SequenceNumber + _sequenceOffset);
            var timestamp = source.Timestamp + _timestampOffset;
            if (RtpSequence.IsNewer(sequence, _lastSequence) || PacketCount == 0)
            {
                _lastSequence = sequence;
                _lastTimestamp = timestamp;
                _lastSentMs = nowMs;
            }

            PacketCount++;
            OctetCount += (uint)source.Payload.Length;
            RtpHeader.SetSsrc(packet, Ssrc);
            RtpHeader.SetSequenceNumber(packet, sequence);
            RtpHeader.SetTimestamp(packet, timestamp);
            RtpHeader.SetPayloadType(packet, payloadType);
        }
    }

    /// <summary>
    /// Writes the header of a packet we make ourselves (a mixer frame): next sequence number,
    /// timestamp advanced by <paramref name="timestampUnits"/> since the last one. Returns the
    /// header length. The timestamp advances by the frame's duration even across ticks where
    /// nothing was sent (see <see cref="Skip"/>), so the receiver's clock stays true.
    /// </summary>
    public int WriteOriginated(Span<byte> packet, byte payloadType, int timestampUnits, int payloadLength, long nowMs)
    {
        lock (_gate)
        {
            // A packet after a silence gap (or the first one) carries the marker (RFC 3551 §4.1).
            var marker = PacketCount == 0 || _skipped;
            _skipped = false;
            _hasSource = false;
            _lastSequence++;
            _lastTimestamp += (uint)timestampUnits;
            _lastSentMs = nowMs;
            PacketCount++;
            OctetCount += (uint)payloadLength;
            RtpHeader.TryWrite(packet, marker, payloadType, _lastSequence, _lastTimestamp, Ssrc, out var written);
            return written;
        }
    }

    /// <summary>
    /// Writes the header of a video packet we make ourselves (a canvas frame's packets share
    /// one timestamp): next sequence number, the source's 90 kHz timestamp moved onto this
    /// stream's own random base. Returns the header length.
    /// </summary>
    public int WriteOriginatedVideo(Span<byte> packet, byte payloadType, bool marker, uint sourceTimestamp, int payloadLength, long nowMs)
    {
        lock (_gate)
        {
            if (!_hasVideoBase)
            {
                _videoTimestampBase = _lastTimestamp - sourceTimestamp;
                _hasVideoBase = true;
            }

            _hasSource = false;
            _lastSequence++;
            _lastTimestamp = sourceTimestamp + _videoTimestampBase;
            _lastSentMs = nowMs;
            PacketCount++;
            OctetCount += (uint)payloadLength;
            RtpHeader.TryWrite(packet, marker, payloadType, _lastSequence, _lastTimestamp, Ssrc, out var written);
            return written;
        }
    }

    /// <summary>A frame's worth of time passed without a packet (held, not yet secure): the next timestamp moves on by it.</summary>
    public void Skip(int timestampUnits)
    {
        lock (_gate)
        {
            _lastTimestamp += (uint)timestampUnits;
            _skipped = true;
        }
    }

    /// <summary>The RTP timestamp that corresponds to now (RFC 3550 §6.4.1: SR's RTP timestamp), and the counters.</summary>
    public bool TryGetSenderInfo(long nowMs, out uint rtpTimestamp, out uint packets, out uint octets)
    {
        lock (_gate)
        {
            rtpTimestamp = (uint)(_lastTimestamp + ((nowMs - _lastSentMs) * ClockRate / 1000));
            packets = PacketCount;
            octets = OctetCount;
            return PacketCount > 0;
        }
    }
}

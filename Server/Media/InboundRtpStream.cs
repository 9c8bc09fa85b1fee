using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;

namespace MediaServer.Media;

/// <summary>
/// Reception statistics of one stream a browser sends us, as RFC 3550 Appendix A.1 (sequence
/// tracking), A.3 (loss) and A.8 (interarrival jitter) define them, for our receiver report
/// blocks. Packets update it on the receive thread; the RTCP timer reads it, hence the lock.
/// </summary>
internal sealed class InboundRtpStream
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;

    private readonly Lock _gate = new();
    private bool _started;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private uint _received;
    private uint _expectedPrior;
    private uint _receivedPrior;
    private double _jitter;
    private long _lastTransit;
    private uint _lastSenderReport;
    private long _lastSenderReportArrivalMs;

    // Totals over the stream's whole life (a call record's figures): the per-SSRC counters
    // above restart with a new sender, so what the earlier senders got and lost is kept here.
    private long _receivedBefore;
    private long _lostBefore;

    public InboundRtpStream(int clockRate)
    {
        ClockRate = clockRate;
    }

    public int ClockRate { get; }

    public uint Ssrc { get; private set; }

    public bool HasSsrc { get; private set; }

    public long LastPacketMs { get; private set; }

    public void OnPacket(in RtpPacket packet, long nowMs)
    {
        lock (_gate)
        {
            if (!HasSsrc || packet.Ssrc != Ssrc)
            {
                // A new SSRC (a re-attached browser's new sender) starts fresh statistics.
                FoldIntoTotals();
                Ssrc = packet.Ssrc;
                HasSsrc = true;
                _started = false;
            }

            LastPacketMs = nowMs;
            var sequence = packet.SequenceNumber;
            if (!_started)
            {
                _started = true;
                _baseSequence = sequence;
                _maxSequence = sequence;
                _cycles = 0;
                _received = 0;
                _expectedPrior = 0;
                _receivedPrior = 0;
                _jitter = 0;
                _lastTransit = (nowMs * ClockRate / 1000) - packet.Timestamp;
            }

            var delta = (ushort)(sequence - _maxSequence);
            if (delta < MaxDropout)
            {
                if (sequence < _maxSequence)
                {
                    _cycles += 65536;
                }

                _maxSequence = sequence;
            }
            else if (delta <= 65536 - MaxMisorder)
            {
                // A big jump: the sender restarted; resynchronise on it.
                FoldIntoTotals();
                _baseSequence = sequence;
                _maxSequence = sequence;
                _cycles = 0;
                _received = 0;
                _expectedPrior = 0;
                _receivedPrior = 0;
            }

            _received++;
            var transit = (nowMs * ClockRate / 1000) - packet.Timestamp;
            var d = Math.Abs(transit - _lastTransit);
            _lastTransit = transit;
            _jitter += (d - _jitter) / 16.0;
        }
    }

    /// <summary>Remembers an SR's middle NTP bits and arrival time for LSR/DLSR (RFC 3550 §6.4.1).</summary>
    public void OnSenderReport(ulong ntpTimestamp, long nowMs)
    {
        lock (_gate)
        {
            _lastSenderReport = (uint)(ntpTimestamp >> 16);
            _lastSenderReportArrivalMs = nowMs;
        }
    }

    /// <summary>
    /// Everything received and lost since the stream began (over every sender it had), and
    /// the current interarrival jitter in milliseconds: the figures of a call record.
    /// </summary>
    public void GetTotals(out long received, out long lost, out double jitterMs)
    {
        lock (_gate)
        {
            received = _receivedBefore + (_started ? _received : 0);
            lost = _lostBefore + (_started ? Math.Max(0, CurrentLost()) : 0);
            jitterMs = _started ? _jitter * 1000.0 / ClockRate : 0;
        }
    }

    public bool TryMakeReportBlock(long nowMs, out RtcpReportBlock block)
    {
        lock (_gate)
        {
            if (!_started)
            {
                block = default;
                return false;
            }

            var extendedMax = _cycles + _maxSequence;
            var expected = extendedMax - _baseSequence + 1;
            var lost = CurrentLost();
            var expectedInterval = expected - _expectedPrior;
            var receivedInterval = _received - _receivedPrior;
            _expectedPrior = expected;
            _receivedPrior = _received;
            var lostInterval = (long)expectedInterval - receivedInterval;
            var fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
            var dlsr = _lastSenderReportArrivalMs == 0 ? 0u : (uint)((nowMs - _lastSenderReportArrivalMs) * 65536 / 1000);
            block = new RtcpReportBlock(
                Ssrc,
                fraction,
                (int)Math.Clamp(lost, -0x800000, 0x7FFFFF),
                extendedMax,
                (uint)_jitter,
                _lastSenderReport,
                dlsr);
            return true;
        }
    }

    /// <summary>RFC 3550 A.3: expected minus received for the current sender (negative with duplicates). Caller holds the lock.</summary>
    private long CurrentLost() => (long)(_cycles + _maxSequence - _baseSequence + 1) - _received;

    /// <summary>Adds the current sender's counts to the totals before its counters restart. Caller holds the lock.</summary>
    private void FoldIntoTotals()
    {
        if (_started)
        {
            _receivedBefore += _received;
            _lostBefore += Math.Max(0, CurrentLost());
        }
    }
}

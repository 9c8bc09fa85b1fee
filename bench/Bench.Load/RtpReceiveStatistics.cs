using System.Diagnostics;

namespace MediaServer.Bench.Load;

/// <summary>
/// What one peer's receive loop learns from the RTP headers the server sends it: packets,
/// the extended highest sequence number (so expected and lost packets, RFC 3550 §A.3) and
/// interarrival jitter (§A.8). The headers are readable before SRTP is removed, so this costs
/// no decryption. One writer (the peer's receive loop); the sampler reads the counters at any
/// time and accepts a view a packet old.
/// </summary>
internal sealed class RtpReceiveStatistics
{
    private const int SequenceModulo = 1 << 16;
    // RFC 3550 §A.1: a jump this large is a restart rather than loss.
    private const int MaxDropout = 3000;

    private readonly int _clockRate;
    private uint _ssrc;
    private bool _started;
    private ushort _maxSequence;
    private long _cycles;
    private long _baseExtended;
    private long _expectedBefore;
    private long _packets;
    private long _duplicatesOrLate;
    private long _lastTransit;
    private bool _haveTransit;
    private double _jitter;

    public RtpReceiveStatistics(int clockRate) => _clockRate = clockRate;

    public long Packets => Volatile.Read(ref _packets);

    /// <summary>Packets the sequence numbers say were sent, from the first one we saw to the highest.</summary>
    public long Expected => Volatile.Read(ref _expectedBefore) + (Volatile.Read(ref _started)
        ? _cycles + Volatile.Read(ref _maxSequence) - Volatile.Read(ref _baseExtended) + 1
        : 0);

    /// <summary>Packets that came again or after a later one; they do not make up for loss.</summary>
    public long DuplicatesOrLate => Volatile.Read(ref _duplicatesOrLate);

    /// <summary>Interarrival jitter in milliseconds (RFC 3550 §6.4.1, smoothed over 16 packets).</summary>
    public double JitterMilliseconds => Volatile.Read(ref _jitter) * 1000 / _clockRate;

    /// <summary>Records one RTP packet seen at <paramref name="arrival"/> (a Stopwatch timestamp).</summary>
    public void Record(uint ssrc, ushort sequence, uint timestamp, long arrival)
    {
        if (!_started || ssrc != _ssrc)
        {
            // A new stream (the first, or the server switched SSRC): start counting it afresh.
            if (_started)
            {
                Volatile.Write(ref _expectedBefore, Expected);
            }
            _ssrc = ssrc;
            _cycles = 0;
            Volatile.Write(ref _maxSequence, sequence);
            Volatile.Write(ref _baseExtended, sequence);
            _haveTransit = false;
            Volatile.Write(ref _started, true);
        }
        else
        {
            int delta = (ushort)(sequence - _maxSequence);
            if (delta != 0 && delta < MaxDropout)
            {
                if (sequence < _maxSequence)
                {
                    _cycles += SequenceModulo;
                }
                Volatile.Write(ref _maxSequence, sequence);
            }
            else if (delta == 0 || delta > SequenceModulo - MaxDropout)
            {
                Volatile.Write(ref _duplicatesOrLate, _duplicatesOrLate + 1);
            }
            else
            {
                // A restart: count the old stretch and begin again from here.
                Volatile.Write(ref _expectedBefore, Expected);
                _cycles = 0;
                Volatile.Write(ref _maxSequence, sequence);
                Volatile.Write(ref _baseExtended, sequence);
                _haveTransit = false;
            }
        }
        Volatile.Write(ref _packets, _packets + 1);

        long arrivalUnits = (long)((double)arrival * _clockRate / Stopwatch.Frequency);
        long transit = arrivalUnits - timestamp;
        if (_haveTransit)
        {
            // Timestamps wrap at 2^32; the difference of two transits is small, so fold it back.
            long d = Math.Abs((long)(int)(uint)(transit - _lastTransit));
            Volatile.Write(ref _jitter, _jitter + (d - _jitter) / 16);
        }
        _lastTransit = transit;
        _haveTransit = true;
    }
}

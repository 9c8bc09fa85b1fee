using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Bench.Load;

/// <summary>
/// Measures one room's audio delay end to end through the server: every two seconds its
/// first talker sends the <see cref="ChirpMarker"/> in place of three frames of speech (or
/// silence), and one listener decodes what the mixer sends it for half a second from just
/// before, and looks for the chirp in that by cross-correlation (<see cref="ChirpDetector"/>).
/// The delay is from the send of the marker's first packet to the receive time of the packet
/// the chirp starts in, plus the chirp's offset in it, as if played on arrival. So it holds the
/// talker's 20 ms packetisation, both Opus encoders' look-ahead, loopback, the server's jitter
/// buffer, mix tick and encode: server-added delay on loopback, nothing subtracted.
/// <para>
/// Threads: the <see cref="AudioPacer"/> thread drives the talker side
/// (<see cref="TalkerPayload"/>, <see cref="MarkSent"/>), the listener's receive loop thread
/// decodes (<see cref="Capture"/>), and the correlation runs once per marker on the thread
/// pool, off the receive path. A state word hands the capture buffer from one to the next, so
/// none of them allocates or locks. Owned by the listener's <see cref="AudioPeer"/>, disposed with it.
/// </para>
/// </summary>
internal sealed class LatencyProbe : IThreadPoolWorkItem, IDisposable
{
    public const int CycleFrames = 100;
    // Frames between arming the listener and the marker: its first capture packets prime the
    // decoder, which last decoded two seconds ago.
    private const int LeadFrames = 3;
    // Half a second from arming: the lead, and up to 440 ms of delay.
    private const int CaptureFrames = 25;
    private const int FrameSamples = MixerFormat.FrameSamples;

    private const int Idle = 0;
    private const int Armed = 1;
    private const int Capturing = 2;
    private const int Correlating = 3;

    private readonly ChirpMarker _marker;
    private readonly AudioLatency _results;
    private readonly int _phase;
    private readonly IAudioDecoder _decoder = AudioCodecFactory.CreateDecoder(AudioCodecKind.Opus, 1);
    private readonly short[] _capture = new short[CaptureFrames * FrameSamples];
    private readonly long[] _receivedAt = new long[CaptureFrames];
    private readonly short[] _frame = new short[FrameSamples * 6];
    private readonly float[] _scratch = new float[ChirpDetector.ScratchLength(CaptureFrames * FrameSamples)];
    private int _state;
    private long _sentAt;
    private int _disposed;

    // Pacer thread only.
    private bool _sending;

    // Receive loop thread only.
    private ushort _firstSequence;
    private int _nextSlot;

    /// <param name="marker">The encoded chirp.</param>
    /// <param name="results">Where each marker's delay (or miss) goes.</param>
    /// <param name="room">Spreads the rooms' markers over the two-second cycle.</param>
    public LatencyProbe(ChirpMarker marker, AudioLatency results, int room)
    {
        _marker = marker;
        _results = results;
        _phase = room * 37 % CycleFrames;
    }

    /// <summary>True while the listener should decrypt and hand every packet to <see cref="Capture"/>.</summary>
    public bool Listening => Volatile.Read(ref _state) is Armed or Capturing;

    /// <summary>
    /// What the talker sends as frame <paramref name="frame"/>: the marker's frames at their
    /// place in the cycle, else <paramref name="payload"/>. <paramref name="first"/> flags the
    /// marker's first packet, whose send time is the start of the measurement. Pacer thread only.
    /// </summary>
    public ReadOnlySpan<byte> TalkerPayload(long frame, ReadOnlySpan<byte> payload, out bool first)
    {
        first = false;
        int position = (int)((frame + _phase) % CycleFrames);
        if (position == 0)
        {
            // A listener still busy with the last marker (or never joined) skips this one.
            Volatile.Write(ref _sentAt, 0);
            _sending = Interlocked.CompareExchange(ref _state, Armed, Idle) == Idle;
        }
        int index = position - LeadFrames;
        if (!_sending || index < 0 || index >= _marker.Frames.Count)
        {
            return payload;
        }
        first = index == 0;
        return _marker.Frames[index];
    }

    /// <summary>The marker's first packet went at <paramref name="timestamp"/> (Stopwatch). Pacer thread only.</summary>
    public void MarkSent(long timestamp) => Volatile.Write(ref _sentAt, timestamp);

    /// <summary>
    /// One Opus payload the listener received at <paramref name="receivedAt"/>: decoded into
    /// its place in the capture by sequence number (a gap stays silent and has no time).
    /// Receive loop thread only; costs one decode, and only while <see cref="Listening"/>.
    /// </summary>
    public void Capture(ushort sequence, ReadOnlySpan<byte> payload, long receivedAt)
    {
        int state = Volatile.Read(ref _state);
        if (state == Armed)
        {
            _firstSequence = sequence;
            _nextSlot = 0;
            state = Capturing;
            Volatile.Write(ref _state, Capturing);
        }
        if (state != Capturing)
        {
            return;
        }
        int slot = (ushort)(sequence - _firstSequence);
        if (slot < _nextSlot)
        {
            // Late or repeated: its place is already taken or given up.
            return;
        }
        int end = Math.Min(slot, CaptureFrames);
        for (int gap = _nextSlot; gap < end; gap++)
        {
            _capture.AsSpan(gap * FrameSamples, FrameSamples).Clear();
            _receivedAt[gap] = 0;
        }
        if (slot < CaptureFrames)
        {
            Span<short> target = _capture.AsSpan(slot * FrameSamples, FrameSamples);
            int samples = _decoder.Decode(payload, _frame);
            if (samples == FrameSamples)
            {
                _frame.AsSpan(0, FrameSamples).CopyTo(target);
                _receivedAt[slot] = receivedAt;
            }
            else
            {
                target.Clear();
                _receivedAt[slot] = 0;
            }
        }
        _nextSlot = Math.Min(slot + 1, CaptureFrames);
        if (_nextSlot == CaptureFrames)
        {
            Volatile.Write(ref _state, Correlating);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>The correlation of one capture, on the thread pool.</summary>
    public void Execute()
    {
        long sentAt = Volatile.Read(ref _sentAt);
        // No send time: the talker was not ready or its send failed; nothing was measured.
        if (sentAt != 0)
        {
            _results.Add(sentAt, Delay(sentAt));
        }
        Volatile.Write(ref _state, Idle);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _decoder.Dispose();
        }
    }

    private double? Delay(long sentAt)
    {
        if (!ChirpDetector.TryFind(_capture, _scratch, out int offset, out _))
        {
            return null;
        }
        long receivedAt = _receivedAt[offset / FrameSamples];
        if (receivedAt == 0)
        {
            return null;
        }
        double milliseconds = AudioLatency.Milliseconds(receivedAt - sentAt)
                              + (offset % FrameSamples) * 1000.0 / MixerFormat.SampleRate;
        // Found before it was sent: speech that happened to look like it.
        return milliseconds > 0 ? milliseconds : null;
    }
}

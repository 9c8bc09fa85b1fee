using System.Diagnostics;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Mixer.Audio;

/// <summary>
/// One member as the audio mixer sees it: the jitter buffer its RTP lands in, its decoder,
/// its talking state and levels, and (while it talks) an encoder of its own for the mix
/// without its own voice. The receive thread only calls <see cref="OnRtp"/>; control
/// flags (mute, deaf, hold, volumes) are set from signalling threads and read once per tick;
/// everything else runs on the mixer thread.
/// </summary>
public sealed class MixerMember
{
    private const int MaxPacketSamples = 5760;

    private readonly IAudioDecoder _decoder;
    private readonly TalkDetector _talk;
    private readonly MixerMetrics _metrics;
    private readonly IAudioCodecProvider _codecs;
    private readonly byte[] _payload = new byte[1500];
    private readonly byte[] _fecPayload = new byte[1500];
    private readonly short[] _fifo = new short[MaxPacketSamples + (2 * MixerFormat.FrameSamples)];
    private int _fifoCount;
    private IAudioEncoder? _ownEncoder;
    private int _complexityReduction;
    private volatile bool _muted;
    private volatile bool _deaf;
    private volatile bool _held;
    private volatile bool _talking;
    private volatile int _energy;
    private int _volumeIn;
    private int _volumeOut;
    private int _gainInQ12 = 4096;

    /// <summary>
    /// The jitter buffer's floor in a conference. Low because the target adapts upwards to the
    /// 98th percentile of measured jitter within a few packets, and the wait for the next mix
    /// tick (0-20 ms) comes on top anyway: on a clean network a member is heard about 30 ms
    /// after it sends (end to end, both encoders included) where a 20 ms floor and a 40 ms start
    /// measured 47 ms, for about one concealed frame per member every 50 s on a loaded box.
    /// </summary>
    public const int DefaultJitterMinDelayMs = 5;

    // Where a new stream's target starts before its jitter is known: one packet of margin.
    private const int JitterInitialDelayMs = 20;

    internal MixerMember(int id, AudioCodecKind inputKind, int inputChannels, int inputClockRate, AudioCodecSettings output, int energyThreshold, IMixerMemberListener listener, MixerMetrics metrics, IAudioCodecProvider codecs,
        int jitterMinDelayMs = DefaultJitterMinDelayMs)
    {
        _codecs = codecs;
        Id = id;
        Output = output;
        Listener = listener;
        _metrics = metrics;
        Jitter = new JitterBuffer(inputClockRate, initialDelayMs: Math.Max(JitterInitialDelayMs, jitterMinDelayMs), minDelayMs: jitterMinDelayMs);
        _decoder = codecs.CreateDecoder(inputKind, inputChannels);
        _talk = new TalkDetector(energyThreshold);
    }

    public int Id { get; }

    /// <summary>What this member is sent: codec and its settings (the key for sharing encodes).</summary>
    public AudioCodecSettings Output { get; }

    public IMixerMemberListener Listener { get; }

    public JitterBuffer Jitter { get; }

    /// <summary>Muted members add nothing to the mix (they still hear it).</summary>
    public bool Muted { get => _muted; set => _muted = value; }

    /// <summary>Deaf members hear nothing (they are sent silence, so their stream stays steady).</summary>
    public bool Deaf { get => _deaf; set => _deaf = value; }

    /// <summary>Held members neither add to the mix nor are sent anything.</summary>
    public bool Held { get => _held; set => _held = value; }

    public bool Talking => _talking;

    /// <summary>The energy score of the last frame (mean absolute sample value).</summary>
    public int Energy => _energy;

    /// <summary>Frames at or above this energy count as speech (an int write is atomic; the mixer sees it on its next tick).</summary>
    public int EnergyThreshold
    {
        get => _talk.EnergyThreshold;
        set => _talk.EnergyThreshold = Math.Max(0, value);
    }

    /// <summary>Input gain in FreeSWITCH steps, −4..4 (0 = unchanged).</summary>
    public int VolumeIn
    {
        get => Volatile.Read(ref _volumeIn);
        set
        {
            var level = VolumeLevel.Clamp(value);
            Volatile.Write(ref _volumeIn, level);
            Volatile.Write(ref _gainInQ12, VolumeLevel.GainQ12(level));
        }
    }

    /// <summary>Output volume in FreeSWITCH steps, −4..4 (members with different levels cannot share an encode).</summary>
    public int VolumeOut
    {
        get => Volatile.Read(ref _volumeOut);
        set => Volatile.Write(ref _volumeOut, VolumeLevel.Clamp(value));
    }

    /// <summary>This tick's decoded input, mono 48 kHz (valid when <see cref="HasInput"/>).</summary>
    internal short[] Frame { get; } = new short[MixerFormat.FrameSamples];

    internal short[] OutFrame { get; } = new short[MixerFormat.FrameSamples];

    internal bool HasInput { get; private set; }

    internal bool Contributes { get; set; }

    internal int GainInQ12 => Volatile.Read(ref _gainInQ12);

    internal bool Removed { get; set; }

    /// <summary>Receive thread: one RTP packet of this member's audio codec.</summary>
    public void OnRtp(ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, uint ssrc, long arrivalMs) =>
        Jitter.Insert(payload, sequence, timestamp, ssrc, arrivalMs);

    /// <summary>Mixer thread: fills <see cref="Frame"/> with the next 20 ms from the jitter buffer (decoded, or concealed for a loss).</summary>
    internal void ReadInput(long nowMs)
    {
        var clockRate = Jitter.ClockRate;
        while (_fifoCount < MixerFormat.FrameSamples)
        {
            var result = Jitter.Pop(nowMs, _payload, out var length, out _, out var durationUnits);
            if (result == JitterBufferResult.Empty)
            {
                break;
            }

            var free = _fifo.AsSpan(_fifoCount);
            var started = Stopwatch.GetTimestamp();
            int written;
            if (result == JitterBufferResult.Packet)
            {
                written = _decoder.Decode(_payload.AsSpan(0, length), free);
                if (written < 0)
                {
                    Interlocked.Increment(ref _metrics.DecodeErrors);
                    written = _decoder.Conceal(free[..MixerFormat.FrameSamples]);
                }
            }
            else
            {
                var samples = Math.Clamp((int)((long)durationUnits * MixerFormat.SampleRate / clockRate), 120, MaxPacketSamples);
                if (Jitter.TryPeekNext(_fecPayload, out var nextLength) && _decoder.TryDecodeFec(_fecPayload.AsSpan(0, nextLength), free[..samples], out written))
                {
                    Interlocked.Increment(ref _metrics.FecRecovered);
                }
                else
                {
                    written = _decoder.Conceal(free[..samples]);
                }

                Interlocked.Increment(ref _metrics.Concealed);
            }

            Interlocked.Add(ref _metrics.DecodeTicks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _metrics.Decodes);
            _fifoCount += Math.Max(0, written);
        }

        if (_fifoCount == 0)
        {
            HasInput = false;
            return;
        }

        HasInput = true;
        var take = Math.Min(_fifoCount, MixerFormat.FrameSamples);
        _fifo.AsSpan(0, take).CopyTo(Frame);
        Frame.AsSpan(take).Clear();
        _fifo.AsSpan(take, _fifoCount - take).CopyTo(_fifo);
        _fifoCount -= take;
    }

    /// <summary>Mixer thread: the talking decision for this frame; true when it changed.</summary>
    internal bool UpdateTalking(int energy)
    {
        _energy = energy;
        var changed = _talk.Update(energy);
        _talking = _talk.Talking;
        return changed;
    }

    internal bool AboveThreshold(int energy) => energy >= EnergyThreshold;

    /// <summary>
    /// Mixer thread: the overload reduction of Opus complexity (see
    /// <see cref="AudioMixer.ComplexityReduction"/>), applied to the own encoder at once and
    /// to one made later.
    /// </summary>
    internal int ComplexityReduction
    {
        get => _complexityReduction;
        set
        {
            _complexityReduction = value;
            if (_ownEncoder is not null)
            {
                AudioMixer.Reduce(_ownEncoder, Output, value);
            }
        }
    }

    /// <summary>The encoder for this member's own mix (the sum without itself), made the first time it talks.</summary>
    internal IAudioEncoder OwnEncoder
    {
        get
        {
            if (_ownEncoder is null)
            {
                _ownEncoder = _codecs.CreateEncoder(Output);
                AudioMixer.Reduce(_ownEncoder, Output, _complexityReduction);
            }

            return _ownEncoder;
        }
    }

    /// <summary>The own encoder, if this member has talked (tests read its codec state).</summary>
    internal IAudioEncoder? OwnEncoderIfMade => _ownEncoder;

    /// <summary>Mixer thread, after removal: frees the native codec state.</summary>
    internal void Release()
    {
        _decoder.Dispose();
        _ownEncoder?.Dispose();
        _ownEncoder = null;
    }
}

using System.Diagnostics;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Mixer.Audio;

/// <summary>
/// One conference's audio mix, run by a <see cref="MixerClock"/> thread every 20 ms:
/// each member's next frame is decoded (or concealed), its energy decides whether it talks,
/// and the frames of members who may and do speak are summed once into a 32-bit
/// accumulator. A member who contributed hears the sum minus itself, encoded for it alone;
/// everyone else hears the whole sum, and members with the same codec settings and output
/// volume share one encode of it. A room of 300 with 4 talkers therefore costs about 5
/// encodes a tick, not 300. Muted members add nothing; deaf members are sent silence; held
/// members are skipped both ways. Nothing is allocated per tick once members and encoders exist.
/// </summary>
public sealed class AudioMixer : IMixerTickable
{
    /// <summary>A shared encoder not used for this many ticks (one second) is freed.</summary>
    private const int SharedIdleTicks = 50;

    private readonly MixerMetrics _metrics;
    private readonly IAudioCodecProvider _codecs;
    private readonly Lock _gate = new();
    private readonly int[] _accumulator = new int[MixerFormat.FrameSamples];
    private readonly short[] _sharedFrame = new short[MixerFormat.FrameSamples];
    private readonly byte[] _payload = new byte[4000];
    private readonly Dictionary<SharedKey, SharedEncode> _shared = [];
    private readonly List<SharedKey> _idle = [];
    private readonly List<MixerMember> _released = [];
    private MixerMember[] _members = [];
    private IAudioMixSink? _mixSink;
    private long _tick;
    private bool _detached;
    private int _complexityReduction;
    private int _appliedReduction;

    public AudioMixer(MixerMetrics metrics, IAudioCodecProvider? codecs = null)
    {
        _metrics = metrics;
        _codecs = codecs ?? NativeAudioCodecProvider.Instance;
        Interlocked.Increment(ref _metrics.Mixers);
    }

    public int MemberCount => Volatile.Read(ref _members).Length;

    /// <summary>How many distinct shared encodes exist now (tests look at the sharing).</summary>
    public int SharedEncoders { get; private set; }

    /// <summary>Encodes done by this mixer in total.</summary>
    public long Encodes { get; private set; }

    /// <summary>
    /// Who is sent the whole mix, encoded, from the next tick on (a recording), or null to stop.
    /// The mix it gets is the one every non-talker hears at volume 0: when a listener has its
    /// settings that tick, their encode is shared; otherwise one extra encode is made for it.
    /// </summary>
    public IAudioMixSink? MixSink
    {
        get => Volatile.Read(ref _mixSink);
        set => Volatile.Write(ref _mixSink, value);
    }

    /// <summary>
    /// Steps taken off every Opus encoder's complexity (0 = the members' own settings, 10 =
    /// complexity 0 everywhere), to shed CPU when the server runs late. Set from any thread;
    /// the mixer thread applies it to the live encoders at its next tick (OPUS_SET_COMPLEXITY,
    /// no new encoder, no gap in the stream) and to every encoder it makes afterwards. Encodes
    /// stay shared by the members' settings, so sharing is unchanged.
    /// </summary>
    public int ComplexityReduction
    {
        get => Volatile.Read(ref _complexityReduction);
        set => Volatile.Write(ref _complexityReduction, Math.Clamp(value, 0, 10));
    }

    /// <summary>
    /// Adds a member; it is mixed from the next tick. <paramref name="inputKind"/>,
    /// <paramref name="inputChannels"/> and <paramref name="inputClockRate"/> describe what it
    /// sends; <paramref name="output"/> what it is sent; <paramref name="jitterMinDelayMs"/> the
    /// least its jitter buffer holds back (it adapts upwards to the jitter it measures).
    /// </summary>
    public MixerMember AddMember(int id, AudioCodecKind inputKind, int inputChannels, int inputClockRate, AudioCodecSettings output, int energyThreshold, IMixerMemberListener listener,
        int jitterMinDelayMs = MixerMember.DefaultJitterMinDelayMs)
    {
        var member = new MixerMember(id, inputKind, inputChannels, inputClockRate, output, energyThreshold, listener, _metrics, _codecs, jitterMinDelayMs);
        lock (_gate)
        {
            _members = [.. _members, member];
        }

        Interlocked.Increment(ref _metrics.Members);
        return member;
    }

    /// <summary>Stops mixing a member; its codecs are freed on the mixer thread once no tick can be using them.</summary>
    public void RemoveMember(MixerMember member)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_members, member);
            if (index < 0)
            {
                return;
            }

            _members = [.. _members.AsSpan(0, index), .. _members.AsSpan(index + 1)];
            member.Removed = true;
            _released.Add(member);
        }

        Interlocked.Decrement(ref _metrics.Members);
    }

    public void Tick(long nowMs)
    {
        _tick++;
        ReleaseRemoved();
        var members = Volatile.Read(ref _members);
        var reduction = Volatile.Read(ref _complexityReduction);
        if (reduction != _appliedReduction)
        {
            ApplyComplexityReduction(members, reduction);
        }

        Array.Clear(_accumulator);
        foreach (var member in members)
        {
            member.ReadInput(nowMs);
            var energy = member.HasInput ? MixKernels.MeanAbsolute(member.Frame) : 0;
            if (member.UpdateTalking(energy))
            {
                member.Listener.OnTalkingChanged(member, member.Talking, energy);
            }

            // A frame above the threshold is mixed at once, before the detector has seen enough
            // frames to call it talking, so the first syllable is not cut off.
            member.Contributes = member.HasInput && !member.Muted && !member.Held && (member.Talking || member.AboveThreshold(energy));
            if (member.Contributes)
            {
                var gain = member.GainInQ12;
                if (gain != 4096)
                {
                    MixKernels.ApplyGain(member.Frame, gain);
                }

                MixKernels.Accumulate(_accumulator, member.Frame);
            }
        }

        foreach (var member in members)
        {
            if (member.Held)
            {
                continue;
            }

            if (member.Contributes && !member.Deaf)
            {
                MixKernels.StoreMinus(_accumulator, member.Frame, member.OutFrame);
                ApplyOutputVolume(member.OutFrame, member.VolumeOut);
                var length = Encode(member.OwnEncoder, member.OutFrame, _payload);
                member.Listener.OnAudioFrame(member, _payload.AsSpan(0, length), member.Output.FrameTimestampUnits);
                continue;
            }

            var shared = SharedFor(new SharedKey(member.Output, member.Deaf ? 0 : member.VolumeOut, member.Deaf));
            if (shared.Tick != _tick)
            {
                if (member.Deaf)
                {
                    _sharedFrame.AsSpan().Clear();
                }
                else
                {
                    MixKernels.Store(_accumulator, _sharedFrame);
                    ApplyOutputVolume(_sharedFrame, member.VolumeOut);
                }

                shared.Length = Encode(shared.Encoder, _sharedFrame, shared.Payload);
                shared.Tick = _tick;
            }
            else
            {
                Interlocked.Increment(ref _metrics.SharedEncodeDeliveries);
            }

            shared.LastUsedTick = _tick;
            member.Listener.OnAudioFrame(member, shared.Payload.AsSpan(0, shared.Length), member.Output.FrameTimestampUnits);
        }

        if (Volatile.Read(ref _mixSink) is { } sink)
        {
            DeliverMix(sink);
        }

        if (_tick % SharedIdleTicks == 0)
        {
            FreeIdleEncoders();
        }
    }

    /// <summary>After the clock let go of this mixer: frees every codec.</summary>
    public void OnDetached()
    {
        lock (_gate)
        {
            if (_detached)
            {
                return;
            }

            _detached = true;
            foreach (var member in _members)
            {
                member.Removed = true;
                _released.Add(member);
            }

            Interlocked.Add(ref _metrics.Members, -_members.Length);
            _members = [];
        }

        ReleaseRemoved();
        foreach (var shared in _shared.Values)
        {
            shared.Encoder.Dispose();
        }

        _shared.Clear();
        SharedEncoders = 0;
        Interlocked.Decrement(ref _metrics.Mixers);
    }

    private static void ApplyOutputVolume(short[] frame, int level)
    {
        if (level != 0)
        {
            MixKernels.ApplyGain(frame, VolumeLevel.GainQ12(level));
        }
    }

    private int Encode(IAudioEncoder encoder, short[] frame, byte[] payload)
    {
        var started = Stopwatch.GetTimestamp();
        var length = encoder.Encode(frame, payload);
        Interlocked.Add(ref _metrics.EncodeTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref _metrics.Encodes);
        Encodes++;
        return Math.Max(0, length);
    }

    /// <summary>The whole mix at volume 0 to the sink: the listeners' encode of it when one was made this tick, else one made now.</summary>
    private void DeliverMix(IAudioMixSink sink)
    {
        var shared = SharedFor(new SharedKey(sink.Settings, 0, false));
        if (shared.Tick != _tick)
        {
            MixKernels.Store(_accumulator, _sharedFrame);
            shared.Length = Encode(shared.Encoder, _sharedFrame, shared.Payload);
            shared.Tick = _tick;
        }

        shared.LastUsedTick = _tick;
        sink.OnMixPacket(shared.Payload.AsSpan(0, shared.Length));
    }

    /// <summary>The complexity an encoder made for <paramref name="settings"/> runs at under <paramref name="reduction"/>.</summary>
    public static int ReducedComplexity(AudioCodecSettings settings, int reduction) => Math.Max(0, settings.Complexity - reduction);

    /// <summary>Mixer thread: every live Opus encoder (shared and members' own) moves to the reduced complexity.</summary>
    private void ApplyComplexityReduction(MixerMember[] members, int reduction)
    {
        _appliedReduction = reduction;
        foreach (var (key, shared) in _shared)
        {
            Reduce(shared.Encoder, key.Settings, reduction);
        }

        foreach (var member in members)
        {
            member.ComplexityReduction = reduction;
        }
    }

    /// <summary>Sets an Opus encoder's complexity from the settings it was made with; other codecs have none.</summary>
    internal static void Reduce(IAudioEncoder encoder, AudioCodecSettings settings, int reduction)
    {
        if (encoder is OpusAudioEncoder opus)
        {
            var complexity = ReducedComplexity(settings, reduction);
            if (opus.Complexity != complexity)
            {
                opus.Complexity = complexity;
            }
        }
    }

    private SharedEncode SharedFor(SharedKey key)
    {
        if (!_shared.TryGetValue(key, out var shared))
        {
            shared = new SharedEncode(_codecs.CreateEncoder(key.Settings));
            Reduce(shared.Encoder, key.Settings, _appliedReduction);
            _shared[key] = shared;
            SharedEncoders = _shared.Count;
        }

        return shared;
    }

    private void FreeIdleEncoders()
    {
        _idle.Clear();
        foreach (var (key, shared) in _shared)
        {
            if (_tick - shared.LastUsedTick > SharedIdleTicks)
            {
                _idle.Add(key);
            }
        }

        foreach (var key in _idle)
        {
            _shared.Remove(key, out var shared);
            shared!.Encoder.Dispose();
        }

        SharedEncoders = _shared.Count;
    }

    private void ReleaseRemoved()
    {
        lock (_gate)
        {
            if (_released.Count == 0)
            {
                return;
            }

            foreach (var member in _released)
            {
                member.Release();
            }

            _released.Clear();
        }
    }

    /// <summary>Who can share one encode: same codec settings, same output volume, and deaf or not.</summary>
    private readonly record struct SharedKey(AudioCodecSettings Settings, int VolumeOut, bool Deaf);

    /// <summary>One encoder of the whole mix and the payload it made this tick.</summary>
    private sealed class SharedEncode(IAudioEncoder encoder)
    {
        public IAudioEncoder Encoder { get; } = encoder;

        public byte[] Payload { get; } = new byte[4000];

        public int Length { get; set; }

        public long Tick { get; set; }

        public long LastUsedTick { get; set; }
    }
}

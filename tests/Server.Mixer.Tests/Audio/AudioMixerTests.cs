using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>
/// The conference mix on synthetic PCM through a lossless test codec: each member hears the
/// sum of the others (N−1), muted members add nothing, deaf members hear silence, volumes
/// apply, sums saturate instead of wrapping, listeners share one encode, and talking
/// changes are reported. Ticks are driven by the test with a simulated clock.
/// </summary>
public sealed class AudioMixerTests
{
    private static readonly AudioCodecSettings Output = AudioCodecSettings.Opus(1, 32000, 5);

    [Fact]
    public void EachMemberHearsTheSumOfTheOthers()
    {
        using var room = new Room(4);
        var levels = new short[] { 1000, 2000, 3000, 4000 };
        var heard = room.Run(levels);
        var total = levels.Sum(l => l);
        for (var i = 0; i < levels.Length; i++)
        {
            Assert.All(heard[i], s => Assert.Equal(total - levels[i], s));
        }
    }

    [Fact]
    public void AMutedMemberAddsNothingButStillHears()
    {
        using var room = new Room(3);
        room.Members[0].Muted = true;
        var heard = room.Run([1000, 2000, 3000]);
        Assert.All(heard[0], s => Assert.Equal(5000, s));
        Assert.All(heard[1], s => Assert.Equal(3000, s));
        Assert.All(heard[2], s => Assert.Equal(2000, s));
    }

    [Fact]
    public void ADeafMemberHearsSilenceAndStillSpeaks()
    {
        using var room = new Room(3);
        room.Members[2].Deaf = true;
        var heard = room.Run([1000, 2000, 3000]);
        Assert.All(heard[2], s => Assert.Equal(0, s));
        Assert.All(heard[0], s => Assert.Equal(5000, s));
    }

    [Fact]
    public void SumsSaturateInsteadOfWrapping()
    {
        using var room = new Room(4);
        var heard = room.Run([30000, 30000, 30000, 30000]);
        Assert.All(heard[0], s => Assert.Equal(short.MaxValue, s));
        var negative = new Room(3);
        using (negative)
        {
            var low = negative.Run([-30000, -30000, -30000]);
            Assert.All(low[0], s => Assert.Equal(short.MinValue, s));
        }
    }

    [Fact]
    public void InputAndOutputVolumeStepsScaleTheSignal()
    {
        using var room = new Room(2);
        room.Members[0].VolumeIn = 2;
        room.Members[0].VolumeOut = -2;
        var heard = room.Run([4000, 4000]);
        var gainUp = VolumeLevel.GainQ12(2);
        var gainDown = VolumeLevel.GainQ12(-2);
        Assert.All(heard[1], s => Assert.Equal((4000 * gainUp) >> 12, s));
        Assert.All(heard[0], s => Assert.Equal((4000 * gainDown) >> 12, s));
    }

    [Fact]
    public void SilentListenersShareOneEncodeAndTalkersGetTheirOwn()
    {
        using var room = new Room(10);
        var levels = new short[10];
        levels[0] = 5000;
        levels[1] = 6000;
        room.Run(levels, ticks: 20);
        // Two talkers with their own encoders, one shared encode for the eight who only listen.
        Assert.Equal(1, room.Mixer.SharedEncoders);
        var perTick = room.Codecs.FramesEncoded / 20.0;
        Assert.InRange(perTick, 2, 3.01);
    }

    [Fact]
    public void TalkingChangesAreReportedOnceEachWay()
    {
        using var room = new Room(2);
        room.Run([5000, 0], ticks: 20);
        Assert.Equal([true], room.Listener.TalkingChanges.Where(c => c.Member == 0).Select(c => c.Talking));
        Assert.True(room.Members[0].Talking);
        room.Run([0, 0], ticks: 40);
        Assert.Equal([true, false], room.Listener.TalkingChanges.Where(c => c.Member == 0).Select(c => c.Talking));
        Assert.DoesNotContain(room.Listener.TalkingChanges, c => c.Member == 1);
    }

    [Fact]
    public void AMemberWithoutPacketsHearsTheOthersAndAddsNothing()
    {
        using var room = new Room(3);
        var heard = room.Run([1000, 2000, 0], silentMember: 2);
        Assert.All(heard[2], s => Assert.Equal(3000, s));
        Assert.All(heard[0], s => Assert.Equal(2000, s));
    }

    [Fact]
    public void ARemovedMemberIsNoLongerMixedOrSentTo()
    {
        using var room = new Room(3);
        room.Run([1000, 2000, 3000]);
        room.Mixer.RemoveMember(room.Members[2]);
        room.Listener.Frames[2].Clear();
        var heard = room.Run([1000, 2000, 3000], removed: 2);
        Assert.All(heard[0], s => Assert.Equal(2000, s));
        Assert.Empty(room.Listener.Frames[2]);
        Assert.Equal(2, room.Mixer.MemberCount);
    }

    [Fact]
    public void AMembersJitterBufferStartsAtOnePacketAndHasTheFloorItIsGiven()
    {
        using var room = new Room(0);
        var byDefault = room.Mixer.AddMember(1, AudioCodecKind.Opus, 1, 48000, Output, energyThreshold: 100, room.Listener);
        var patient = room.Mixer.AddMember(2, AudioCodecKind.Opus, 1, 48000, Output, energyThreshold: 100, room.Listener, jitterMinDelayMs: 60);

        // Before any packet the target is the initial delay: one packet (20 ms) of margin, or the floor if higher.
        Assert.Equal(20, byDefault.Jitter.TargetDelayMs);
        Assert.Equal(60, patient.Jitter.TargetDelayMs);
    }

    [Fact]
    public void ATickAllocatesNothingOnceMembersAndEncodersExist()
    {
        using var room = new Room(6);
        var levels = new short[] { 5000, 4000, 0, 0, 0, 0 };
        room.Run(levels, ticks: 20);
        var packets = levels.Select(l => LinearPcmCodecProvider.Encode(Enumerable.Repeat(l, MixerFormat.FrameSamples).ToArray())).ToArray();
        room.Listener.Recording = false;
        long allocated = 0;
        for (var t = 0; t < 50; t++)
        {
            room.Feed(packets);
            var before = GC.GetAllocatedBytesForCurrentThread();
            room.Mixer.Tick(room.Now);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AMixSinkGetsTheWholeMixEveryTickSharingTheListenersEncode()
    {
        using var room = new Room(3);
        room.Run([1000, 2000, 0], silentMember: 2);
        var encoders = room.Codecs.EncodersCreated;
        var encodes = room.Codecs.FramesEncoded;
        var sink = new MixSink(Output);
        room.Mixer.MixSink = sink;
        room.Run([1000, 2000, 0], ticks: 10, silentMember: 2);

        // The talkers' mix (1000 + 2000) is what the silent listener is sent: the same encode, no new encoder.
        Assert.Equal(10, sink.Packets.Count);
        Assert.All(sink.Packets[^1], s => Assert.Equal(3000, s));
        Assert.Equal(encoders, room.Codecs.EncodersCreated);
        Assert.Equal(encodes + (10 * 3), room.Codecs.FramesEncoded);

        room.Mixer.MixSink = null;
        room.Run([1000, 2000, 0], ticks: 2, silentMember: 2);
        Assert.Equal(10, sink.Packets.Count);
    }

    [Fact]
    public void AMixSinkNoListenerMatchesGetsOneEncodeOfItsOwn()
    {
        using var room = new Room(2);
        var sink = new MixSink(AudioCodecSettings.Opus(2, 64000, 10));
        room.Mixer.MixSink = sink;
        room.Run([1000, 2000], ticks: 5);
        Assert.Equal(5, sink.Packets.Count);
        Assert.All(sink.Packets[^1], s => Assert.Equal(3000, s));
        Assert.Equal(3, room.Codecs.EncodersCreated);
    }

    /// <summary>A mixer with N members on the PCM codec, fed one packet per member per tick.</summary>
    private sealed class Room : IDisposable
    {
        private ushort _sequence = 100;
        private uint _timestamp = 48000;
        private long _now = 1000;

        public Room(int members)
        {
            Mixer = new AudioMixer(Metrics, Codecs);
            for (var i = 0; i < members; i++)
            {
                Members.Add(Mixer.AddMember(i, AudioCodecKind.Opus, 1, 48000, Output, energyThreshold: 100, Listener));
            }
        }

        public MixerMetrics Metrics { get; } = new();

        public LinearPcmCodecProvider Codecs { get; } = new();

        public RecordingListener Listener { get; } = new();

        public AudioMixer Mixer { get; }

        public List<MixerMember> Members { get; } = [];

        public long Now => _now;

        /// <summary>One prepared packet per member into its jitter buffer, and the clock moves a frame on.</summary>
        public void Feed(byte[][] packets)
        {
            for (var i = 0; i < Members.Count; i++)
            {
                Members[i].OnRtp(packets[i], _sequence, _timestamp, 1000 + (uint)i, _now);
            }

            _sequence++;
            _timestamp += MixerFormat.FrameSamples;
            _now += MixerFormat.FrameMs;
        }

        /// <summary>Sends each member a constant level for a number of ticks; returns what each heard in the last tick.</summary>
        public short[][] Run(short[] levels, int ticks = 12, int silentMember = -1, int removed = -1)
        {
            for (var t = 0; t < ticks; t++)
            {
                for (var i = 0; i < Members.Count; i++)
                {
                    if (i == silentMember || i == removed)
                    {
                        continue;
                    }

                    var frame = Enumerable.Repeat(levels[i], MixerFormat.FrameSamples).ToArray();
                    Members[i].OnRtp(LinearPcmCodecProvider.Encode(frame), _sequence, _timestamp, 1000 + (uint)i, _now);
                }

                _sequence++;
                _timestamp += MixerFormat.FrameSamples;
                _now += MixerFormat.FrameMs;
                Mixer.Tick(_now);
            }

            return [.. Members.Select(m => Listener.Frames[m.Id].Count > 0 ? Listener.Frames[m.Id][^1] : [])];
        }

        public void Dispose() => Mixer.OnDetached();
    }

    private sealed class RecordingListener : IMixerMemberListener
    {
        public Dictionary<int, List<short[]>> Frames { get; } = Enumerable.Range(0, 16).ToDictionary(i => i, _ => new List<short[]>());

        public List<(int Member, bool Talking)> TalkingChanges { get; } = [];

        /// <summary>Off while measuring allocations: keeping frames allocates.</summary>
        public bool Recording { get; set; } = true;

        public void OnAudioFrame(MixerMember member, ReadOnlySpan<byte> payload, int timestampUnits)
        {
            if (!Recording)
            {
                return;
            }

            Assert.Equal(960, timestampUnits);
            Frames[member.Id].Add(LinearPcmCodecProvider.Decode(payload));
        }

        public void OnTalkingChanged(MixerMember member, bool talking, int energy) => TalkingChanges.Add((member.Id, talking));
    }

    private sealed class MixSink(AudioCodecSettings settings) : IAudioMixSink
    {
        public AudioCodecSettings Settings { get; } = settings;

        public List<short[]> Packets { get; } = [];

        public void OnMixPacket(ReadOnlySpan<byte> payload) => Packets.Add(LinearPcmCodecProvider.Decode(payload));
    }
}

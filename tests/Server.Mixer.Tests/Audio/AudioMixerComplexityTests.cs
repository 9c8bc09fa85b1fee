using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>
/// Overload shedding in the audio mixer: lowering <see cref="AudioMixer.ComplexityReduction"/>
/// reaches the live libopus encoders (read back with OPUS_GET_COMPLEXITY), shared and
/// members' own alike, applies to encoders made later, keeps the stream flowing, and
/// restoring it returns every encoder to its profile's complexity.
/// </summary>
public sealed class AudioMixerComplexityTests
{
    private const int ProfileComplexity = 8;

    [Fact]
    public void ALiveEncodersComplexityFollowsTheReductionAndComesBack()
    {
        using var room = new OpusRoom();

        // Member 0 talks (its own encoder), members 1 and 2 listen (one shared encode).
        room.Run(ticks: 10, talkers: 1);
        Assert.Equal(2, room.Codecs.Encoders.Count);
        Assert.All(room.Codecs.Encoders, e => Assert.Equal(ProfileComplexity, e.NativeComplexity));

        room.Mixer.ComplexityReduction = 3;
        var before = room.Listener.Frames;
        room.Run(ticks: 1, talkers: 1);
        Assert.Equal(2, room.Codecs.Encoders.Count);
        Assert.All(room.Codecs.Encoders, e => Assert.Equal(ProfileComplexity - 3, e.NativeComplexity));
        Assert.Equal(before + 3, room.Listener.Frames);

        // Level 2: complexity 0, and a member who starts talking now gets a cheap encoder from the start.
        room.Mixer.ComplexityReduction = 10;
        room.Run(ticks: 10, talkers: 2);
        Assert.Equal(3, room.Codecs.Encoders.Count);
        Assert.All(room.Codecs.Encoders, e => Assert.Equal(0, e.NativeComplexity));

        room.Mixer.ComplexityReduction = 0;
        room.Run(ticks: 1, talkers: 2);
        Assert.All(room.Codecs.Encoders, e => Assert.Equal(ProfileComplexity, e.NativeComplexity));
        Assert.All(room.Codecs.Encoders, e => Assert.Equal(ProfileComplexity, e.Settings.Complexity));
    }

    [Fact]
    public void TheReductionNeverGoesBelowZeroOrOutsideItsRange()
    {
        var settings = AudioCodecSettings.Opus(1, 32000, 2);
        Assert.Equal(0, AudioMixer.ReducedComplexity(settings, 3));
        Assert.Equal(2, AudioMixer.ReducedComplexity(settings, 0));
        var mixer = new AudioMixer(new MixerMetrics(), new OpusEncodingProvider());
        mixer.ComplexityReduction = 42;
        Assert.Equal(10, mixer.ComplexityReduction);
        mixer.ComplexityReduction = -1;
        Assert.Equal(0, mixer.ComplexityReduction);
        mixer.OnDetached();
    }

    /// <summary>Lossless PCM in (so talking is exact), real libopus out, every encoder kept for inspection.</summary>
    private sealed class OpusEncodingProvider : IAudioCodecProvider
    {
        private readonly LinearPcmCodecProvider _pcm = new();

        public List<OpusAudioEncoder> Encoders { get; } = [];

        public IAudioEncoder CreateEncoder(AudioCodecSettings settings)
        {
            var encoder = new OpusAudioEncoder(settings);
            Encoders.Add(encoder);
            return encoder;
        }

        public IAudioDecoder CreateDecoder(AudioCodecKind kind, int channels) => _pcm.CreateDecoder(kind, channels);
    }

    private sealed class OpusRoom : IDisposable
    {
        private ushort _sequence = 100;
        private uint _timestamp = 48000;
        private long _now = 1000;

        public OpusRoom()
        {
            Mixer = new AudioMixer(new MixerMetrics(), Codecs);
            var output = AudioCodecSettings.Opus(1, 32000, ProfileComplexity);
            for (var i = 0; i < 3; i++)
            {
                Members.Add(Mixer.AddMember(i, AudioCodecKind.Opus, 1, 48000, output, energyThreshold: 100, Listener));
            }
        }

        public OpusEncodingProvider Codecs { get; } = new();

        public CountingListener Listener { get; } = new();

        public AudioMixer Mixer { get; }

        public List<MixerMember> Members { get; } = [];

        /// <summary>The first <paramref name="talkers"/> members send a loud tone, the others silence.</summary>
        public void Run(int ticks, int talkers)
        {
            for (var t = 0; t < ticks; t++)
            {
                for (var i = 0; i < Members.Count; i++)
                {
                    var frame = new short[MixerFormat.FrameSamples];
                    if (i < talkers)
                    {
                        for (var s = 0; s < frame.Length; s++)
                        {
                            frame[s] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * s / MixerFormat.SampleRate));
                        }
                    }

                    Members[i].OnRtp(LinearPcmCodecProvider.Encode(frame), _sequence, _timestamp, 1000 + (uint)i, _now);
                }

                _sequence++;
                _timestamp += MixerFormat.FrameSamples;
                _now += MixerFormat.FrameMs;
                Mixer.Tick(_now);
            }
        }

        public void Dispose() => Mixer.OnDetached();
    }

    private sealed class CountingListener : IMixerMemberListener
    {
        public int Frames { get; private set; }

        public void OnAudioFrame(MixerMember member, ReadOnlySpan<byte> payload, int timestampUnits)
        {
            Assert.True(payload.Length > 0);
            Frames++;
        }

        public void OnTalkingChanged(MixerMember member, bool talking, int energy)
        {
        }
    }
}

using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Bench.Micro;

/// <summary>
/// One whole 20 ms conference tick with real libopus, as the server runs it: every member's
/// packet into its jitter buffer, then decode (or conceal), energy and talk detection, the
/// N−1 mix, an encode per talker plus one shared encode for the listeners. The mean time per
/// tick over 20 ms is the share of one core a room of this shape costs, which turns into
/// members per core; [MemoryDiagnoser] shows the tick allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class MixerTickBenchmarks
{
    private AudioMixer _mixer = null!;
    private List<MixerMember> _members = null!;
    private byte[][] _packets = null!;
    private ushort _sequence;
    private uint _timestamp;
    private long _now;

    /// <summary>Members in the room.</summary>
    [Params(5, 30, 100)]
    public int Members { get; set; }

    /// <summary>How many of them talk (the rest send Opus-encoded silence, as browsers do).</summary>
    [Params(4)]
    public int Talkers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var output = AudioCodecSettings.Opus(1, 32000, 5);
        _mixer = new AudioMixer(new MixerMetrics());
        var listener = new NullListener();
        _members = [.. Enumerable.Range(0, Members).Select(i => _mixer.AddMember(i, AudioCodecKind.Opus, 1, 48000, output, 100, listener))];
        using var encoder = AudioCodecFactory.CreateEncoder(output);
        var payload = new byte[1500];
        var tone = new short[MixerFormat.FrameSamples];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(6000 * Math.Sin(2 * Math.PI * 440 * i / 48000.0));
        }

        var speech = payload.AsSpan(0, encoder.Encode(tone, payload)).ToArray();
        // Silence from an encoder of its own: after the tone, this one's first frame would still carry the tone's tail.
        using var quiet = AudioCodecFactory.CreateEncoder(output);
        var silence = payload.AsSpan(0, quiet.Encode(new short[MixerFormat.FrameSamples], payload)).ToArray();
        _packets = [.. Enumerable.Range(0, Members).Select(i => i < Talkers ? speech : silence)];
        for (var t = 0; t < 50; t++)
        {
            Tick();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _mixer.OnDetached();

    [Benchmark]
    public void Tick()
    {
        for (var i = 0; i < _members.Count; i++)
        {
            _members[i].OnRtp(_packets[i], _sequence, _timestamp, (uint)(1000 + i), _now);
        }

        _sequence++;
        _timestamp += MixerFormat.FrameSamples;
        _now += MixerFormat.FrameMs;
        _mixer.Tick(_now);
    }

    private sealed class NullListener : IMixerMemberListener
    {
        public void OnAudioFrame(MixerMember member, ReadOnlySpan<byte> payload, int timestampUnits)
        {
        }

        public void OnTalkingChanged(MixerMember member, bool talking, int energy)
        {
        }
    }
}

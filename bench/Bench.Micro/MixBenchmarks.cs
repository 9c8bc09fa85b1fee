using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Audio;

namespace MediaServer.Bench.Micro;

/// <summary>
/// One 20 ms conference mix tick: sum the contributing members once, then give each contributor
/// its N-1 mix (<c>sum - own</c>); members who contribute nothing all hear the plain sum, stored
/// once. Decode and encode are not included, only the mixing kernels.
/// </summary>
[MemoryDiagnoser]
public class MixBenchmarks
{
    private const int Talkers = 4;

    private short[][] _members = [];
    private short[][] _outputs = [];
    private readonly int[] _accumulator = new int[MixerFormat.FrameSamples];
    private readonly short[] _shared = new short[MixerFormat.FrameSamples];

    [Params(10, 50, 300)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _members = new short[Members][];
        _outputs = new short[Members][];
        for (var m = 0; m < Members; m++)
        {
            _members[m] = new short[MixerFormat.FrameSamples];
            _outputs[m] = new short[MixerFormat.FrameSamples];
            for (var i = 0; i < MixerFormat.FrameSamples; i++)
            {
                _members[m][i] = (short)random.Next(-3000, 3001);
            }
        }
    }

    /// <summary>Everyone's microphone is open: N accumulates and N N-1 stores.</summary>
    [Benchmark]
    public void AllContributing()
    {
        _accumulator.AsSpan().Clear();
        foreach (var member in _members)
        {
            MixKernels.Accumulate(_accumulator, member);
        }

        for (var m = 0; m < _members.Length; m++)
        {
            MixKernels.StoreMinus(_accumulator, _members[m], _outputs[m]);
        }
    }

    /// <summary>The usual case: four talkers get N-1 mixes, everyone else shares one plain mix.</summary>
    [Benchmark(Baseline = true)]
    public void FourTalkers()
    {
        _accumulator.AsSpan().Clear();
        for (var m = 0; m < Talkers; m++)
        {
            MixKernels.Accumulate(_accumulator, _members[m]);
        }

        for (var m = 0; m < Talkers; m++)
        {
            MixKernels.StoreMinus(_accumulator, _members[m], _outputs[m]);
        }

        MixKernels.Store(_accumulator, _shared);
    }

    /// <summary>
    /// Per member per tick, before mixing: the volume gain and the energy score for talk detection.
    /// In place, as on freshly decoded PCM; the frames creep towards full scale over the run, which
    /// does not change the cost (the kernels have no data-dependent branches).
    /// </summary>
    [Benchmark]
    public int GainAndEnergyAllMembers()
    {
        var energy = 0;
        foreach (var member in _members)
        {
            MixKernels.ApplyGain(member, MixKernels.UnityGainQ12 + 1);
            energy += MixKernels.MeanAbsolute(member);
        }

        return energy;
    }
}

using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Audio;

namespace MediaServer.Bench.Micro;

/// <summary>
/// A member's jitter buffer in steady state: one Opus-sized packet in on the receive side and one
/// out on the mixer side, at 20 ms spacing of simulated time.
/// </summary>
[MemoryDiagnoser]
public class JitterBufferBenchmarks
{
    private readonly JitterBuffer _buffer = new(48000);
    private readonly byte[] _packet = new byte[160];
    private readonly byte[] _output = new byte[1500];
    private ushort _sequence;
    private uint _timestamp;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        // Fill to the initial delay so every measured Pop plays a packet.
        for (var i = 0; i < 10; i++)
        {
            InsertAndPop();
        }
    }

    [Benchmark]
    public JitterBufferResult InsertAndPop()
    {
        _buffer.Insert(_packet, _sequence, _timestamp, 0x5eed, _now);
        var result = _buffer.Pop(_now, _output, out _, out _, out _);
        _sequence++;
        _timestamp += 960;
        _now += 20;
        return result;
    }
}

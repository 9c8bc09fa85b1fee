using MediaServer.Mixer.Audio;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>The per-packet and per-frame audio paths allocate nothing once warm.</summary>
public class AudioAllocationTests
{
    private static readonly short[] Frame = BuildFrame();
    private static readonly short[] Output = new short[MixerFormat.FrameSamples];
    private static readonly int[] Accumulator = new int[MixerFormat.FrameSamples];

    private static long _sink;

    [Fact]
    public void JitterBufferInsertPopAndPeek()
    {
        var buffer = new JitterBuffer(48000);
        var packet = new byte[120];
        var output = new byte[1500];
        ushort sequence = 0;
        long now = 0;
        AssertNoAllocation(() =>
        {
            // Every 50th packet is lost, so the Missing and TryPeekNext paths run too.
            if (sequence % 50 != 7)
            {
                buffer.Insert(packet, sequence, sequence * 960u, 0x1234, now);
            }

            var result = buffer.Pop(now, output, out var length, out var timestamp, out var duration);
            if (result == JitterBufferResult.Missing && buffer.TryPeekNext(output, out var peeked))
            {
                _sink += peeked;
            }

            _sink += length + timestamp + duration + buffer.BufferedMs;
            sequence++;
            now += 20;
        });
        Assert.True(buffer.Lost > 0);
    }

    [Fact]
    public void MixKernelsOnAFrame() => AssertNoAllocation(() =>
    {
        Accumulator.AsSpan().Clear();
        MixKernels.Accumulate(Accumulator, Frame);
        MixKernels.Accumulate(Accumulator, Frame);
        MixKernels.StoreMinus(Accumulator, Frame, Output);
        MixKernels.Store(Accumulator, Output);
        MixKernels.ApplyGain(Output, VolumeLevel.GainQ12(-2));
        _sink += MixKernels.MeanAbsolute(Output);
    });

    [Fact]
    public void TalkDetectorUpdate()
    {
        var detector = new TalkDetector();
        var frame = 0;
        AssertNoAllocation(() => _sink += detector.Update(frame++ % 60 < 30 ? 500 : 10) ? 1 : 0);
    }

    private static void AssertNoAllocation(Action action, int iterations = 5000)
    {
        // Warm-up runs static constructors, tier-up and any lazy init outside the measurement.
        for (var i = 0; i < 500; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated over {iterations} runs.");
    }

    private static short[] BuildFrame()
    {
        var random = new Random(5);
        var frame = new short[MixerFormat.FrameSamples];
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        return frame;
    }
}

using MediaServer.Mixer.Audio;
using static MediaServer.Mixer.Audio.JitterBufferResult;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>
/// Long runs in simulated time: the target follows the network's jitter up and back down, and a
/// sender whose clock is 100 ppm fast or slow for an hour neither grows nor starves the delay.
/// </summary>
public class JitterBufferAdaptationTests
{
    private const int PacketMs = 20;
    private const int PacketsPerHour = 180_000;
    private const int PacketsPerTenMinutes = 30_000;

    [Fact]
    public void WithoutJitterTheTargetStaysAtTheInitialDelayOrBelow()
    {
        var buffer = new JitterBuffer(48000);
        var run = Simulate(buffer, packets: 3000, ppm: 0, jitter: _ => 0, onPop: (_, _) => Assert.InRange(buffer.TargetDelayMs, 20, 40));

        Assert.Equal(20, buffer.TargetDelayMs);
        Assert.Equal(0, buffer.Lost);
        Assert.Equal(0, buffer.Late);
        Assert.True(buffer.DroppedForDrift <= 1, "at most one drop as the target settles from 40 to 20 ms");
        Assert.Equal(3000 - buffer.DroppedForDrift, run.Played);
    }

    [Fact]
    public void TheTargetRisesWithJitterKeepsLateLossSmallAndDecaysAfterwards()
    {
        var buffer = new JitterBuffer(48000);

        // One minute of +-60 ms (uniform) network jitter, then a minute of none.
        var samples = new List<int>();
        var random = new Random(2);
        var run = Simulate(buffer, packets: 6000, ppm: 0, jitter: i => i < 3000 ? random.Next(0, 121) : 0, onPop: (_, time) =>
        {
            if ((time - 7) % 1000 == 0)
            {
                samples.Add(buffer.TargetDelayMs);
            }
        });

        var duringJitter = samples[10..60];
        Assert.True(duringJitter.Min() >= 80, $"target during jitter: {string.Join(",", duringJitter)}");
        Assert.True(buffer.Late < 3000 * 0.02, $"{buffer.Late} late of 3000");
        Assert.True(buffer.Lost < 3000 * 0.02, $"{buffer.Lost} lost of 3000");

        // The first seconds after the jitter stops it still holds on (decays slowly), later it is back down.
        Assert.True(samples[62] >= 80, $"target just after: {samples[62]}");
        Assert.True(samples[^1] <= 40, $"target at the end: {samples[^1]}");
        Assert.True(buffer.DelayMs <= 40 + 30, $"delay at the end: {buffer.DelayMs}");
        Assert.True(run.Played > 5800);
    }

    [Theory]
    [InlineData(+100)]
    [InlineData(-100)]
    public void AnHourOfClockDriftKeepsTheDelayBounded(int ppm)
    {
        var buffer = new JitterBuffer(48000);
        var windows = new double[6];
        var minimum = int.MaxValue;
        var maximum = int.MinValue;
        var random = new Random(ppm > 0 ? 3 : 4);
        var run = Simulate(buffer, packets: PacketsPerHour, ppm: ppm, jitter: _ => random.Next(0, 5), onPop: (result, time) =>
        {
            if (result != Packet || time < 30_000)
            {
                return;
            }

            minimum = Math.Min(minimum, buffer.DelayMs);
            maximum = Math.Max(maximum, buffer.DelayMs);
            windows[Math.Min(5, (int)(time / 600_000))] += buffer.DelayMs;
        });

        // Past the first 30 s (the target settling from 40 to 20 ms) the delay stays in its band.
        Assert.InRange(minimum, 20 - 2, 200);
        Assert.InRange(maximum, 20, 20 + 30 + 5);
        var first = windows[0] / (PacketsPerTenMinutes - 1500);
        var last = windows[5] / PacketsPerTenMinutes;
        Assert.True(Math.Abs(last - first) < 20, $"first 10 min {first:F1} ms, last 10 min {last:F1} ms");

        // 100 ppm of an hour is 360 ms, i.e. 18 packets of 20 ms.
        const int expected = 18;
        if (ppm > 0)
        {
            Assert.InRange(buffer.DroppedForDrift, expected / 2, expected * 3 / 2);
            Assert.True(buffer.Concealed <= 2, $"{buffer.Concealed} concealed");
        }
        else
        {
            Assert.InRange(buffer.Concealed, expected / 2, expected * 3 / 2);
            Assert.True(buffer.DroppedForDrift <= 2, $"{buffer.DroppedForDrift} dropped");
        }

        Assert.Equal(0, buffer.Lost);
        Assert.Equal(0, buffer.Late);
        Assert.Equal(0, buffer.Resets);
        Assert.True(run.Played >= PacketsPerHour - 30);
    }

    private readonly record struct RunResult(int Played, int Missing, int Empty);

    /// <summary>
    /// 20 ms packets from a sender whose clock runs <paramref name="ppm"/> fast, each delayed by
    /// 50 ms plus its jitter, against a consumer popping every 20 ms of its own clock.
    /// </summary>
    private static RunResult Simulate(JitterBuffer buffer, int packets, int ppm, Func<int, int> jitter, Action<JitterBufferResult, long> onPop)
    {
        var arrival = new long[packets];
        var order = new int[packets];
        var senderScale = 1.0 / (1 + (ppm * 1e-6));
        for (var i = 0; i < packets; i++)
        {
            arrival[i] = (long)Math.Floor((i * PacketMs * senderScale) + 50 + jitter(i));
            order[i] = i;
        }

        Array.Sort(arrival, order);

        var payload = new byte[40];
        var output = new byte[1500];
        var played = 0;
        var missing = 0;
        var empty = 0;
        var next = 0;
        var end = arrival[^1] + 500;
        for (var now = 7L; now <= end; now += PacketMs)
        {
            for (; next < packets && arrival[next] <= now; next++)
            {
                var i = order[next];
                JitterScenario.WritePayload(payload, (ushort)i);
                buffer.Insert(payload, (ushort)i, (uint)i * 960, 1, arrival[next]);
            }

            var result = buffer.Pop(now, output, out _, out _, out _);
            played += result == Packet ? 1 : 0;
            missing += result == Missing ? 1 : 0;
            empty += result == Empty ? 1 : 0;
            onPop(result, now);
        }

        return new RunResult(played, missing, empty);
    }
}

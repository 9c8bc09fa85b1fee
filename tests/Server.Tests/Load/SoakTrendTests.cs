using MediaServer.Bench.Load;

namespace MediaServer.Tests.Load;

/// <summary>The soak verdict's arithmetic (Bench.Load --soak-csv): memory growth per hour, the warm-up, the tick-lateness trend rule, RSS from /proc.</summary>
public sealed class SoakTrendTests
{
    [Fact]
    public void GrowthIsTheLeastSquaresSlopeAsPercentOfTheMeanPerHour()
    {
        // 100 MB growing 1 MB an hour, sampled every 10 s for 10 minutes: 1 % of 100.08 MB.
        var points = Enumerable.Range(0, 61).Select(i => (i * 10.0, 100e6 + (i * 10.0 / 3600 * 1e6))).ToList();
        Assert.Equal(1.0, SoakTrend.GrowthPercentPerHour(points)!.Value, 2);
        Assert.Equal(0.0, SoakTrend.GrowthPercentPerHour(points.Select(p => (p.Item1, 100e6)).ToList())!.Value, 9);
        Assert.Null(SoakTrend.GrowthPercentPerHour(points.Take(2).ToList()));
        Assert.Null(SoakTrend.GrowthPercentPerHour([(5.0, 1.0), (5.0, 2.0), (5.0, 3.0)]));
    }

    [Fact]
    public void TheWarmUpFifthIsLeftOutSoAHeapSettlingIsNotALeak()
    {
        // A jump in the first fifth (JIT, pools), flat after it.
        var points = Enumerable.Range(0, 50).Select(i => Point(i * 10, rss: i < 8 ? 80e6 + (i * 2e6) : 100e6, tick: 1)).ToList();

        var trend = SoakTrend.Of(points);

        Assert.Equal(40, trend.Windows);
        Assert.Equal(0.0, trend.MemoryGrowthPercentPerHour!.Value, 9);
        Assert.True(trend.MemoryPasses());
    }

    [Fact]
    public void ALeakFailsAndUnknownMemoryDoesNotPass()
    {
        // 2 % an hour.
        var leaking = Enumerable.Range(0, 50).Select(i => Point(i * 10, rss: 100e6 * (1 + (0.02 * i * 10 / 3600)), tick: 1)).ToList();
        Assert.False(SoakTrend.Of(leaking).MemoryPasses());
        Assert.False(SoakTrend.Of(leaking.Select(p => p with { RssBytes = null }).ToList()).MemoryPasses());
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(0.5, 1, true)] // one bucket up at the low end: noise
    [InlineData(1, 2, true)]
    [InlineData(2, 5, false)]
    [InlineData(5, 10, false)]
    [InlineData(10, 10, true)]
    public void TickLatenessTrendsWhenTheLastQuarterIsClearlyWorseThanTheFirst(double first, double last, bool passes)
    {
        var points = Enumerable.Range(0, 50).Select(i => Point(i * 10, rss: 100e6, tick: i < 25 ? first : last)).ToList();
        Assert.Equal(passes, SoakTrend.Of(points).LatenessPasses);
    }

    [Fact]
    public void RssIsField24OfProcStatInPages()
    {
        const string stat = "4242 (Server (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 350 120 0 0 20 0 30 0 12345 3000000000 25000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
        Assert.Equal(25000L * Environment.SystemPageSize, ServerProbe.ParseRssBytes(stat));
        Assert.Null(ServerProbe.ParseRssBytes("garbage"));
        Assert.Null(ServerProbe.ParseRssBytes("1 (x) S 1 2"));
    }

    private static SoakPoint Point(double seconds, double rss, double tick) =>
        new(seconds, Members: 20, RssBytes: (long)rss, TickLatenessP99Milliseconds: tick, ServerCpuPercent: 50, LossPercent: 0);
}

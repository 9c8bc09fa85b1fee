using MediaServer.Conferences;
using MediaServer.Mixer.Runtime;

namespace MediaServer.Tests.Conferences;

/// <summary>
/// The overload governor's decisions over scripted seconds of tick lateness: raised after two
/// late seconds in a row and not after one, lowered after ten quiet seconds, capped at level 2,
/// and fed by the difference of the cumulative histogram, not its all-time totals.
/// </summary>
public sealed class OverloadGovernorTests
{
    private const long Late = 20_000;
    private const long Fine = 1_000;
    private const long Between = 10_000;

    [Fact]
    public void OneLateSecondDoesNotRaiseButTwoInARowDo()
    {
        var governor = new OverloadGovernor(thresholdMs: 10);
        Assert.Null(governor.Observe(Late));
        Assert.Equal(0, governor.Level);
        Assert.Null(governor.Observe(Fine));
        Assert.Null(governor.Observe(Late));
        Assert.Equal(0, governor.Level);
        Assert.Equal(1, governor.Observe(Late));
        Assert.Equal(1, governor.Level);
    }

    [Fact]
    public void PastTheLastBucketIsOverALowThresholdButUnknownAgainstOneAboveTheLastBound()
    {
        // 10 ms: a tick later than the last bound (50 ms) is certainly later than 10 ms.
        var low = new OverloadGovernor(thresholdMs: 10);
        Assert.Null(low.Observe(long.MaxValue));
        Assert.Equal(1, low.Observe(long.MaxValue));

        // 1 s: "later than 50 ms" says nothing about 1 s; it neither raises nor counts as quiet.
        var high = new OverloadGovernor(thresholdMs: 1000);
        for (var second = 0; second < 10; second++)
        {
            Assert.Null(high.Observe(long.MaxValue));
        }

        Assert.Equal(0, high.Level);
    }

    [Fact]
    public void LatenessEqualToTheThresholdIsNotOverload()
    {
        var governor = new OverloadGovernor(thresholdMs: 10);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(governor.Observe(Between));
        }

        Assert.Equal(0, governor.Level);
    }

    [Fact]
    public void EachLevelNeedsItsOwnTwoSecondsAndTheLevelIsCappedAtTwo()
    {
        var governor = new OverloadGovernor(thresholdMs: 10);
        var changes = new List<int?>();
        for (var i = 0; i < 10; i++)
        {
            changes.Add(governor.Observe(Late));
        }

        Assert.Equal([null, 1, null, 2, null, null, null, null, null, null], changes);
        Assert.Equal(OverloadGovernor.MaxLevel, governor.Level);
    }

    [Fact]
    public void TenSecondsUnderHalfTheThresholdLowerOneLevel()
    {
        var governor = RaisedTo(2);
        for (var i = 0; i < OverloadGovernor.LowerAfterSeconds - 1; i++)
        {
            Assert.Null(governor.Observe(Fine));
        }

        Assert.Equal(1, governor.Observe(Fine));
        for (var i = 0; i < OverloadGovernor.LowerAfterSeconds - 1; i++)
        {
            Assert.Null(governor.Observe(0));
        }

        Assert.Equal(0, governor.Observe(0));
        for (var i = 0; i < 30; i++)
        {
            Assert.Null(governor.Observe(0));
        }

        Assert.Equal(0, governor.Level);
    }

    [Fact]
    public void ASecondBetweenHalfAndTheThresholdRestartsTheQuietRun()
    {
        var governor = RaisedTo(1);
        for (var i = 0; i < 9; i++)
        {
            governor.Observe(Fine);
        }

        // 5 ms is not under half of 10 ms: the nine quiet seconds start over.
        Assert.Null(governor.Observe(5_000));
        for (var i = 0; i < 9; i++)
        {
            Assert.Null(governor.Observe(Fine));
        }

        Assert.Equal(1, governor.Level);
        Assert.Equal(0, governor.Observe(Fine));
    }

    [Fact]
    public void OnlyTheTicksOfTheLastSecondCountNotTheAllTimeHistogram()
    {
        var metrics = new MixerMetrics();
        var governor = new OverloadGovernor(thresholdMs: 10);

        // A long good history: 10,000 punctual ticks.
        for (var i = 0; i < 10_000; i++)
        {
            metrics.RecordLateness(100);
        }

        Assert.Null(governor.Evaluate(metrics.LatenessBuckets));
        Assert.Equal(250, governor.LastP99Us);

        // Then two seconds of 50 late ticks each: all-time p99 would still say 250 µs.
        for (var second = 0; second < 2; second++)
        {
            for (var i = 0; i < 50; i++)
            {
                metrics.RecordLateness(30_000);
            }

            var change = governor.Evaluate(metrics.LatenessBuckets);
            Assert.Equal(50_000, governor.LastP99Us);
            Assert.Equal(second == 0 ? null : 1, change);
        }

        Assert.Equal(250, metrics.LatenessQuantileUs(0.99));

        // A second with no ticks at all (no rooms) is quiet.
        governor.Evaluate(metrics.LatenessBuckets);
        Assert.Equal(0, governor.LastP99Us);
    }

    [Fact]
    public void AWrongSizedHistogramIsRefused()
    {
        var governor = new OverloadGovernor(thresholdMs: 10);
        Assert.Throws<ArgumentException>(() => governor.Evaluate(new long[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OverloadGovernor(0));
    }

    private static OverloadGovernor RaisedTo(int level)
    {
        var governor = new OverloadGovernor(thresholdMs: 10);
        while (governor.Level < level)
        {
            governor.Observe(Late);
        }

        return governor;
    }
}

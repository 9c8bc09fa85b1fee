using MediaServer.Records;

namespace MediaServer.Tests.Records;

/// <summary>The simplified G.107 E-model against points the recommendation and its usual reading give.</summary>
public sealed class MosEstimateTests
{
    [Fact]
    public void NoImpairmentScoresAbout4Point4()
    {
        // R = 93.2 less the 20 ms frame's delay impairment (0.48): MOS 4.40.
        Assert.Equal(4.40, MosEstimate.Estimate(0, 0, 0), 2);
        Assert.Equal(4.41, Math.Round(MosEstimate.FromRatingFactor(MosEstimate.BaseR), 2));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(-5, 1.0)]
    [InlineData(3, 1.0)]
    [InlineData(50, 2.58)]
    [InlineData(70, 3.60)]
    [InlineData(80, 4.02)]
    [InlineData(100, 4.5)]
    [InlineData(120, 4.5)]
    public void RatingFactorMapsToMosAsAnnexBSays(double r, double mos) =>
        Assert.Equal(mos, MosEstimate.FromRatingFactor(r), 2);

    [Fact]
    public void HeavyLossScoresPoorly()
    {
        // Ie,eff = 95·20/(20+25.1) = 42.1: R ≈ 50.6, "many users dissatisfied".
        var twentyPercent = MosEstimate.Estimate(20, 0, 0);
        Assert.InRange(twentyPercent, 2.4, 2.8);
        Assert.True(MosEstimate.Estimate(5, 0, 0) < 4.0);
        // Everything lost: Ie,eff = 95·100/125.1 = 75.9, R = 16.8, the floor of the scale.
        Assert.Equal(1.16, MosEstimate.Estimate(100, 0, 0), 2);
    }

    [Fact]
    public void LongDelayPassesTheKneeAt177Milliseconds()
    {
        // 600 ms round trip: d = 320 ms, Id = 7.68 + 15.70 = 23.4, R = 69.8: MOS 3.59.
        Assert.Equal(3.59, MosEstimate.Estimate(0, 0, 600), 2);
        Assert.True(MosEstimate.Estimate(0, 0, 300) > MosEstimate.Estimate(0, 0, 400));
    }

    [Fact]
    public void TheEstimateNeverRisesAsLossJitterOrRoundTripGrow()
    {
        for (var step = 0; step < 200; step++)
        {
            Assert.True(MosEstimate.Estimate(step, 10, 50) >= MosEstimate.Estimate(step + 1, 10, 50), $"loss {step}");
            Assert.True(MosEstimate.Estimate(1, step * 2, 50) >= MosEstimate.Estimate(1, (step + 1) * 2, 50), $"jitter {step * 2}");
            Assert.True(MosEstimate.Estimate(1, 10, step * 10) >= MosEstimate.Estimate(1, 10, (step + 1) * 10), $"rtt {step * 10}");
        }

        for (var r = -10.0; r < 110; r += 0.5)
        {
            Assert.True(MosEstimate.FromRatingFactor(r) <= MosEstimate.FromRatingFactor(r + 0.5), $"R {r}");
        }
    }

    [Fact]
    public void NonsenseInputIsClampedNotPropagated()
    {
        Assert.Equal(MosEstimate.Estimate(0, 0, 0), MosEstimate.Estimate(double.NaN, -3, -100));
        Assert.Equal(MosEstimate.Estimate(100, 0, 0), MosEstimate.Estimate(250, 0, 0));
    }
}

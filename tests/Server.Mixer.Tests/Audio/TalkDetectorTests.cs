using MediaServer.Mixer.Audio;

namespace MediaServer.Mixer.Tests.Audio;

public class TalkDetectorTests
{
    [Fact]
    public void StartsAfterTwoLoudFrames()
    {
        var detector = new TalkDetector(energyThreshold: 100);
        Assert.False(detector.Update(150));
        Assert.False(detector.Talking);
        Assert.True(detector.Update(150));
        Assert.True(detector.Talking);
        Assert.Equal(150, detector.LastEnergy);
    }

    [Fact]
    public void OneLoudFrameBetweenQuietOnesIsNotTalk()
    {
        var detector = new TalkDetector(energyThreshold: 100);
        for (var i = 0; i < 50; i++)
        {
            Assert.False(detector.Update(i % 2 == 0 ? 500 : 10));
        }

        Assert.False(detector.Talking);
    }

    [Fact]
    public void StopsAfterTwentyFiveQuietFrames()
    {
        var detector = new TalkDetector(energyThreshold: 100, startFrames: 2, hangoverFrames: 25);
        detector.Update(300);
        detector.Update(300);
        for (var i = 0; i < 24; i++)
        {
            Assert.False(detector.Update(0));
            Assert.True(detector.Talking);
        }

        Assert.True(detector.Update(0));
        Assert.False(detector.Talking);
    }

    [Fact]
    public void PausesBetweenWordsDoNotEndTalk()
    {
        var detector = new TalkDetector();
        detector.Update(400);
        detector.Update(400);
        var changes = 0;
        for (var i = 0; i < 500; i++)
        {
            // 20 quiet frames (400 ms) then 5 loud ones, over and over: under the hangover.
            changes += detector.Update(i % 25 < 20 ? 5 : 400) ? 1 : 0;
        }

        Assert.Equal(0, changes);
        Assert.True(detector.Talking);
    }

    [Fact]
    public void NoFlappingOnASignalHoveringAtTheThreshold()
    {
        var detector = new TalkDetector(energyThreshold: 100);
        var random = new Random(7);
        var changes = 0;
        for (var i = 0; i < 5000; i++)
        {
            // 80..120: above the stop level (75) all the time, above the threshold about half the time.
            changes += detector.Update(random.Next(80, 121)) ? 1 : 0;
        }

        Assert.Equal(1, changes);
        Assert.True(detector.Talking);
    }

    [Fact]
    public void ThresholdChangesApplyToTheNextFrame()
    {
        var detector = new TalkDetector(energyThreshold: 100);
        detector.Update(150);
        detector.EnergyThreshold = 200;
        Assert.False(detector.Update(150));
        Assert.False(detector.Update(150));
        Assert.False(detector.Talking);
    }

    [Fact]
    public void ResetForgetsEverything()
    {
        var detector = new TalkDetector();
        detector.Update(500);
        detector.Update(500);
        detector.Reset();
        Assert.False(detector.Talking);
        Assert.Equal(0, detector.LastEnergy);
        Assert.False(detector.Update(500));
        Assert.True(detector.Update(500));
    }
}

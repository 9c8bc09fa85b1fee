using MediaServer.Mixer.Audio;

namespace MediaServer.Mixer.Tests.Audio;

public class VolumeLevelTests
{
    [Fact]
    public void EachStepIsThreeDecibels()
    {
        Assert.Equal(MixKernels.UnityGainQ12, VolumeLevel.GainQ12(0));
        for (var level = VolumeLevel.Min; level <= VolumeLevel.Max; level++)
        {
            Assert.Equal((int)Math.Round(4096 * Math.Pow(10, 3.0 * level / 20)), VolumeLevel.GainQ12(level));
        }
    }

    [Fact]
    public void LevelsOutsideTheRangeAreClamped()
    {
        Assert.Equal(4, VolumeLevel.Clamp(9));
        Assert.Equal(-4, VolumeLevel.Clamp(-9));
        Assert.Equal(2, VolumeLevel.Clamp(2));
        Assert.Equal(VolumeLevel.GainQ12(4), VolumeLevel.GainQ12(100));
        Assert.Equal(VolumeLevel.GainQ12(-4), VolumeLevel.GainQ12(int.MinValue));
    }
}

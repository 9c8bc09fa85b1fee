using MediaServer.Mixer.Codecs;

namespace MediaServer.Mixer.Tests.Codecs;

public sealed class AudioCodecFactoryTests
{
    [Fact]
    public void MakesTheCodecTheSettingsName()
    {
        using var opus = AudioCodecFactory.CreateEncoder(AudioCodecSettings.Opus(2, 48000, 8));
        using var pcmu = AudioCodecFactory.CreateEncoder(AudioCodecSettings.G711(AudioCodecKind.Pcmu));
        using var pcma = AudioCodecFactory.CreateEncoder(AudioCodecSettings.G711(AudioCodecKind.Pcma));
        Assert.IsType<OpusAudioEncoder>(opus);
        Assert.Equal(AudioCodecSettings.Opus(2, 48000, 8), opus.Settings);
        Assert.Equal(AudioCodecKind.Pcmu, Assert.IsType<G711AudioEncoder>(pcmu).Settings.Kind);
        Assert.Equal(AudioCodecKind.Pcma, Assert.IsType<G711AudioEncoder>(pcma).Settings.Kind);
    }

    [Theory]
    [InlineData(AudioCodecKind.Opus, 1)]
    [InlineData(AudioCodecKind.Opus, 2)]
    [InlineData(AudioCodecKind.Pcmu, 1)]
    [InlineData(AudioCodecKind.Pcma, 1)]
    public void MakesTheDecoderTheLegNeeds(AudioCodecKind kind, int channels)
    {
        using var decoder = AudioCodecFactory.CreateDecoder(kind, channels);
        Assert.Equal(kind, decoder.Kind);
        if (decoder is OpusAudioDecoder opus)
        {
            Assert.Equal(channels, opus.Channels);
        }
    }
}

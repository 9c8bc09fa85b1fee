using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Mixer.Tests.Codecs;

/// <summary>Every codec call runs once per member per 20 ms: none may allocate.</summary>
public sealed class CodecAllocationTests
{
    private const int Frame = MixerFormat.FrameSamples;

    [Theory]
    [InlineData(AudioCodecKind.Opus, 1)]
    [InlineData(AudioCodecKind.Opus, 2)]
    [InlineData(AudioCodecKind.Pcmu, 1)]
    [InlineData(AudioCodecKind.Pcma, 1)]
    public void EncodeDecodeConcealAndFecAllocateNothing(AudioCodecKind kind, int channels)
    {
        var settings = kind == AudioCodecKind.Opus ? AudioCodecSettings.Opus(channels, 32000, 5) : AudioCodecSettings.G711(kind);
        using var encoder = AudioCodecFactory.CreateEncoder(settings);
        using var decoder = AudioCodecFactory.CreateDecoder(kind, channels);
        var frame = CodecSignals.Sine(MixerFormat.SampleRate, 1000, 8000, Frame);
        var payload = new byte[1275];
        var pcm = new short[OpusAudioDecoder.MaxPacketSamples];
        var length = 0;

        AllocationProbe.AssertNoAllocation(() =>
        {
            length = encoder.Encode(frame, payload);
            decoder.Decode(payload.AsSpan(0, length), pcm);
            decoder.Conceal(pcm.AsSpan(0, Frame));
            decoder.TryDecodeFec(payload.AsSpan(0, length), pcm.AsSpan(0, Frame), out _);
        });
    }
}

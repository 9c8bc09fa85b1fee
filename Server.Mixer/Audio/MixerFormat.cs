namespace MediaServer.Mixer.Audio;

/// <summary>
/// The one PCM format inside the mixer: 16-bit mono at 48 kHz in 20 ms frames. Decoders
/// deliver it and encoders take it, whatever the leg's codec, rate or channel count, so the
/// mixing kernels never branch on format.
/// </summary>
public static class MixerFormat
{
    public const int SampleRate = 48000;

    public const int FrameMs = 20;

    public const int FrameSamples = SampleRate / 1000 * FrameMs;
}

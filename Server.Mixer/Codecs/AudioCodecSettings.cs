namespace MediaServer.Mixer.Codecs;

/// <summary>
/// What an encoder is made with. Two members whose settings are equal can be sent the bytes
/// of one encode, which is why this is a value with equality.
/// </summary>
/// <param name="Kind">The codec.</param>
/// <param name="Channels">1 or 2 (Opus with useStereo); G.711 is always 1.</param>
/// <param name="Bitrate">Opus target bitrate in bits per second; ignored for G.711.</param>
/// <param name="Complexity">Opus complexity 0-10; ignored for G.711.</param>
/// <param name="Fec">Opus in-band FEC (the receiver can rebuild a lost frame from the next packet).</param>
/// <param name="Dtx">Opus discontinuous transmission (tiny packets during silence).</param>
public readonly record struct AudioCodecSettings(AudioCodecKind Kind, int Channels, int Bitrate, int Complexity, bool Fec, bool Dtx)
{
    /// <summary>Opus coding mode; part of equality, so members sent different modes never share an encode.</summary>
    public OpusApplication Application { get; init; } = OpusApplication.Voip;

    /// <summary>The RTP clock rate of the codec: 48 kHz for Opus (RFC 7587, even for stereo), 8 kHz for G.711.</summary>
    public int ClockRate => Kind == AudioCodecKind.Opus ? 48000 : 8000;

    /// <summary>RTP timestamp units in one mixer frame.</summary>
    public int FrameTimestampUnits => ClockRate / 1000 * Audio.MixerFormat.FrameMs;

    public static AudioCodecSettings Opus(int channels, int bitrate, int complexity) => new(AudioCodecKind.Opus, channels, bitrate, complexity, Fec: true, Dtx: false);

    public static AudioCodecSettings G711(AudioCodecKind kind) => new(kind, 1, 64000, 0, Fec: false, Dtx: false);
}

namespace MediaServer.Protocol.Payload;

/// <summary>Audio bandwidth of an Opus frame (RFC 6716 §2, Table 1), with its effective sample rate.</summary>
public enum OpusBandwidth
{
    /// <summary>4 kHz audio, 8 kHz sample rate.</summary>
    Narrowband,

    /// <summary>6 kHz audio, 12 kHz sample rate.</summary>
    Mediumband,

    /// <summary>8 kHz audio, 16 kHz sample rate.</summary>
    Wideband,

    /// <summary>12 kHz audio, 24 kHz sample rate.</summary>
    SuperWideband,

    /// <summary>20 kHz audio, 48 kHz sample rate.</summary>
    Fullband,
}

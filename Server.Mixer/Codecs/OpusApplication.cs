namespace MediaServer.Mixer.Codecs;

/// <summary>
/// libopus's coding mode for what the mixer sends (OPUS_APPLICATION_*). Voip (SILK or
/// hybrid) suits speech and carries in-band FEC; LowDelay (CELT only) costs well under half
/// the encode time on this machine and suits a mix of several voices, but has no FEC.
/// </summary>
public enum OpusApplication
{
    Voip = 2048,
    Audio = 2049,
    LowDelay = 2051,
}

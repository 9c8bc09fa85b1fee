using MediaServer.Mixer.Codecs;

namespace MediaServer.Mixer.Audio;

/// <summary>Takes the room's whole mix, encoded, every tick (a recording): called on the mixer thread.</summary>
public interface IAudioMixSink
{
    /// <summary>What the mix is encoded with; equal to a listener's settings, the encode is shared with it.</summary>
    AudioCodecSettings Settings { get; }

    /// <summary>One 20 ms packet of the whole mix; <paramref name="payload"/> is valid only during the call.</summary>
    void OnMixPacket(ReadOnlySpan<byte> payload);
}

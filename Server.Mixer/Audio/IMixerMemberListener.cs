namespace MediaServer.Mixer.Audio;

/// <summary>
/// How a mixer member reports upward (to the conference that owns it). Both calls come on
/// the mixer thread: they must be quick and must not block (queue anything slow).
/// </summary>
public interface IMixerMemberListener
{
    /// <summary>One 20 ms frame for this member, encoded with its codec. <paramref name="payload"/> is only valid during the call.</summary>
    void OnAudioFrame(MixerMember member, ReadOnlySpan<byte> payload, int timestampUnits);

    /// <summary>The member started or stopped talking (with hysteresis); <paramref name="energy"/> is the frame's energy score.</summary>
    void OnTalkingChanged(MixerMember member, bool talking, int energy);
}

namespace MediaServer.Mixer.Audio;

/// <summary>
/// FreeSWITCH's conference volume steps (volume_in / volume_out): -4..+4, 0 is unity and each
/// step is 3 dB, so the range spans about -12..+12 dB. Moderator commands move a member by a
/// step; the mixer turns the step into a Q12 gain for <see cref="MixKernels.ApplyGain"/>.
/// </summary>
public static class VolumeLevel
{
    public const int Min = -4;

    public const int Max = 4;

    public const int DecibelsPerStep = 3;

    // round(4096 * 10^(3 * level / 20)) for level -4..4; a table, so the tick never calls Math.Pow.
    // An array, not a ReadOnlySpan<int> property: an int collection expression there allocates in Debug builds.
    private static readonly int[] Gains = [1029, 1453, 2053, 2900, 4096, 5786, 8173, 11544, 16306];

    /// <summary>The Q12 gain of a volume step (4096 at 0); a step outside -4..4 is clamped first.</summary>
    public static int GainQ12(int level) => Gains[Clamp(level) - Min];

    public static int Clamp(int level) => Math.Clamp(level, Min, Max);
}

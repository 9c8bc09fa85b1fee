namespace MediaServer.Mixer.Audio;

/// <summary>
/// Decides whether a member is talking from one energy score (<see cref="MixKernels.MeanAbsolute"/>)
/// per 20 ms frame; the conference turns its changes into talking events and the video floor.
/// Owned by one member and fed on the mixer thread; not thread-safe.
/// </summary>
/// <remarks>
/// Two kinds of hysteresis keep the events from flapping: in time (talking starts only after
/// <c>startFrames</c> loud frames in a row and stops only after <c>hangoverFrames</c> quiet ones,
/// the pauses between words) and in level (once talking, a frame counts as quiet only below
/// three quarters of the threshold, so a voice hovering at the threshold stays talking).
/// </remarks>
public sealed class TalkDetector
{
    private readonly int _startFrames;
    private readonly int _hangoverFrames;
    private int _loudRun;
    private int _quietRun;

    public TalkDetector(int energyThreshold = 100, int startFrames = 2, int hangoverFrames = 25)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(energyThreshold);
        ArgumentOutOfRangeException.ThrowIfLessThan(startFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hangoverFrames, 1);
        EnergyThreshold = energyThreshold;
        _startFrames = startFrames;
        _hangoverFrames = hangoverFrames;
    }

    /// <summary>The energy a frame needs to count as loud; a moderator's "energy" command changes it between frames.</summary>
    public int EnergyThreshold { get; set; }

    public bool Talking { get; private set; }

    public int LastEnergy { get; private set; }

    /// <summary>Feeds one frame's energy; true when <see cref="Talking"/> changed on this frame.</summary>
    public bool Update(int energy)
    {
        LastEnergy = energy;
        if (!Talking)
        {
            _loudRun = energy >= EnergyThreshold ? _loudRun + 1 : 0;
            if (_loudRun < _startFrames)
            {
                return false;
            }

            Talking = true;
            _quietRun = 0;
            return true;
        }

        _quietRun = energy < StopThreshold ? _quietRun + 1 : 0;
        if (_quietRun < _hangoverFrames)
        {
            return false;
        }

        Talking = false;
        _loudRun = 0;
        return true;
    }

    public void Reset()
    {
        Talking = false;
        LastEnergy = 0;
        _loudRun = 0;
        _quietRun = 0;
    }

    private int StopThreshold => EnergyThreshold * 3 / 4;
}

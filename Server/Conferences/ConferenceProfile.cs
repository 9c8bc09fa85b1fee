namespace MediaServer.Conferences;

/// <summary>
/// One profile of conf/conference-profiles.json: how rooms made from it mix and encode, who
/// may steer them, and whether joining needs a PIN. Immutable; a room keeps the profile it
/// was created with.
/// </summary>
public sealed record ConferenceProfile
{
    public required string Name { get; init; }

    /// <summary>The mixer rate. The mixer runs at 48 kHz; legs at other rates are resampled.</summary>
    public int Rate { get; init; } = 48000;

    public int OpusBitrate { get; init; } = 32000;

    public int OpusComplexity { get; init; } = 5;

    public bool OpusFec { get; init; } = true;

    public bool OpusDtx { get; init; }

    /// <summary>libopus's mode for what members are sent: voip (default: speech, FEC), audio, or lowdelay (CELT only, much cheaper, no FEC).</summary>
    public MediaServer.Mixer.Codecs.OpusApplication OpusApplication { get; init; } = MediaServer.Mixer.Codecs.OpusApplication.Voip;

    /// <summary>Energy score (mean absolute sample value) from which a frame counts as speech; FreeSWITCH's energy-level.</summary>
    public int EnergyThreshold { get; init; } = 100;

    /// <summary>
    /// The least each member's jitter buffer holds back, ms (it adapts upwards to the measured
    /// jitter): the latency floor. Raise it for members on networks whose jitter comes in rare
    /// bursts the adaptation is too slow for.
    /// </summary>
    public int JitterBufferMinMs { get; init; } = MediaServer.Mixer.Audio.MixerMember.DefaultJitterMinDelayMs;

    /// <summary>A PIN every joiner must give (Verto: dialogParams <c>pin</c>); null for none.</summary>
    public string? Pin { get; init; }

    /// <summary>Joins past this many members are refused; 0 for no limit.</summary>
    public int MaxMembers { get; init; }

    /// <summary>Users who are moderators in rooms of this profile, besides directory users flagged <c>moderator</c>.</summary>
    public IReadOnlySet<string> Moderators { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Mod-channel commands only moderators may send; null means every command (the default).</summary>
    public IReadOnlySet<string>? ModeratorOnlyCommands { get; init; }

    public int CanvasWidth { get; init; } = 1280;

    public int CanvasHeight { get; init; } = 720;

    public int Fps { get; init; } = 30;

    /// <summary>The canvas encoder's target (VP8, CBR); REMB from watchers may lower it.</summary>
    public int VideoBitrateKbps { get; init; } = 1500;

    /// <summary>libvpx's realtime speed for the canvas (4-16): higher is cheaper and a little blurrier; 12 measured a third cheaper than 8 on canvases.</summary>
    public int VideoCpuUsed { get; init; } = 12;

    public string LayoutGroup { get; init; } = "grid";

    /// <summary>The profile rooms use when the file or a rule names none.</summary>
    public static ConferenceProfile Default { get; } = new() { Name = "default" };

    public bool IsModeratorOnly(string command) => ModeratorOnlyCommands is null || ModeratorOnlyCommands.Contains(command);
}

using MediaServer.Calls;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Video;

namespace MediaServer.Conferences;

/// <summary>
/// A call's place in a conference: its member id, role, and the state its live array row
/// shows. Audio flags live in the mixer's <see cref="MixerMember"/> (the mixer thread reads
/// them every tick) and are mirrored here for members without audio. Reports upward to its
/// <see cref="Conference"/>: the mixer's frames go out on the call's media leg, talking
/// changes go to the conference, which republishes the row.
/// </summary>
internal sealed class ConferenceMember : IMixerMemberListener, IVideoSourceListener, IVideoCanvasWatcher
{
    private bool _muted;
    private bool _deaf;
    private bool _videoMuted;

    public ConferenceMember(Conference conference, Call call, int id, bool moderator, string codecDescription, bool hasVideo)
    {
        Conference = conference;
        Call = call;
        Id = id;
        IsModerator = moderator;
        CodecDescription = codecDescription;
        HasVideo = hasVideo;
    }

    public Conference Conference { get; }

    /// <summary>When the member joined, for its membership record.</summary>
    public DateTimeOffset JoinedAt { get; } = DateTimeOffset.UtcNow;

    public Call Call { get; }

    public int Id { get; }

    public bool IsModerator { get; }

    /// <summary>Row index 3: <c>"opus@48000"</c>, <c>"PCMU@8000"</c>.</summary>
    public string CodecDescription { get; }

    /// <summary>The mixer's view of this member; null when the leg has no audio the mixer can use.</summary>
    public MixerMember? Mixer { get; set; }

    public bool Muted
    {
        get => Mixer?.Muted ?? _muted;
        set
        {
            _muted = value;
            Mixer?.Muted = value;
        }
    }

    public bool Deaf
    {
        get => Mixer?.Deaf ?? _deaf;
        set
        {
            _deaf = value;
            Mixer?.Deaf = value;
        }
    }

    public bool OnHold => Call.State == CallState.Held;

    public bool Talking => Mixer?.Talking ?? false;

    public int Energy => Mixer?.Energy ?? 0;

    public bool HasFloor { get; set; }

    public bool HasVideo { get; }

    /// <summary>This member's video on the room's canvas; null without VP8 video.</summary>
    public VideoSource? Source { get; set; }

    /// <summary>The canvas this member's video is drawn on and which it watches.</summary>
    public VideoCanvas? Canvas { get; set; }

    public bool VideoMuted
    {
        get => _videoMuted;
        set
        {
            _videoMuted = value;
            if (Source is { } source)
            {
                source.Muted = value;
                Canvas?.MarkDirty();
            }
        }
    }

    /// <summary>Whether the member occupies a layer of the canvas.</summary>
    public bool VideoVisible => Source is { Layer: >= 0 };

    public bool HasVideoFloor => Source is { } source && Canvas?.FloorId == source.Id;

    public bool VideoFloorLocked => HasVideoFloor && Canvas!.FloorLocked;

    public int VideoLayerId => Source?.Layer ?? -1;

    public string? ReservationId => Source?.ReservationId;

    public int VolumeIn
    {
        get => Mixer?.VolumeIn ?? 0;
        set => Mixer?.VolumeIn = value;
    }

    public int VolumeOut
    {
        get => Mixer?.VolumeOut ?? 0;
        set => Mixer?.VolumeOut = value;
    }

    public int EnergyThreshold
    {
        get => Mixer?.EnergyThreshold ?? Conference.Profile.EnergyThreshold;
        set => Mixer?.EnergyThreshold = value;
    }

    public void OnAudioFrame(MixerMember member, ReadOnlySpan<byte> payload, int timestampUnits) =>
        Call.Leg?.SendAudio(payload, timestampUnits);

    public void OnTalkingChanged(MixerMember member, bool talking, int energy) =>
        Conference.OnTalkingChanged(this, talking);

    /// <summary>The canvas cannot decode this member's video: ask its browser for a keyframe (the leg rate-limits, and sends PLI and FIR).</summary>
    public void OnKeyframeNeeded(VideoSource source, KeyframeRequestKind kind) => Call.Leg?.RequestKeyFrame();

    public void OnCanvasPacket(ReadOnlySpan<byte> payload, bool marker, uint timestamp) =>
        Call.Leg?.SendVideo(payload, marker, timestamp);
}

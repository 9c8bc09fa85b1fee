namespace MediaServer.Conferences;

/// <summary>
/// conf/conference-profiles.json, loaded: the named profiles and per-room overrides (a room
/// may name its profile and its own PIN). A dialplan rule may name the profile too; the
/// room's own entry wins, because an operator who pins a room means that room.
/// </summary>
public sealed class ConferenceSettings
{
    public ConferenceSettings(IReadOnlyDictionary<string, ConferenceProfile> profiles, IReadOnlyDictionary<string, ConferenceRoomSettings> rooms)
    {
        Profiles = profiles;
        Rooms = rooms;
    }

    /// <summary>Only the default profile: for servers built without a conf folder (tests).</summary>
    public static ConferenceSettings Default { get; } = new(
        new Dictionary<string, ConferenceProfile>(StringComparer.Ordinal) { ["default"] = ConferenceProfile.Default },
        new Dictionary<string, ConferenceRoomSettings>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, ConferenceProfile> Profiles { get; }

    public IReadOnlyDictionary<string, ConferenceRoomSettings> Rooms { get; }

    /// <summary>The profile and PIN of a room: its own entry first, then the rule's profile, then "default".</summary>
    public (ConferenceProfile Profile, string? Pin) Resolve(string room, string? ruleProfile)
    {
        Rooms.TryGetValue(room, out var own);
        var name = own?.Profile ?? ruleProfile ?? "default";
        var profile = Profiles.GetValueOrDefault(name) ?? Profiles.GetValueOrDefault("default") ?? ConferenceProfile.Default;
        return (profile, own?.Pin ?? profile.Pin);
    }
}

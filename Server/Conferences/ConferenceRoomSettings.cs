namespace MediaServer.Conferences;

/// <summary>A room's own entry in conf/conference-profiles.json "rooms": its profile and PIN.</summary>
public sealed record ConferenceRoomSettings(string? Profile, string? Pin);

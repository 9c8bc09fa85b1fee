namespace MediaServer.Mixer.Video;

/// <summary>
/// One image (slot, layer) of a <see cref="VideoLayout"/>, in FreeSWITCH's layout model
/// (conference-layouts.md §1-§2). Position and size are in 360ths of the canvas on each axis;
/// <see cref="TileGeometry"/> turns them into pixels for a given canvas.
/// </summary>
/// <param name="X">Left edge, 0-360.</param>
/// <param name="Y">Top edge, 0-360.</param>
/// <param name="Scale">Width, 1-360.</param>
/// <param name="HScale">Height, 1-360 (the file's default is <paramref name="Scale"/>, already applied here).</param>
/// <param name="Zoom">Crop the picture to fill the slot instead of fitting it inside with bars.</param>
/// <param name="Floor">The video floor holder goes here (others may when the holder is elsewhere).</param>
/// <param name="FloorOnly">Only the floor holder may ever be shown here.</param>
/// <param name="Overlap">Drawn after the other slots, on top of them (picture-in-picture).</param>
/// <param name="ReservationId">Only a member given this id with vid-res-id is placed here.</param>
/// <param name="Border">Border width in pixels; null means the conference's default.</param>
/// <param name="AudioPosition">"x:y:z" for positional audio, "auto" to derive it from the slot's centre, or null.</param>
public sealed record LayoutImage(
    int X,
    int Y,
    int Scale,
    int HScale,
    bool Zoom = false,
    bool Floor = false,
    bool FloorOnly = false,
    bool Overlap = false,
    string? ReservationId = null,
    int? Border = null,
    string? AudioPosition = null)
{
    /// <summary>Floor-only implies floor: either makes this a floor slot.</summary>
    public bool IsFloor => Floor || FloorOnly;
}

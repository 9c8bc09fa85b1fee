using System.Globalization;

namespace MediaServer.Mixer.Video;

/// <summary>
/// A named arrangement of slots on a canvas (conference-layouts.md §3). Immutable, so one
/// instance from the <see cref="LayoutCatalog"/> is shared by every canvas and thread that
/// uses it; the derived values a canvas asks for each time it changes layout (floor slot,
/// reservation ids, audio positions) are worked out once here.
/// </summary>
public sealed class VideoLayout
{
    private readonly LayoutImage[] _images;
    private readonly string?[] _audioPositions;

    public VideoLayout(string name, IEnumerable<LayoutImage> images, bool auto3dPosition = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(images);
        Name = name;
        _images = [.. images];
        if (_images.Length == 0)
        {
            throw new ArgumentException("a layout needs at least one image", nameof(images));
        }

        Auto3dPosition = auto3dPosition;
        FloorIndex = Array.FindLastIndex(_images, image => image.IsFloor);
        ReservationIds = [.. _images.Where(image => image.ReservationId is not null).Select(image => image.ReservationId!)];
        _audioPositions = [.. _images.Select(image => ResolveAudioPosition(image, auto3dPosition))];
    }

    public string Name { get; }

    /// <summary>The slots in layer order (the index is the layer id members report, 0-based).</summary>
    public IReadOnlyList<LayoutImage> Images => _images;

    /// <summary>Every image's audio position comes from its centre unless it gives its own.</summary>
    public bool Auto3dPosition { get; }

    /// <summary>The last image flagged floor or floor-only, or -1: FreeSWITCH's layoutFloorID.</summary>
    public int FloorIndex { get; }

    /// <summary>Reservation ids of the images in image order, images without one left out: list-videoLayouts' resIDS.</summary>
    public IReadOnlyList<string> ReservationIds { get; }

    /// <summary>The "x:y:z" audio position of image <paramref name="index"/>, or null when it has none.</summary>
    public string? AudioPositionOf(int index) => _audioPositions[index];

    public override string ToString() => Name;

    private static string? ResolveAudioPosition(LayoutImage image, bool auto)
    {
        if (image.AudioPosition is { } given && !string.Equals(given, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return given;
        }

        if (!auto && image.AudioPosition is null)
        {
            return null;
        }

        // Centre of the slot mapped to -1..1 across the canvas (left negative) and -1..1 down
        // it (top positive), y (height above the listener) 0: the shape FreeSWITCH reports,
        // e.g. "-0.666667:0.0:0.666667" for the top-left tile of 3x3.
        const double Half = TileGeometry.Units / 2.0;
        var x = (image.X + (image.Scale / 2.0) - Half) / Half;
        var z = (Half - (image.Y + (image.HScale / 2.0))) / Half;
        return string.Create(CultureInfo.InvariantCulture, $"{x:F6}:0.0:{z:F6}");
    }
}

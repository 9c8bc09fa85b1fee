namespace MediaServer.Mixer.Video;

/// <summary>
/// An ordered list of layouts a canvas in automatic mode chooses from as the number of
/// members sending video changes (conference-layouts.md §4). Immutable and shared.
/// </summary>
public sealed class LayoutGroup
{
    /// <summary>How clients name groups: list-videoLayouts shows "group:grid", vid-layout sends it back.</summary>
    public const string ClientPrefix = "group:";

    private readonly VideoLayout[] _layouts;

    public LayoutGroup(string name, IEnumerable<VideoLayout> layouts)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(layouts);
        Name = name;
        _layouts = [.. layouts];
        if (_layouts.Length == 0)
        {
            throw new ArgumentException("a group needs at least one layout", nameof(layouts));
        }
    }

    /// <summary>The group's name without the "group:" prefix, e.g. "grid".</summary>
    public string Name { get; }

    public string ClientName => ClientPrefix + Name;

    public IReadOnlyList<VideoLayout> Layouts => _layouts;

    /// <summary>
    /// FreeSWITCH's rule: the first layout with at least <paramref name="participants"/> slots,
    /// else the largest (last). Reserved and floor-only slots count as slots, so some members
    /// may stay unseen in reservation layouts; that is what FS does too.
    /// </summary>
    public VideoLayout Pick(int participants)
    {
        foreach (var layout in _layouts)
        {
            if (layout.Images.Count >= participants)
            {
                return layout;
            }
        }

        return _layouts[^1];
    }

    public override string ToString() => ClientName;
}

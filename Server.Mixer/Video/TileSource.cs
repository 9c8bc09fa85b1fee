namespace MediaServer.Mixer.Video;

/// <summary>
/// What to show in one slot of a layout for one composed frame: a member's latest picture,
/// or the placeholder when the member has no video, muted it or it stalled. The caller owns
/// <see cref="Picture"/> and must not change it until <see cref="VideoCompositor.Compose"/>
/// returns. Slots without a TileSource show the background.
/// </summary>
public readonly record struct TileSource
{
    public TileSource(int slotIndex, I420Frame? picture, ITileOverlay? overlay = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slotIndex);
        SlotIndex = slotIndex;
        Picture = picture;
        Overlay = overlay;
    }

    /// <summary>The layout image (layer index, 0-based) this source is drawn in.</summary>
    public int SlotIndex { get; init; }

    /// <summary>The picture to scale into the slot; null shows the placeholder.</summary>
    public I420Frame? Picture { get; init; }

    /// <summary>Show the placeholder even though a picture is set (e.g. video muted: the last frame is stale).</summary>
    public bool Placeholder { get; init; }

    /// <summary>Drawn over the tile after the picture and border (a banner); null for none.</summary>
    public ITileOverlay? Overlay { get; init; }

    /// <summary>True when the slot gets the placeholder rather than a picture.</summary>
    public bool ShowsPlaceholder => Placeholder || Picture is null;

    /// <summary>A slot showing the placeholder: a member present without usable video.</summary>
    public static TileSource ForPlaceholder(int slotIndex, ITileOverlay? overlay = null) =>
        new(slotIndex, null, overlay) { Placeholder = true };
}

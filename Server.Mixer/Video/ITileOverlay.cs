namespace MediaServer.Mixer.Video;

/// <summary>
/// Something drawn over a member's tile after its picture and border, e.g. a name banner.
/// The compositor calls <see cref="Draw"/> on the canvas's composing thread once per
/// composed frame for each tile that carries an overlay, overlap tiles last; an
/// implementation must not allocate there (it runs 30 times a second per tile) and may only
/// paint inside <c>tile</c>, which starts on even pixels (the rest of the canvas belongs to
/// other tiles).
/// </summary>
public interface ITileOverlay
{
    /// <param name="canvas">The canvas being composed.</param>
    /// <param name="tile">The tile's painted rectangle on the canvas, border included.</param>
    void Draw(I420Frame canvas, PixelRect tile);
}

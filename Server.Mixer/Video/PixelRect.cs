namespace MediaServer.Mixer.Video;

/// <summary>
/// A rectangle of whole pixels on a picture: left, top, width, height. Right and Bottom are
/// exclusive. Used for a layout slot on a canvas, the part of a source picture to show, and
/// the area an overlay may draw on.
/// </summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public int Area => IsEmpty ? 0 : Width * Height;

    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    /// <summary>True when the two share at least one pixel (touching edges do not count).</summary>
    public bool Intersects(PixelRect other) =>
        !IsEmpty && !other.IsEmpty && X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;

    /// <summary>This rectangle shrunk by <paramref name="amount"/> on every side; empty when nothing is left.</summary>
    public PixelRect Inset(int amount)
    {
        var width = Width - (2 * amount);
        var height = Height - (2 * amount);
        return width <= 0 || height <= 0 ? new PixelRect(X + amount, Y + amount, 0, 0) : new PixelRect(X + amount, Y + amount, width, height);
    }

    public override string ToString() => $"{Width}x{Height}@({X},{Y})";
}

using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// libyuv on <see cref="I420Frame"/>s: scale, copy and fill rectangles of frames, with the
/// bounds and chroma-alignment checks libyuv itself does not make (it would write past a
/// plane or smear a chroma column into the neighbouring tile). Stateless; any thread may
/// call it on frames it owns. The host can call <see cref="EnsureAvailable"/> at start so a
/// missing package fails the start instead of the first composed frame.
/// </summary>
public static unsafe class LibYuv
{
    private const string MissingMessage = "libyuv (Debian package libyuv0) is not installed: apt-get install libyuv0";

    private static readonly NativeLibraryProbe Probe = new(MissingMessage, () =>
    {
        LibYuvNative.InitCpuFlags();
        return "libyuv";
    });

    /// <summary>Loads the library; cheap after the first call.</summary>
    /// <exception cref="NativeLibraryMissingException">The shared library or one of its symbols is missing.</exception>
    public static void EnsureAvailable() => Probe.Ensure();

    /// <summary>
    /// Scales <paramref name="sourceRect"/> of <paramref name="source"/> into
    /// <paramref name="destinationRect"/> of <paramref name="destination"/>, in place: no
    /// intermediate buffer. Both rectangles start on even pixels; the destination's sizes are
    /// even unless it ends on the frame's edge.
    /// </summary>
    public static void Scale(I420Frame source, PixelRect sourceRect, I420Frame destination, PixelRect destinationRect, ScaleFilter filter)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        CheckRect(source, sourceRect, nameof(sourceRect), evenSize: false);
        CheckRect(destination, destinationRect, nameof(destinationRect), evenSize: true);
        fixed (byte* src = source.Data)
        fixed (byte* dst = destination.Data)
        {
            var result = LibYuvNative.I420Scale(
                src + PlaneOffsetY(source, sourceRect),
                source.StrideY,
                src + PlaneOffsetU(source, sourceRect),
                source.StrideUV,
                src + PlaneOffsetV(source, sourceRect),
                source.StrideUV,
                sourceRect.Width,
                sourceRect.Height,
                dst + PlaneOffsetY(destination, destinationRect),
                destination.StrideY,
                dst + PlaneOffsetU(destination, destinationRect),
                destination.StrideUV,
                dst + PlaneOffsetV(destination, destinationRect),
                destination.StrideUV,
                destinationRect.Width,
                destinationRect.Height,
                (int)filter);
            if (result != 0)
            {
                throw new InvalidOperationException($"I420Scale {sourceRect} -> {destinationRect} failed ({result})");
            }
        }
    }

    /// <summary>Copies <paramref name="sourceRect"/> of <paramref name="source"/> to the same-sized rectangle at (<paramref name="x"/>, <paramref name="y"/>) of <paramref name="destination"/>.</summary>
    public static void Copy(I420Frame source, PixelRect sourceRect, I420Frame destination, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var destinationRect = sourceRect with { X = x, Y = y };
        CheckRect(source, sourceRect, nameof(sourceRect), evenSize: false);
        CheckRect(destination, destinationRect, nameof(x), evenSize: true);
        fixed (byte* src = source.Data)
        fixed (byte* dst = destination.Data)
        {
            var result = LibYuvNative.I420Copy(
                src + PlaneOffsetY(source, sourceRect),
                source.StrideY,
                src + PlaneOffsetU(source, sourceRect),
                source.StrideUV,
                src + PlaneOffsetV(source, sourceRect),
                source.StrideUV,
                dst + PlaneOffsetY(destination, destinationRect),
                destination.StrideY,
                dst + PlaneOffsetU(destination, destinationRect),
                destination.StrideUV,
                dst + PlaneOffsetV(destination, destinationRect),
                destination.StrideUV,
                sourceRect.Width,
                sourceRect.Height);
            if (result != 0)
            {
                throw new InvalidOperationException($"I420Copy {sourceRect} -> {destinationRect} failed ({result})");
            }
        }
    }

    /// <summary>Paints <paramref name="rect"/> of <paramref name="frame"/> one colour; an empty rectangle is a no-op.</summary>
    public static void Fill(I420Frame frame, PixelRect rect, YuvColor color)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (rect.IsEmpty)
        {
            return;
        }

        CheckRect(frame, rect, nameof(rect), evenSize: true);
        fixed (byte* data = frame.Data)
        {
            var result = LibYuvNative.I420Rect(
                data,
                frame.StrideY,
                data + frame.OffsetU,
                frame.StrideUV,
                data + frame.OffsetV,
                frame.StrideUV,
                rect.X,
                rect.Y,
                rect.Width,
                rect.Height,
                color.Y,
                color.U,
                color.V);
            if (result != 0)
            {
                throw new InvalidOperationException($"I420Rect {rect} failed ({result})");
            }
        }
    }

    private static int PlaneOffsetY(I420Frame frame, PixelRect rect) => (rect.Y * frame.StrideY) + rect.X;

    private static int PlaneOffsetU(I420Frame frame, PixelRect rect) => frame.OffsetU + (rect.Y / 2 * frame.StrideUV) + (rect.X / 2);

    private static int PlaneOffsetV(I420Frame frame, PixelRect rect) => frame.OffsetV + (rect.Y / 2 * frame.StrideUV) + (rect.X / 2);

    /// <summary>
    /// A rectangle libyuv may touch: inside the frame, starting on even pixels (else its chroma
    /// would start half a sample early) and, when written, of even size unless it ends on the
    /// frame's edge (else the (n+1)/2 chroma samples written would reach into the next tile).
    /// </summary>
    private static void CheckRect(I420Frame frame, PixelRect rect, string name, bool evenSize)
    {
        if (rect.Width < 1 || rect.Height < 1 || rect.X < 0 || rect.Y < 0 || rect.Right > frame.Width || rect.Bottom > frame.Height)
        {
            throw new ArgumentOutOfRangeException(name, $"{rect} is not inside the {frame.Width}x{frame.Height} frame");
        }

        if (((rect.X | rect.Y) & 1) != 0)
        {
            throw new ArgumentException($"{rect} must start on even pixels (I420 chroma is subsampled 2x2)", name);
        }

        if (evenSize && (((rect.Width & 1) != 0 && rect.Right != frame.Width) || ((rect.Height & 1) != 0 && rect.Bottom != frame.Height)))
        {
            throw new ArgumentException($"{rect} must have even sizes unless it ends on the frame's edge", name);
        }
    }
}

using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Video;

/// <summary>
/// One I420 (YUV 4:2:0 planar) picture in a single pinned buffer: the Y plane, then U, then
/// V, each row padded to a 32-byte stride so SIMD code and libvpx/libyuv can work on whole
/// vectors. Pinned because native code reads and writes it directly. Not thread-safe: one
/// thread fills it, others read it only after handing over.
/// </summary>
public sealed class I420Frame
{
    private const int Alignment = 32;

    public I420Frame(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        Width = width;
        Height = height;
        ChromaWidth = (width + 1) / 2;
        ChromaHeight = (height + 1) / 2;
        StrideY = Align(width);
        StrideUV = Align(ChromaWidth);
        Data = GC.AllocateArray<byte>((StrideY * height) + (2 * StrideUV * ChromaHeight), pinned: true);
    }

    public int Width { get; }

    public int Height { get; }

    public int ChromaWidth { get; }

    public int ChromaHeight { get; }

    public int StrideY { get; }

    public int StrideUV { get; }

    /// <summary>Y, then U, then V; pinned for the frame's life.</summary>
    public byte[] Data { get; }

    public int OffsetU => StrideY * Height;

    public int OffsetV => OffsetU + (StrideUV * ChromaHeight);

    public Span<byte> Y => Data.AsSpan(0, OffsetU);

    public Span<byte> U => Data.AsSpan(OffsetU, StrideUV * ChromaHeight);

    public Span<byte> V => Data.AsSpan(OffsetV, StrideUV * ChromaHeight);

    /// <summary>Where the buffer lives, for native calls (valid as long as the frame: the array is pinned).</summary>
    public nint Address => Marshal.UnsafeAddrOfPinnedArrayElement(Data, 0);

    public nint AddressY => Address;

    public nint AddressU => Address + OffsetU;

    public nint AddressV => Address + OffsetV;

    /// <summary>When the picture was captured or decoded (the owner's clock), e.g. to spot a stalled source.</summary>
    public long TimestampMs { get; set; }

    /// <summary>Paints the whole picture one colour (Y, U, V values; black is 16, 128, 128).</summary>
    public void Fill(byte y, byte u, byte v)
    {
        Y.Fill(y);
        U.Fill(u);
        V.Fill(v);
    }

    private static int Align(int value) => (value + Alignment - 1) / Alignment * Alignment;
}

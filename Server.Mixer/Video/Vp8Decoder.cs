using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Video;

/// <summary>
/// VP8 decoder (libvpx) for one member's video. Pictures are copied out of libvpx into frames
/// from a small pool the decoder owns, sized to the stream (a new size on a keyframe simply
/// rents frames of that size). A picture belongs to the caller until it hands it back with
/// <see cref="Release"/>, typically when a newer picture replaces it as the member's latest;
/// with every picture released the decoder allocates nothing in steady state. Bad data never
/// throws: it comes back as <see cref="Vp8DecodeResult.Corrupt"/>, the cue to ask the sender
/// for a keyframe. Used by one thread (the member's video path); <see cref="Release"/> may be
/// called from any thread.
/// </summary>
public sealed unsafe class Vp8Decoder : IDisposable
{
    /// <summary>The latest picture held by the member, one being composed, one being decoded.</summary>
    public const int DefaultPoolCapacity = 3;

    private readonly VpxCodecHandle _codec;
    private readonly I420FramePool _pool;

    public Vp8Decoder(int poolCapacity = DefaultPoolCapacity, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        LibVpx.EnsureAvailable();
        _pool = new I420FramePool(poolCapacity);
        _codec = VpxCodecHandle.Allocate(sizeof(VpxDecoderConfig));
        var config = (VpxDecoderConfig*)_codec.Config;
        config->Threads = (uint)threads;

        // No VPX_CODEC_USE_ERROR_CONCEALMENT: a frame built on a lost one is reported corrupt
        // and the member's tile keeps its last good picture until the keyframe we ask for.
        var result = LibVpxNative.DecoderInit(_codec, LibVpxNative.Vp8DecoderInterface(), config, default, LibVpxNative.DecoderAbiVersion);
        if (result != LibVpxNative.Ok)
        {
            _codec.Dispose();
            throw new InvalidOperationException($"vpx_codec_dec_init_ver failed: {LibVpx.ErrorText(result)}.");
        }
    }

    /// <summary>Width of the last decoded picture; 0 before the first.</summary>
    public int Width { get; private set; }

    /// <summary>Height of the last decoded picture; 0 before the first.</summary>
    public int Height { get; private set; }

    /// <summary>Pictures handed out and not yet released.</summary>
    public int PicturesOutstanding => _pool.Outstanding;

    /// <summary>
    /// Decodes one complete VP8 frame. On <see cref="Vp8DecodeResult.Decoded"/>,
    /// <paramref name="picture"/> is a copy the caller owns until <see cref="Release"/>; otherwise
    /// it is null. <see cref="Vp8DecodeResult.NoPicture"/> also means every pool frame is still
    /// out (the decoder's state still advanced; release pictures to get the next one).
    /// </summary>
    public Vp8DecodeResult Decode(ReadOnlySpan<byte> frame, out I420Frame? picture)
    {
        ObjectDisposedException.ThrowIf(_codec.IsClosed, this);
        picture = null;

        // An empty buffer would be libvpx's "flush" call, not a frame.
        if (frame.IsEmpty)
        {
            return Vp8DecodeResult.Corrupt;
        }

        int result;
        fixed (byte* data = frame)
        {
            result = LibVpxNative.Decode(_codec, data, (uint)frame.Length, 0, default);
        }

        if (result != LibVpxNative.Ok)
        {
            return Vp8DecodeResult.Corrupt;
        }

        // The decoder marks a picture corrupt when it (or a reference it predicts from) was
        // damaged; showing it would smear garbage over the tile until the next keyframe.
        int corrupted;
        if (LibVpxNative.Control(_codec, LibVpxNative.Vp8dGetFrameCorrupted, &corrupted) == LibVpxNative.Ok && corrupted != 0)
        {
            return Vp8DecodeResult.Corrupt;
        }

        nint iterator = 0;
        var image = LibVpxNative.GetFrame(_codec, &iterator);
        if (image == null)
        {
            return Vp8DecodeResult.NoPicture;
        }

        if (image->Format != LibVpxNative.ImageFormatI420 || image->DisplayWidth < 2 || image->DisplayHeight < 2)
        {
            return Vp8DecodeResult.Corrupt;
        }

        var width = (int)image->DisplayWidth;
        var height = (int)image->DisplayHeight;
        Width = width;
        Height = height;
        var copy = _pool.Rent(width, height);
        if (copy is null)
        {
            return Vp8DecodeResult.NoPicture;
        }

        CopyPlane(image->PlaneY, image->Stride[0], copy.Y, copy.StrideY, width, height);
        CopyPlane(image->PlaneU, image->Stride[1], copy.U, copy.StrideUV, copy.ChromaWidth, copy.ChromaHeight);
        CopyPlane(image->PlaneV, image->Stride[2], copy.V, copy.StrideUV, copy.ChromaWidth, copy.ChromaHeight);
        picture = copy;
        return Vp8DecodeResult.Decoded;
    }

    /// <summary>Gives a picture from <see cref="Decode"/> back to the pool. Any thread; once per picture.</summary>
    public void Release(I420Frame picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        _pool.Return(picture);
    }

    public void Dispose() => _codec.Dispose();

    private static void CopyPlane(byte* source, int sourceStride, Span<byte> destination, int destinationStride, int width, int height)
    {
        for (var row = 0; row < height; row++)
        {
            new ReadOnlySpan<byte>(source + ((nint)row * sourceStride), width).CopyTo(destination.Slice(row * destinationStride, width));
        }
    }
}

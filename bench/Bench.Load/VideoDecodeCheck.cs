using MediaServer.Mixer.Video;

namespace MediaServer.Bench.Load;

/// <summary>
/// Proves the canvas one member receives is real VP8 of the canvas size: reassembles every
/// frame (the mixer's own <see cref="Vp8Depacketizer"/>) and decodes a window of frames after
/// each keyframe with libvpx. VP8 deltas need every frame since the keyframe, so the sample
/// is taken in windows rather than one frame in N; decoding the whole 720p stream of even two
/// members would cost the client a good part of a core on the machine the server is measured
/// on. The canvas sends a keyframe when a watcher joins, when one asks, and every 300 frames,
/// so windows come every few seconds. Owned by one <see cref="VideoTrack"/>; receive loop
/// thread only, the sampler reads the counters.
/// </summary>
internal sealed class VideoDecodeCheck : IDisposable
{
    private readonly Vp8Depacketizer _depacketizer;
    private readonly Vp8Decoder _decoder = new(poolCapacity: 1);
    private readonly byte[] _frame;
    private readonly int _windowFrames;
    private int _remaining;
    private long _decoded;
    private long _errors;
    private long _keyframes;
    private long _keyframeRequests;
    private int _width;
    private int _height;

    public VideoDecodeCheck(int windowFrames)
    {
        _windowFrames = windowFrames;
        // The depacketizer asks for keyframes after a loss; the server sends them on its own
        // schedule anyway, and a load client that asked would make the canvas encode more.
        _depacketizer = new Vp8Depacketizer(_ => Volatile.Write(ref _keyframeRequests, _keyframeRequests + 1));
        _frame = new byte[_depacketizer.MaxFrameLength];
    }

    public long Decoded => Volatile.Read(ref _decoded);

    /// <summary>Frames libvpx called corrupt, or that decoded to no picture.</summary>
    public long Errors => Volatile.Read(ref _errors);

    public long Keyframes => Volatile.Read(ref _keyframes);

    /// <summary>Frames the depacketizer gave up (incomplete, or skipped while waiting for a keyframe).</summary>
    public long FramesDropped => _depacketizer.FramesDropped;

    /// <summary>Times the depacketizer would have asked for a keyframe (loss).</summary>
    public long KeyframeRequests => Volatile.Read(ref _keyframeRequests);

    /// <summary>The size of the last decoded picture, 0 x 0 before the first.</summary>
    public (int Width, int Height) Size => (Volatile.Read(ref _width), Volatile.Read(ref _height));

    /// <summary>One decrypted RTP payload of the canvas stream.</summary>
    public void Push(ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, bool marker, long nowMs)
    {
        _depacketizer.Push(payload, sequence, timestamp, marker, nowMs);
        while (_depacketizer.TryTakeFrame(_frame, out int length, out bool keyframe, out _))
        {
            if (keyframe)
            {
                Volatile.Write(ref _keyframes, _keyframes + 1);
                _remaining = _windowFrames;
            }
            if (_remaining <= 0)
            {
                continue;
            }
            _remaining--;
            Vp8DecodeResult result = _decoder.Decode(_frame.AsSpan(0, length), out I420Frame? picture);
            if (result == Vp8DecodeResult.Decoded && picture is not null)
            {
                Volatile.Write(ref _width, picture.Width);
                Volatile.Write(ref _height, picture.Height);
                _decoder.Release(picture);
                Volatile.Write(ref _decoded, _decoded + 1);
            }
            else
            {
                Volatile.Write(ref _errors, _errors + 1);
                // The rest of the window would only repeat the complaint until the next keyframe.
                _remaining = 0;
            }
        }
    }

    public void Dispose() => _decoder.Dispose();
}

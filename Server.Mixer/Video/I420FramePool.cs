namespace MediaServer.Mixer.Video;

/// <summary>
/// A bounded pool of I420 frames, so decoding and composing reuse a few large buffers instead
/// of allocating per frame. Frames of any size may be rented; a returned frame is kept for
/// the next rent of the same size. At most <see cref="Capacity"/> frames exist at once; a rent
/// beyond that returns null (the caller skips a frame rather than let memory grow).
/// Thread-safe.
/// </summary>
public sealed class I420FramePool
{
    private readonly Lock _gate = new();
    private readonly List<I420Frame> _free = [];
    private int _outstanding;

    public I420FramePool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Frames rented and not yet returned.</summary>
    public int Outstanding
    {
        get
        {
            lock (_gate)
            {
                return _outstanding;
            }
        }
    }

    public I420Frame? Rent(int width, int height)
    {
        lock (_gate)
        {
            for (var i = _free.Count - 1; i >= 0; i--)
            {
                var frame = _free[i];
                if (frame.Width == width && frame.Height == height)
                {
                    _free.RemoveAt(i);
                    _outstanding++;
                    return frame;
                }
            }

            if (_outstanding + _free.Count >= Capacity)
            {
                if (_free.Count == 0)
                {
                    return null;
                }

                // Full of frames of other sizes: drop the oldest free one to make room.
                _free.RemoveAt(0);
            }

            _outstanding++;
        }

        return new I420Frame(width, height);
    }

    public void Return(I420Frame frame)
    {
        lock (_gate)
        {
            _outstanding--;
            _free.Add(frame);
        }
    }
}

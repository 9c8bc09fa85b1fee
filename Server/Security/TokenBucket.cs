namespace MediaServer.Security;

/// <summary>
/// A token bucket for one connection's message rate. Not thread-safe: each connection
/// processes its frames in order on one logical thread.
/// </summary>
public struct TokenBucket
{
    private readonly double _ratePerMs;
    private readonly double _capacity;
    private double _tokens;
    private long _lastMs;

    public TokenBucket(int perSecond, int burst, long nowMs)
    {
        _ratePerMs = perSecond / 1000.0;
        _capacity = Math.Max(1, burst);
        _tokens = _capacity;
        _lastMs = nowMs;
    }

    /// <summary>Takes one token; false when the bucket is empty.</summary>
    public bool TryTake(long nowMs)
    {
        var elapsed = nowMs - _lastMs;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _ratePerMs));
            _lastMs = nowMs;
        }

        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        return false;
    }
}

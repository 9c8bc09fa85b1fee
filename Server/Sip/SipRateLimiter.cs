using System.Net;

namespace MediaServer.Sip;

/// <summary>
/// A token bucket per source address: a flood from one address is dropped before it costs
/// a parse, while every other address keeps its own budget. Buckets of quiet addresses are
/// forgotten so the table stays bounded. Used only on the stack's worker.
/// </summary>
internal sealed class SipRateLimiter
{
    private const int MaxAddresses = 10_000;
    private readonly Dictionary<IPAddress, (double Tokens, long AtMs)> _buckets = new();
    private readonly double _perSecond;
    private readonly double _burst;

    public SipRateLimiter(double perSecond, double burst)
    {
        _perSecond = perSecond;
        _burst = burst;
    }

    public bool Allow(IPAddress address, long nowMs)
    {
        if (!_buckets.TryGetValue(address, out var bucket))
        {
            if (_buckets.Count >= MaxAddresses)
            {
                Prune(nowMs);
            }

            bucket = (_burst, nowMs);
        }

        var tokens = Math.Min(_burst, bucket.Tokens + ((nowMs - bucket.AtMs) * _perSecond / 1000));
        var allowed = tokens >= 1;
        _buckets[address] = (allowed ? tokens - 1 : tokens, nowMs);
        return allowed;
    }

    private void Prune(long nowMs)
    {
        // Full buckets are the same as no bucket: forget them.
        foreach (var (address, bucket) in _buckets.ToList())
        {
            if (bucket.Tokens + ((nowMs - bucket.AtMs) * _perSecond / 1000) >= _burst)
            {
                _buckets.Remove(address);
            }
        }
    }
}

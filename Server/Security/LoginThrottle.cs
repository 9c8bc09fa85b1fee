using System.Collections.Concurrent;
using System.Net;

namespace MediaServer.Security;

/// <summary>
/// Per-IP lockout after repeated failed logins: more than the allowed failures within the
/// window locks the address out for the lockout time. Thread-safe; entries expire by themselves.
/// </summary>
public sealed class LoginThrottle
{
    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private readonly int _maxFailures;
    private readonly long _windowMs;
    private readonly long _lockoutMs;

    public LoginThrottle(int maxFailures, int windowSeconds, int lockoutSeconds)
    {
        _maxFailures = maxFailures;
        _windowMs = windowSeconds * 1000L;
        _lockoutMs = lockoutSeconds * 1000L;
    }

    /// <summary>True while the address is locked out.</summary>
    public bool IsLocked(IPAddress address, long nowMs)
    {
        return _entries.TryGetValue(address, out var entry) && entry.IsLocked(nowMs);
    }

    /// <summary>Counts one failure; returns true when this failure locked the address.</summary>
    public bool RecordFailure(IPAddress address, long nowMs)
    {
        var entry = _entries.GetOrAdd(address, _ => new Entry());
        return entry.Fail(nowMs, _maxFailures, _windowMs, _lockoutMs);
    }

    /// <summary>Forgets entries that are neither locked nor inside a window, so the table stays small.</summary>
    public void Sweep(long nowMs)
    {
        foreach (var (address, entry) in _entries)
        {
            if (entry.IsIdle(nowMs, _windowMs))
            {
                _entries.TryRemove(new KeyValuePair<IPAddress, Entry>(address, entry));
            }
        }
    }

    public int TrackedAddresses => _entries.Count;

    private sealed class Entry
    {
        private int _failures;
        private long _windowStart;
        private long _lockedUntil;

        public bool IsLocked(long now)
        {
            lock (this)
            {
                return now < _lockedUntil;
            }
        }

        public bool IsIdle(long now, long window)
        {
            lock (this)
            {
                return now >= _lockedUntil && now - _windowStart > window;
            }
        }

        public bool Fail(long now, int max, long window, long lockout)
        {
            lock (this)
            {
                if (now - _windowStart > window)
                {
                    _windowStart = now;
                    _failures = 0;
                }

                _failures++;
                if (_failures >= max && now >= _lockedUntil)
                {
                    _lockedUntil = now + lockout;
                    _failures = 0;
                    _windowStart = now;
                    return true;
                }

                return false;
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Net;

namespace MediaServer.Security;

/// <summary>
/// Brute-force protection shared by Verto logins, SIP digest auth and the admin endpoint.
/// <list type="bullet">
/// <item>Per account (<c>user@domain</c>): that many failures within the window lock the account
/// for everyone, the right password included, for the lockout time. An attacker spread over
/// many addresses cannot keep guessing one password.</item>
/// <item>Per (address, account): the same count, kept apart so that the owner's successful login
/// (which clears the account-wide count) does not clear the count of whoever keeps guessing.</item>
/// <item>Per address: failures are limited in <em>rate</em> (a token bucket), not locked out, so one
/// attacker behind a shared NAT cannot lock every other user there out and still cannot guess fast.</item>
/// </list>
/// Thread-safe; idle entries are forgotten by <see cref="Sweep"/>.
/// </summary>
public sealed class LoginThrottle
{
    private readonly ConcurrentDictionary<string, FailureCount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(IPAddress Address, string Account), FailureCount> _pairs = new();
    private readonly ConcurrentDictionary<IPAddress, FailureRate> _addresses = new();
    private readonly int _maxFailures;
    private readonly long _windowMs;
    private readonly long _lockoutMs;
    private readonly int _failuresPerSecondPerAddress;

    public LoginThrottle(int maxFailures, int windowSeconds, int lockoutSeconds, int failuresPerSecondPerAddress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lockoutSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresPerSecondPerAddress, 1);
        _maxFailures = maxFailures;
        _windowMs = windowSeconds * 1000L;
        _lockoutMs = lockoutSeconds * 1000L;
        _failuresPerSecondPerAddress = failuresPerSecondPerAddress;
    }

    /// <summary>The canonical account key: user ids and domains compare without case, as the directory does.</summary>
    public static string AccountKey(string userId, string domain) =>
        string.Concat(userId, "@", domain).ToLowerInvariant();

    /// <summary>
    /// Whether an attempt may be checked at all. Asked before the password is looked at, so a
    /// refused attempt tells nothing about whether its password was right.
    /// </summary>
    public LoginRefusal Check(IPAddress address, string account, long nowMs)
    {
        if (_accounts.TryGetValue(account, out var byAccount) && byAccount.IsLocked(nowMs))
        {
            return LoginRefusal.AccountLocked;
        }

        if (_pairs.TryGetValue((address, account), out var byPair) && byPair.IsLocked(nowMs))
        {
            return LoginRefusal.AccountLocked;
        }

        if (_addresses.TryGetValue(address, out var rate) && !rate.HasRoom(nowMs))
        {
            return LoginRefusal.AddressTooFast;
        }

        return LoginRefusal.None;
    }

    /// <summary>Counts one failed attempt; returns true when it locked the account (for everyone or for this address).</summary>
    public bool RecordFailure(IPAddress address, string account, long nowMs)
    {
        _addresses.GetOrAdd(address, static (_, state) => new FailureRate(state.Rate, state.Now), (Rate: _failuresPerSecondPerAddress, Now: nowMs)).Take(nowMs);
        var lockedPair = _pairs.GetOrAdd((address, account), static _ => new FailureCount()).Fail(nowMs, _maxFailures, _windowMs, _lockoutMs);
        var lockedAccount = _accounts.GetOrAdd(account, static _ => new FailureCount()).Fail(nowMs, _maxFailures, _windowMs, _lockoutMs);
        return lockedPair || lockedAccount;
    }

    /// <summary>
    /// The owner got in: their earlier typos no longer count towards the account-wide lockout.
    /// Other addresses' counts for the account stay, so an attacker gains nothing by it.
    /// </summary>
    public void RecordSuccess(IPAddress address, string account)
    {
        if (_accounts.TryGetValue(account, out var byAccount))
        {
            byAccount.Clear();
        }

        if (_pairs.TryGetValue((address, account), out var byPair))
        {
            byPair.Clear();
        }
    }

    /// <summary>Forgets entries that are neither locked nor inside a window, so the tables stay small.</summary>
    public void Sweep(long nowMs)
    {
        foreach (var (account, entry) in _accounts)
        {
            if (entry.IsIdle(nowMs, _windowMs))
            {
                _accounts.TryRemove(new KeyValuePair<string, FailureCount>(account, entry));
            }
        }

        foreach (var (pair, entry) in _pairs)
        {
            if (entry.IsIdle(nowMs, _windowMs))
            {
                _pairs.TryRemove(new KeyValuePair<(IPAddress, string), FailureCount>(pair, entry));
            }
        }

        foreach (var (address, rate) in _addresses)
        {
            if (rate.IsFull(nowMs))
            {
                _addresses.TryRemove(new KeyValuePair<IPAddress, FailureRate>(address, rate));
            }
        }
    }

    public int TrackedAccounts => _accounts.Count;

    public int TrackedAddresses => _addresses.Count;

    /// <summary>Failures in a fixed window and the lockout they caused.</summary>
    private sealed class FailureCount
    {
        private readonly Lock _lock = new();
        private int _failures;
        private long _windowStart;
        private long _lockedUntil;

        public bool IsLocked(long now)
        {
            lock (_lock)
            {
                return now < _lockedUntil;
            }
        }

        public bool IsIdle(long now, long window)
        {
            lock (_lock)
            {
                return now >= _lockedUntil && now - _windowStart > window;
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _failures = 0;
            }
        }

        public bool Fail(long now, int max, long window, long lockout)
        {
            lock (_lock)
            {
                if (now < _lockedUntil)
                {
                    // Already locked: failures during the lockout do not extend it, so the owner knows when to retry.
                    return false;
                }

                if (_failures == 0 || now - _windowStart > window)
                {
                    _windowStart = now;
                    _failures = 0;
                }

                _failures++;
                if (_failures >= max)
                {
                    _lockedUntil = now + lockout;
                    _failures = 0;
                    return true;
                }

                return false;
            }
        }
    }

    /// <summary>A token bucket of failed attempts for one address: the rate per second, with a burst of one second's worth.</summary>
    private sealed class FailureRate
    {
        private readonly Lock _lock = new();
        private readonly double _perMs;
        private readonly double _capacity;
        private double _tokens;
        private long _lastMs;

        public FailureRate(int perSecond, long now)
        {
            _perMs = perSecond / 1000.0;
            _capacity = perSecond;
            _tokens = _capacity;
            _lastMs = now;
        }

        public bool HasRoom(long now)
        {
            lock (_lock)
            {
                Refill(now);
                return _tokens >= 1;
            }
        }

        public bool IsFull(long now)
        {
            lock (_lock)
            {
                Refill(now);
                return _tokens >= _capacity;
            }
        }

        /// <summary>
        /// Takes a token for a failure that was already let through. Several attempts can pass
        /// <see cref="HasRoom"/> at once, so the bucket may go below zero; that debt delays the
        /// next attempts instead of being forgotten.
        /// </summary>
        public void Take(long now)
        {
            lock (_lock)
            {
                Refill(now);
                _tokens = Math.Max(_tokens - 1, -_capacity);
            }
        }

        private void Refill(long now)
        {
            var elapsed = now - _lastMs;
            if (elapsed > 0)
            {
                _tokens = Math.Min(_capacity, _tokens + (elapsed * _perMs));
                _lastMs = now;
            }
        }
    }
}

namespace MediaServer.Sip;

/// <summary>
/// A phone caller keying a room's PIN: digits until # (or as many as the PIN has), three
/// tries, a minute in all. Verto callers give the PIN in dialogParams; phones can only dial it.
/// </summary>
internal sealed class SipPinEntry
{
    private const int Tries = 3;
    private const long TimeLimitMs = 60_000;
    private readonly string _pin;
    private readonly long _startedMs;
    private readonly System.Text.StringBuilder _digits = new();
    private int _tries;

    public SipPinEntry(string pin, long nowMs)
    {
        _pin = pin;
        _startedMs = nowMs;
    }

    /// <summary>Adds a digit; returns the PIN once it was keyed right, else null (a wrong PIN starts over).</summary>
    public string? Add(char digit)
    {
        if (digit == '#' || _digits.Length >= _pin.Length)
        {
            return Check();
        }

        _digits.Append(digit);
        return _digits.Length == _pin.Length ? Check() : null;
    }

    /// <summary>Out of time or out of tries: the call ends.</summary>
    public bool ExpiredAt(long nowMs) => _tries >= Tries || nowMs - _startedMs > TimeLimitMs;

    private string? Check()
    {
        var keyed = _digits.ToString();
        _digits.Clear();
        if (keyed == _pin)
        {
            return keyed;
        }

        _tries++;
        return null;
    }
}

using MediaServer.Protocol.Payload;

namespace MediaServer.Media;

/// <summary>
/// Turns a stream of RFC 4733 telephone-event packets into key presses. An event is one RTP
/// timestamp (§2.5.1.1: every packet of an event carries the timestamp of its start); the
/// sender repeats it while the key is down and sends the end packet three times (§2.5.1.4), so
/// a digit is reported once, at the first end packet of its timestamp. An event whose end
/// packets were all lost is reported when the next event starts. Late packets of an older
/// event are ignored. Used by one receive thread at a time (the leg's RTP path); not thread-safe.
/// </summary>
internal sealed class TelephoneEventReceiver
{
    private bool _active;
    private bool _reported;
    private uint _ssrc;
    private uint _timestamp;
    private byte _event;

    /// <summary>
    /// One telephone-event payload. Writes the digits it completes (0, 1, or 2 when a lost end
    /// is discovered together with a complete new event) to <paramref name="digits"/> (room for
    /// 2) and returns how many. Events other than 0-15 (flash, tones) complete no digit.
    /// </summary>
    public int OnPacket(uint ssrc, uint timestamp, ReadOnlySpan<byte> payload, Span<char> digits)
    {
        if (!TelephoneEvent.TryParse(payload, out var ev))
        {
            return 0;
        }

        var count = 0;
        // A different key with the same timestamp is a new event too: replayed recordings
        // (SIPp's DTMF pcaps) all start at the same timestamp, and one key cannot become another.
        if (!_active || ssrc != _ssrc || timestamp != _timestamp || ev.Event != _event)
        {
            if (_active && ssrc == _ssrc && (int)(timestamp - _timestamp) < 0)
            {
                return 0;
            }

            if (_active && !_reported && ssrc == _ssrc && TelephoneEvent.ToDigit(_event) is { } lost)
            {
                digits[count++] = lost;
            }

            _active = true;
            _reported = false;
            _ssrc = ssrc;
            _timestamp = timestamp;
            _event = ev.Event;
        }

        if (ev.End && !_reported)
        {
            _reported = true;
            if (TelephoneEvent.ToDigit(_event) is { } digit)
            {
                digits[count++] = digit;
            }
        }

        return count;
    }
}

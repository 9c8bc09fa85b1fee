using System.Buffers.Binary;

namespace MediaServer.Protocol.Payload;

/// <summary>
/// One named telephone event (DTMF) payload, RFC 4733 §2.3:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     event     |E|R| volume    |          duration             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Events 0-9 are the digits, 10 '*', 11 '#', 12-15 'A'-'D' (§3.2). Volume is in -dBm0
/// (0-63); duration in RTP timestamp units since the event began. A plain value.
/// </summary>
public readonly struct TelephoneEvent : IEquatable<TelephoneEvent>
{
    public const int Size = 4;
    public const byte MaxVolume = 63;

    /// <param name="volume">0-63; larger values throw.</param>
    public TelephoneEvent(byte eventCode, bool end, byte volume, ushort duration)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, MaxVolume);
        Event = eventCode;
        End = end;
        Volume = volume;
        Duration = duration;
    }

    public byte Event { get; }

    /// <summary>E: set on the final packets of an event (sent three times, §2.5.1.4).</summary>
    public bool End { get; }

    public byte Volume { get; }

    public ushort Duration { get; }

    public static bool operator ==(TelephoneEvent left, TelephoneEvent right) => left.Equals(right);

    public static bool operator !=(TelephoneEvent left, TelephoneEvent right) => !left.Equals(right);

    /// <summary>
    /// Reads the first 4 bytes; false only if there are fewer. The reserved R bit is ignored as
    /// §2.3 asks; bytes after the first event (more events of a redundant payload) are not read.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent ev)
    {
        if (payload.Length < Size)
        {
            ev = default;
            return false;
        }

        ev = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>The character for events 0-15 (0-9, *, #, A-D); null for any other event.</summary>
    public static char? ToDigit(int ev) => ev switch
    {
        >= 0 and <= 9 => (char)('0' + ev),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + ev - 12),
        _ => null,
    };

    /// <summary>The event code for 0-9, *, #, A-D (a-d too); null for anything else.</summary>
    public static int? FromDigit(char digit) => digit switch
    {
        >= '0' and <= '9' => digit - '0',
        '*' => 10,
        '#' => 11,
        >= 'A' and <= 'D' => 12 + digit - 'A',
        >= 'a' and <= 'd' => 12 + digit - 'a',
        _ => null,
    };

    /// <summary>Writes the 4 bytes, R as 0. False if <paramref name="destination"/> is shorter.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (destination.Length < Size)
        {
            written = 0;
            return false;
        }

        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | Volume);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
        written = Size;
        return true;
    }

    public bool Equals(TelephoneEvent other) =>
        Event == other.Event && End == other.End && Volume == other.Volume && Duration == other.Duration;

    public override bool Equals(object? obj) => obj is TelephoneEvent other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Event, End, Volume, Duration);
}

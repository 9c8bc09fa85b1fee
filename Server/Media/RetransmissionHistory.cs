namespace MediaServer.Media;

/// <summary>
/// The last packets sent on one outbound video stream, kept in plain (unprotected) form so
/// a generic NACK (RFC 4585 §6.2.1) can be answered by protecting and sending the copy again.
/// Slots are preallocated, indexed by sequence number: no allocation per packet. Used only
/// on the media endpoint's receive thread.
/// </summary>
internal sealed class RetransmissionHistory
{
    /// <summary>About 1.5 s of 720p video: NACKs for older packets come too late to help the picture.</summary>
    public const int Slots = 512;

    private const int MaxPacket = MediaEndpoint.BufferSize;

    private readonly byte[] _data = new byte[Slots * MaxPacket];
    private readonly int[] _lengths = new int[Slots];
    private readonly int[] _sequence = new int[Slots];

    public RetransmissionHistory()
    {
        Array.Fill(_sequence, -1);
    }

    public void Store(ushort sequenceNumber, ReadOnlySpan<byte> packet)
    {
        if (packet.Length > MaxPacket)
        {
            return;
        }

        var slot = sequenceNumber % Slots;
        packet.CopyTo(_data.AsSpan(slot * MaxPacket, MaxPacket));
        _lengths[slot] = packet.Length;
        _sequence[slot] = sequenceNumber;
    }

    /// <summary>Copies the packet with this sequence number into <paramref name="destination"/>; 0 when it is no longer held.</summary>
    public int CopyTo(ushort sequenceNumber, Span<byte> destination)
    {
        var slot = sequenceNumber % Slots;
        if (_sequence[slot] != sequenceNumber)
        {
            return 0;
        }

        var length = _lengths[slot];
        _data.AsSpan(slot * MaxPacket, length).CopyTo(destination);
        return length;
    }

    public void Clear() => Array.Fill(_sequence, -1);
}

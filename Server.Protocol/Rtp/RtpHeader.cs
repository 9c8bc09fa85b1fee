using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtp;

/// <summary>
/// Writes and rewrites the fixed RTP header (RFC 3550 §5.1) in place, as a relay does when it
/// forwards a packet under its own SSRC, sequence and timestamp space.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |  bytes 0-3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |  bytes 4-7
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |  bytes 8-11
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// The setters expect a packet that <see cref="RtpPacket.TryParse"/> accepted, so at least 12
/// bytes; a shorter span is a caller bug and throws <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public static class RtpHeader
{
    public static void SetSequenceNumber(Span<byte> packet, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], value);

    public static void SetTimestamp(Span<byte> packet, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], value);

    public static void SetSsrc(Span<byte> packet, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], value);

    /// <summary>Replaces the 7-bit payload type and keeps the marker bit that shares its byte.</summary>
    public static void SetPayloadType(Span<byte> packet, byte payloadType) =>
        packet[1] = (byte)((packet[1] & 0x80) | (payloadType & 0x7F));

    public static void SetMarker(Span<byte> packet, bool marker) =>
        packet[1] = (byte)((packet[1] & 0x7F) | (marker ? 0x80 : 0));

    /// <summary>
    /// Writes a 12-byte header: version 2, no padding, extension or CSRCs. False if
    /// <paramref name="destination"/> is shorter than 12 bytes; the payload type's top bit is ignored.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, out int written)
    {
        if (destination.Length < RtpPacket.FixedHeaderLength)
        {
            written = 0;
            return false;
        }

        destination[0] = RtpPacket.Version << 6;
        destination[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
        written = RtpPacket.FixedHeaderLength;
        return true;
    }
}

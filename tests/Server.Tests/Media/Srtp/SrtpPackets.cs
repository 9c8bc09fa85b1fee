using System.Buffers.Binary;

namespace MediaServer.Tests.Media.Srtp;

/// <summary>Plain RTP and RTCP packets for the SRTP tests.</summary>
internal static class SrtpPackets
{
    /// <summary>
    /// An RTP packet with a fixed 12-byte header (RFC 3550 §5.1):
    /// V=2 P=0 X=0 CC=0 | M=0 PT=111 | sequence | timestamp | SSRC, then a patterned payload.
    /// </summary>
    public static byte[] Rtp(ushort sequence, uint ssrc = 0xCAFEBABE, int payloadLength = 160, uint timestamp = 0x0001E240)
    {
        var packet = new byte[12 + payloadLength];
        WriteRtp(packet, sequence, ssrc, payloadLength, timestamp);
        return packet;
    }

    /// <summary>Writes the same packet into a caller's buffer; returns its length.</summary>
    public static int WriteRtp(Span<byte> buffer, ushort sequence, uint ssrc, int payloadLength, uint timestamp = 0x0001E240)
    {
        buffer[0] = 0x80;
        buffer[1] = 111;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], ssrc);
        for (var i = 0; i < payloadLength; i++)
        {
            buffer[12 + i] = (byte)(i * 7);
        }

        return 12 + payloadLength;
    }

    /// <summary>
    /// A receiver report with one report block (RFC 3550 §6.4.2):
    /// V=2 P=0 RC=1 | PT=201 | length=7 | SSRC of sender | report block (SSRC, loss, jitter, LSR, DLSR).
    /// </summary>
    public static byte[] ReceiverReport(uint ssrc = 0x11223344)
    {
        var packet = new byte[32];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0xCAFEBABE);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), 0x0100_0002);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), 0x0000_1234);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(20), 0x0000_0020);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), 0xAABB_CCDD);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(28), 0x0000_0100);
        return packet;
    }
}

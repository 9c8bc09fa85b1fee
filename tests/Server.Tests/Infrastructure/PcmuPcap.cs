using System.Buffers.Binary;
using MediaServer.Protocol.Payload;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// Writes a pcap file of RTP/PCMU packets (Ethernet, IPv4, UDP, RTP, 20 ms each) carrying a
/// sine tone, for SIPp's play_pcap_audio: SIPp replays the RTP payloads with its own
/// addresses and pacing, so only the packet layout and timestamps matter.
/// </summary>
public static class PcmuPcap
{
    public static void Write(string path, double seconds, double frequency, double amplitude = 0.3)
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1); // Ethernet
        file.Write(header);

        const int Samples = 160;
        var frame = new byte[14 + 20 + 8 + 12 + Samples];
        var packets = (int)(seconds * 50);
        var sample = 0;
        var record = new byte[16];
        for (var n = 0; n < packets; n++)
        {
            frame.AsSpan().Clear();
            frame[12] = 0x08; // EtherType IPv4
            var ip = frame.AsSpan(14);
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + 12 + Samples));
            ip[8] = 64;
            ip[9] = 17; // UDP
            ip[12] = 127; ip[15] = 1; ip[16] = 127; ip[19] = 1;
            var udp = ip[20..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, 6000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 6002);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + 12 + Samples));
            var rtp = udp[8..];
            rtp[0] = 0x80;
            rtp[1] = (byte)(n == 0 ? 0x80 : 0x00); // marker on the first packet, payload type 0
            BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], (ushort)n);
            BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], (uint)(n * Samples));
            BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], 0x5eed1234);
            for (var i = 0; i < Samples; i++, sample++)
            {
                var value = amplitude * short.MaxValue * Math.Sin(2 * Math.PI * frequency * sample / 8000.0);
                rtp[12 + i] = G711.LinearToUlaw((short)value);
            }

            var micros = (long)n * 20_000;
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(micros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }
    }
}

using BenchmarkDotNet.Attributes;
using MediaServer.Protocol;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;

namespace MediaServer.Bench.Micro;

/// <summary>
/// The media relay's per-packet work on RTP and RTCP: classify and parse, rewrite the header
/// in place for the outgoing stream, walk a compound RTCP packet, and write a NACK.
/// </summary>
[MemoryDiagnoser]
public class RtpBenchmarks
{
    private static readonly ushort[] Lost = [1000, 1001, 1003, 1010, 1016, 1040, 1041];

    private readonly byte[] _rtp = BuildRtp();
    private readonly byte[] _compound = BuildCompound();
    private readonly byte[] _output = new byte[1500];
    private ushort _sequence;

    /// <summary>Classify a video packet and parse it, reading the extension a relay looks at.</summary>
    [Benchmark]
    public int ParseRtp()
    {
        if (PacketClassifier.Classify(_rtp) != PacketKind.Rtp || !RtpPacket.TryParse(_rtp, out var rtp))
        {
            return -1;
        }

        rtp.TryGetExtension(3, out var sendTime);
        return rtp.Payload.Length + sendTime.Length + rtp.SequenceNumber;
    }

    /// <summary>Give the packet the outgoing stream's SSRC, sequence number and timestamp.</summary>
    [Benchmark]
    public void RewriteHeader()
    {
        _sequence++;
        RtpHeader.SetSsrc(_rtp, 0x0badf00d);
        RtpHeader.SetSequenceNumber(_rtp, _sequence);
        RtpHeader.SetTimestamp(_rtp, (uint)_sequence * 3000);
    }

    /// <summary>An SR + SDES + REMB + NACK compound, every packet parsed to its fields.</summary>
    [Benchmark]
    public long ParseRtcpCompound()
    {
        long sum = 0;
        var reader = new RtcpCompoundReader(_compound);
        while (reader.TryReadNext(out var packet))
        {
            if (RtcpSenderReport.TryParse(packet, out var sr))
            {
                sum += sr.PacketCount;
                for (var i = 0; i < sr.ReportCount; i++)
                {
                    sum += sr.GetReport(i).Jitter;
                }
            }
            else if (RtcpSourceDescription.TryParse(packet, out var sdes) && sdes.TryGetCname(out _, out var cname))
            {
                sum += cname.Length;
            }
            else if (RtcpFeedback.TryParse(packet, out var fb))
            {
                if (fb.TryGetRemb(out var bitrate, out _))
                {
                    sum += (long)bitrate;
                }

                foreach (var sequence in fb.GetLostSequenceNumbers())
                {
                    sum += sequence;
                }
            }
        }

        return sum;
    }

    [Benchmark]
    public int WriteNack()
    {
        var writer = new RtcpWriter(_output);
        writer.TryWriteGenericNack(0x12345678, 0x9abcdef0, Lost);
        return writer.Length;
    }

    private static byte[] BuildRtp()
    {
        var packet = new byte[1200];
        RtpHeader.TryWrite(packet, true, 96, 4242, 90000, 0xcafebabe, out _);
        packet[0] |= 0x10;

        // One-byte extensions: abs-send-time (3 bytes, ID 3) and transport-cc (2 bytes, ID 5).
        byte[] extension = [0xbe, 0xde, 0x00, 0x02, 0x32, 0x12, 0x34, 0x56, 0x51, 0x00, 0x07, 0x00];
        extension.CopyTo(packet, 12);
        return packet;
    }

    private static byte[] BuildCompound()
    {
        var buffer = new byte[1500];
        var writer = new RtcpWriter(buffer);
        RtcpReportBlock[] reports = [new(0x9abcdef0, 3, 12, 70000, 20, 0x12345678, 6000)];
        writer.TryWriteSenderReport(0x12345678, 0xe86c2a3880000000, 123456, 1000, 160000, reports);
        writer.TryWriteSdesCname(0x12345678, "abcdefghijklmnop"u8);
        writer.TryWriteRemb(0x12345678, 2_500_000, [0x9abcdef0]);
        writer.TryWriteGenericNack(0x12345678, 0x9abcdef0, Lost);
        return buffer[..writer.Length];
    }
}

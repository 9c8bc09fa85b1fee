using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Stun;
using MediaServer.Protocol.Tests.Rtcp;
using MediaServer.Protocol.Tests.Rtp;
using MediaServer.Protocol.Tests.Stun;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Properties;

/// <summary>The per-packet paths allocate nothing once warm: parsers, verifiers and writers alike.</summary>
public class AllocationTests
{
    private static readonly byte[] Password = "VOkJxbRl1RmTxUk/WvJxBt"u8.ToArray();
    private static readonly byte[] Address = [192, 0, 2, 1];
    private static readonly RtcpReportBlock[] Reports = [new(1, 2, 3, 4, 5, 6, 7)];
    private static readonly ushort[] Lost = [100, 101, 103, 116, 200];
    private static readonly uint[] RembSsrcs = [0x9abcdef0];
    private static readonly short[] Samples = new short[160];
    private static readonly byte[] Encoded = new byte[160];
    private static readonly byte[] Buffer = new byte[1500];
    private static readonly byte[] LargeStun = BuildLargeStun();

    private static long _sink;

    [Fact]
    public void StunParseAndVerify() => AllocationGuard.AssertNoAllocation(() =>
    {
        Span<byte> address = stackalloc byte[16];
        foreach (var vector in StunVectors.All)
        {
            if (StunMessage.TryParse(vector, out var message))
            {
                message.TryGetUsername(out var username);
                message.TryGetPriority(out var priority);
                message.TryGetIceControlling(out var tieBreaker);
                message.TryGetXorMappedAddress(address, out var length, out var port);
                _sink += username.Length + priority + (long)tieBreaker + length + port;
                _sink += (message.VerifyMessageIntegrity(Password) ? 1 : 0) + (message.VerifyFingerprint() ? 1 : 0);
            }
        }
    });

    [Fact]
    public void StunVerifyOfAMessageTooLargeForTheStack()
    {
        Assert.True(StunMessage.TryParse(LargeStun, out var large));
        Assert.True(large.VerifyMessageIntegrity(Password));
        Assert.True(large.VerifyFingerprint());
        AllocationGuard.AssertNoAllocation(() =>
        {
            StunMessage.TryParse(LargeStun, out var message);
            _sink += message.VerifyMessageIntegrity(Password) ? 1 : 0;
        });
    }

    [Fact]
    public void StunWriteResponse() => AllocationGuard.AssertNoAllocation(() =>
    {
        StunMessage.TryParse(StunVectors.ChromeRequest, out var request);
        var writer = new StunWriter(Buffer, StunMethod.Binding, StunClass.SuccessResponse, request.TransactionId);
        writer.AddXorMappedAddress(Address, 32853);
        writer.AddMessageIntegrity(StunVectors.LocalPassword);
        writer.AddFingerprint();
        _sink += writer.Length;
    });

    [Fact]
    public void RtpParseAndRewrite() => AllocationGuard.AssertNoAllocation(() =>
    {
        foreach (var vector in RtpVectors.All)
        {
            if (RtpPacket.TryParse(vector, out var rtp))
            {
                rtp.TryGetExtension(1, out var extension);
                rtp.TryGetExtension(5, out var other);
                _sink += rtp.Payload.Length + extension.Length + other.Length + rtp.Ssrc;
            }
        }

        RtpHeader.SetSequenceNumber(Buffer, 1);
        RtpHeader.SetTimestamp(Buffer, 2);
        RtpHeader.SetSsrc(Buffer, 3);
        RtpHeader.SetPayloadType(Buffer, 96);
        RtpHeader.TryWrite(Buffer, true, 96, 1, 2, 3, out var written);
        _sink += written + PacketClassifier.Classify(Buffer).GetHashCode();
    });

    [Fact]
    public void RtcpParse() => AllocationGuard.AssertNoAllocation(() =>
    {
        foreach (var vector in RtcpVectors.All)
        {
            var reader = new RtcpCompoundReader(vector);
            while (reader.TryReadNext(out var packet))
            {
                if (RtcpSenderReport.TryParse(packet, out var sr) && sr.ReportCount > 0)
                {
                    _sink += sr.GetReport(0).Jitter;
                }

                if (RtcpReceiverReport.TryParse(packet, out var rr) && rr.ReportCount > 0)
                {
                    _sink += rr.GetReport(0).Jitter;
                }

                if (RtcpSourceDescription.TryParse(packet, out var sdes) && sdes.TryGetCname(out _, out var cname))
                {
                    _sink += cname.Length;
                }

                if (RtcpGoodbye.TryParse(packet, out var bye))
                {
                    _sink += bye.Reason.Length;
                }

                if (RtcpFeedback.TryParse(packet, out var fb))
                {
                    foreach (var sequence in fb.GetLostSequenceNumbers())
                    {
                        _sink += sequence;
                    }

                    foreach (var entry in fb.GetFullIntraRequests())
                    {
                        _sink += entry.Ssrc;
                    }

                    if (fb.TryGetRemb(out var bitrate, out _))
                    {
                        _sink += (long)bitrate + fb.GetRembSsrc(0);
                    }
                }
            }
        }
    });

    [Fact]
    public void RtcpWrite() => AllocationGuard.AssertNoAllocation(() =>
    {
        var writer = new RtcpWriter(Buffer);
        writer.TryWriteSenderReport(1, 2, 3, 4, 5, Reports);
        writer.TryWriteReceiverReport(1, Reports);
        writer.TryWriteSdesCname(1, "abcdefghijklmnop"u8);
        writer.TryWriteBye(1, "bye"u8);
        writer.TryWritePictureLossIndication(1, 2);
        writer.TryWriteFullIntraRequest(1, 2, 3);
        writer.TryWriteGenericNack(1, 2, Lost);
        writer.TryWriteRemb(1, 1_000_000, RembSsrcs);
        _sink += writer.Length;
    });

    [Fact]
    public void PayloadFormats() => AllocationGuard.AssertNoAllocation(() =>
    {
        OpusToc.TryGetSampleCount([0xfb, 0x83, 0x01, 0x02], out var samples);
        Vp8PayloadDescriptor.TryParse([0xb0, 0xf0, 0x92, 0x34, 0x05, 0xa3, 0x51], out var vp8);
        Vp8PayloadDescriptor.TryWrite(Buffer, true, 0, false, 0x1234, out var written);
        TelephoneEvent.TryParse([0x09, 0x8a, 0x06, 0x40], out var ev);
        ev.TryWrite(Buffer, out var eventWritten);
        G711.EncodeUlaw(Samples, Encoded);
        G711.DecodeAlaw(Encoded, Samples);
        _sink += samples + vp8.PictureId + written + ev.Duration + eventWritten;
    });

    /// <summary>A message past VerifyMessageIntegrity's stack buffer, so the pooled path runs.</summary>
    private static byte[] BuildLargeStun()
    {
        var buffer = new byte[1400];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, new byte[12]);
        writer.AddSoftware(new byte[1200]);
        writer.AddMessageIntegrity(Password);
        writer.AddFingerprint();
        return buffer[..writer.Length];
    }
}

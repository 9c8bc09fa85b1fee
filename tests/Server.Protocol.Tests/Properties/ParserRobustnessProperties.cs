using FsCheck;
using FsCheck.Fluent;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Stun;
using MediaServer.Protocol.Tests.Rtcp;
using MediaServer.Protocol.Tests.Rtp;
using MediaServer.Protocol.Tests.Stun;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Properties;

/// <summary>
/// Random and damaged input through every parser and every accessor of what they accept: no
/// exception escapes, and every view stays inside the input.
/// </summary>
public class ParserRobustnessProperties
{
    private static readonly byte[][] Seeds =
    [
        .. StunVectors.All,
        .. RtpVectors.All,
        .. RtcpVectors.All,
        [0x10, 0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01],
        [0xb0, 0xf0, 0x92, 0x34, 0x05, 0xa3, 0x51],
        [0xfb, 0x83, 0x01, 0x02],
        [0x09, 0x8a, 0x06, 0x40],
    ];

    [Fact]
    public void RandomBytesNeverThrow() =>
        Check.One(PropertyRuns.Config, Prop.ForAll(PacketGen.Bytes(0, 200).ToArbitrary(), (byte[] data) => Probe(data)));

    [Fact]
    public void RandomBytesWithPlausibleFirstBytesNeverThrow()
    {
        // Random bytes rarely pass the version or cookie checks; fix the first bytes so they do
        // and the attribute, extension and report walks get exercised.
        var gen =
            from prefix in Gen.Elements<byte[]>([0x00, 0x01], [0x01, 0x01], [0x80, 0x6f], [0x90, 0x60], [0xb3, 0x60], [0x81, 0xc8], [0x80, 0xca], [0x8f, 0xce], [0x81, 0xcd])
            from body in PacketGen.Bytes(0, 120)
            select MakePlausible(prefix, body);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), (byte[] data) => Probe(data)));
    }

    [Fact]
    public void MutatedVectorsNeverThrow() =>
        Check.One(PropertyRuns.Config, Prop.ForAll(PacketGen.Mutations(Seeds).ToArbitrary(), (byte[] data) => Probe(data)));

    private static byte[] MakePlausible(byte[] prefix, byte[] body)
    {
        byte[] data = [.. prefix, .. body];
        if (prefix[0] <= 1 && data.Length >= 20)
        {
            // STUN: cookie and a length that matches, so TryParse reaches the attribute walk.
            var length = (data.Length - 20) & ~3;
            data = data[..(20 + length)];
            data[2] = (byte)(length >> 8);
            data[3] = (byte)length;
            data[4] = 0x21;
            data[5] = 0x12;
            data[6] = 0xa4;
            data[7] = 0x42;
        }

        return data;
    }

    /// <summary>Runs everything that reads bytes; returns true unless an invariant breaks.</summary>
    internal static void Probe(byte[] data)
    {
        PacketClassifier.Classify(data);
        ProbeStun(data);
        ProbeRtp(data);
        ProbeRtcp(data);
        ProbePayload(data);
    }

    private static void ProbeStun(ReadOnlySpan<byte> data)
    {
        StunMessage.IsStun(data);
        if (!StunMessage.TryParse(data, out var message))
        {
            return;
        }

        Assert.Equal(data.Length, message.Packet.Length);
        _ = message.Method;
        _ = message.Class;
        Assert.Equal(12, message.TransactionId.Length);
        message.TryGetUsername(out _);
        _ = message.HasUseCandidate;
        message.TryGetPriority(out _);
        message.TryGetIceControlling(out _);
        message.TryGetIceControlled(out _);
        Span<byte> address = stackalloc byte[16];
        message.TryGetXorMappedAddress(address, out _, out _);
        message.TryGetXorMappedAddress(address[..4], out _, out _);
        message.TryGetErrorCode(out _, out _);
        message.VerifyMessageIntegrity("key"u8);
        message.VerifyFingerprint();
        for (ushort type = 0; type < 0x30; type++)
        {
            message.TryGetAttribute(type, out _);
        }
    }

    private static void ProbeRtp(ReadOnlySpan<byte> data)
    {
        if (!RtpPacket.TryParse(data, out var rtp))
        {
            return;
        }

        Assert.True(rtp.HeaderLength + rtp.PaddingLength <= data.Length);
        _ = rtp.Marker;
        _ = rtp.PayloadType;
        _ = rtp.SequenceNumber;
        _ = rtp.Timestamp;
        _ = rtp.Ssrc;
        for (var i = 0; i < rtp.CsrcCount; i++)
        {
            rtp.GetCsrc(i);
        }

        _ = rtp.ExtensionProfile;
        _ = rtp.ExtensionData;
        for (var id = 0; id < 256; id++)
        {
            rtp.TryGetExtension((byte)id, out _);
        }

        ProbePayload(rtp.Payload);
    }

    private static void ProbeRtcp(ReadOnlySpan<byte> data)
    {
        var reader = new RtcpCompoundReader(data);
        var consumed = 0;
        var packets = 0;
        while (reader.TryReadNext(out var packet))
        {
            packets++;
            consumed += packet.Packet.Length;
            Assert.True(packets <= data.Length / 4);
            ProbeRtcpPacket(packet);
        }

        Assert.True(consumed <= data.Length);
        Assert.True(reader.IsMalformed || consumed == data.Length);
    }

    private static void ProbeRtcpPacket(RtcpPacket packet)
    {
        _ = packet.Count;
        _ = packet.Padding;
        _ = packet.Body;
        if (RtcpSenderReport.TryParse(packet, out var sr))
        {
            _ = sr.Ssrc + sr.NtpTimestamp + sr.RtpTimestamp + sr.PacketCount + sr.OctetCount;
            for (var i = 0; i < sr.ReportCount; i++)
            {
                sr.GetReport(i);
            }

            _ = sr.ProfileExtension;
        }

        if (RtcpReceiverReport.TryParse(packet, out var rr))
        {
            for (var i = 0; i < rr.ReportCount; i++)
            {
                rr.GetReport(i);
            }

            _ = rr.ProfileExtension;
        }

        if (RtcpSourceDescription.TryParse(packet, out var sdes))
        {
            var items = sdes.GetItems();
            while (items.MoveNext())
            {
                _ = items.Current.Value;
            }

            Assert.False(items.IsMalformed);
            sdes.TryGetCname(out _, out _);
        }

        if (RtcpGoodbye.TryParse(packet, out var bye))
        {
            for (var i = 0; i < bye.SourceCount; i++)
            {
                bye.GetSsrc(i);
            }

            _ = bye.Reason;
        }

        if (RtcpFeedback.TryParse(packet, out var fb))
        {
            _ = fb.IsPictureLossIndication;
            var lost = 0;
            foreach (var sequence in fb.GetLostSequenceNumbers())
            {
                lost++;
            }

            Assert.True(lost <= fb.Fci.Length * 17 / 4);
            foreach (var entry in fb.GetFullIntraRequests())
            {
                _ = entry.Ssrc;
            }

            if (fb.TryGetRemb(out _, out var count))
            {
                for (var i = 0; i < count; i++)
                {
                    fb.GetRembSsrc(i);
                }
            }
        }
    }

    private static void ProbePayload(ReadOnlySpan<byte> data)
    {
        OpusToc.TryGetSampleCount(data, out _);
        if (Vp8PayloadDescriptor.TryParse(data, out var vp8))
        {
            Assert.True(vp8.HeaderLength <= data.Length);
            var after = data[vp8.HeaderLength..];
            Vp8PayloadDescriptor.IsKeyFrame(after);
            Vp8PayloadDescriptor.TryGetKeyFrameSize(after, out _, out _);
        }

        TelephoneEvent.TryParse(data, out _);
    }
}

using FsCheck;
using FsCheck.Fluent;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Stun;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Properties;

/// <summary>Write, parse, compare: what the writers produce, the parsers read back unchanged.</summary>
public class RoundTripProperties
{
    private static readonly Gen<RtcpReportBlock> ReportBlock =
        from ssrc in PacketGen.UInt32
        from fraction in PacketGen.Byte
        from lost in Gen.Choose(RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost)
        from highest in PacketGen.UInt32
        from jitter in PacketGen.UInt32
        from lsr in PacketGen.UInt32
        from dlsr in PacketGen.UInt32
        select new RtcpReportBlock(ssrc, fraction, lost, highest, jitter, lsr, dlsr);

    [Fact]
    public void RtpHeader()
    {
        var gen =
            from marker in PacketGen.Bool
            from payloadType in Gen.Choose(0, 127)
            from sequence in PacketGen.UInt16
            from timestamp in PacketGen.UInt32
            from ssrc in PacketGen.UInt32
            from payload in PacketGen.Bytes(0, 40)
            select (marker, (byte)payloadType, sequence, timestamp, ssrc, payload);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var packet = new byte[12 + c.payload.Length];
            Assert.True(MediaServer.Protocol.Rtp.RtpHeader.TryWrite(packet, c.marker, c.Item2, c.sequence, c.timestamp, c.ssrc, out var written));
            c.payload.CopyTo(packet, written);
            Assert.True(RtpPacket.TryParse(packet, out var rtp));
            Assert.Equal(c.marker, rtp.Marker);
            Assert.Equal(c.Item2, rtp.PayloadType);
            Assert.Equal(c.sequence, rtp.SequenceNumber);
            Assert.Equal(c.timestamp, rtp.Timestamp);
            Assert.Equal(c.ssrc, rtp.Ssrc);
            Assert.Equal(c.payload, rtp.Payload.ToArray());

            // With the marker set, payload types 64-95 look like RTCP 192-223 (RFC 5761 §4).
            var looksLikeRtcp = c.marker && c.Item2 is >= 64 and < 96;
            Assert.Equal(looksLikeRtcp ? PacketKind.Rtcp : PacketKind.Rtp, PacketClassifier.Classify(packet));
        }));
    }

    [Fact]
    public void SenderReport()
    {
        var gen =
            from ssrc in PacketGen.UInt32
            from ntp in PacketGen.UInt64
            from rtp in PacketGen.UInt32
            from packets in PacketGen.UInt32
            from octets in PacketGen.UInt32
            from count in Gen.Choose(0, 31)
            from reports in Gen.ArrayOf(ReportBlock, count)
            select (ssrc, ntp, rtp, packets, octets, reports);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[1500];
            var writer = new RtcpWriter(buffer);
            Assert.True(writer.TryWriteSenderReport(c.ssrc, c.ntp, c.rtp, c.packets, c.octets, c.reports));
            var reader = new RtcpCompoundReader(writer.Written);
            Assert.True(reader.TryReadNext(out var packet));
            Assert.True(RtcpSenderReport.TryParse(packet, out var sr));
            Assert.Equal(c.ssrc, sr.Ssrc);
            Assert.Equal(c.ntp, sr.NtpTimestamp);
            Assert.Equal(c.rtp, sr.RtpTimestamp);
            Assert.Equal(c.packets, sr.PacketCount);
            Assert.Equal(c.octets, sr.OctetCount);
            Assert.Equal(c.reports.Length, sr.ReportCount);
            for (var i = 0; i < c.reports.Length; i++)
            {
                Assert.Equal(c.reports[i], sr.GetReport(i));
            }

            Assert.False(reader.TryReadNext(out _));
            Assert.False(reader.IsMalformed);
        }));
    }

    [Fact]
    public void ReceiverReport()
    {
        var gen =
            from ssrc in PacketGen.UInt32
            from count in Gen.Choose(0, 31)
            from reports in Gen.ArrayOf(ReportBlock, count)
            select (ssrc, reports);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[1500];
            var writer = new RtcpWriter(buffer);
            Assert.True(writer.TryWriteReceiverReport(c.ssrc, c.reports));
            Assert.True(RtcpPacket.TryRead(writer.Written, out var packet));
            Assert.Equal(writer.Length, packet.Packet.Length);
            Assert.True(RtcpReceiverReport.TryParse(packet, out var rr));
            Assert.Equal(c.ssrc, rr.Ssrc);
            Assert.Equal(c.reports.Length, rr.ReportCount);
            for (var i = 0; i < c.reports.Length; i++)
            {
                Assert.Equal(c.reports[i], rr.GetReport(i));
            }
        }));
    }

    [Fact]
    public void GenericNack()
    {
        var gen =
            from sender in PacketGen.UInt32
            from media in PacketGen.UInt32
            from start in PacketGen.UInt16
            from count in Gen.Choose(1, 60)
            from steps in Gen.ArrayOf(Gen.Frequency((8, Gen.Choose(0, 3)), (1, Gen.Choose(4, 40)), (1, Gen.Choose(0, 0xFFFF))), count)
            select (sender, media, Lost: Accumulate(start, steps));
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[1500];
            var writer = new RtcpWriter(buffer);
            Assert.True(writer.TryWriteGenericNack(c.sender, c.media, c.Lost));
            Assert.True(RtcpPacket.TryRead(writer.Written, out var packet));
            Assert.True(RtcpFeedback.TryParse(packet, out var fb));
            Assert.True(fb.IsGenericNack);
            Assert.Equal(c.sender, fb.SenderSsrc);
            Assert.Equal(c.media, fb.MediaSsrc);
            var read = new List<ushort>();
            foreach (var sequence in fb.GetLostSequenceNumbers())
            {
                read.Add(sequence);
            }

            Assert.Equal(new SortedSet<ushort>(c.Lost), new SortedSet<ushort>(read));
        }));
    }

    private static ushort[] Accumulate(ushort start, int[] steps)
    {
        var result = new ushort[steps.Length];
        var current = start;
        for (var i = 0; i < steps.Length; i++)
        {
            current = (ushort)(current + steps[i]);
            result[i] = current;
        }

        return result;
    }

    [Fact]
    public void PictureLossIndicationAndFullIntraRequest()
    {
        var gen =
            from sender in PacketGen.UInt32
            from media in PacketGen.UInt32
            from sequence in PacketGen.Byte
            select (sender, media, sequence);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[64];
            var writer = new RtcpWriter(buffer);
            Assert.True(writer.TryWritePictureLossIndication(c.sender, c.media));
            Assert.True(writer.TryWriteFullIntraRequest(c.sender, c.media, c.sequence));
            var reader = new RtcpCompoundReader(writer.Written);

            Assert.True(reader.TryReadNext(out var pliPacket));
            Assert.True(RtcpFeedback.TryParse(pliPacket, out var pli));
            Assert.True(pli.IsPictureLossIndication);
            Assert.Equal(c.sender, pli.SenderSsrc);
            Assert.Equal(c.media, pli.MediaSsrc);

            Assert.True(reader.TryReadNext(out var firPacket));
            Assert.True(RtcpFeedback.TryParse(firPacket, out var fir));
            Assert.True(fir.IsFullIntraRequest);
            var entries = fir.GetFullIntraRequests();
            Assert.True(entries.MoveNext());
            Assert.Equal(new RtcpFirEntry(c.media, c.sequence), entries.Current);
            Assert.False(entries.MoveNext());
        }));
    }

    [Fact]
    public void Remb()
    {
        var gen =
            from sender in PacketGen.UInt32
            from bits in Gen.Choose(0, 64)
            from raw in PacketGen.UInt64
            from count in Gen.Choose(0, 20)
            from ssrcs in Gen.ArrayOf(PacketGen.UInt32, count)
            select (sender, Bitrate: bits == 64 ? raw : raw & ((1ul << bits) - 1), ssrcs);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[200];
            var writer = new RtcpWriter(buffer);
            Assert.True(writer.TryWriteRemb(c.sender, c.Bitrate, c.ssrcs));
            Assert.True(RtcpPacket.TryRead(writer.Written, out var packet));
            Assert.True(RtcpFeedback.TryParse(packet, out var fb));
            Assert.True(fb.IsRemb);
            Assert.True(fb.TryGetRemb(out var bitrate, out var ssrcCount));

            // An 18-bit mantissa keeps the top 18 significant bits and rounds down.
            Assert.True(bitrate <= c.Bitrate);
            Assert.True(c.Bitrate - bitrate <= c.Bitrate >> 17, $"{c.Bitrate} read back as {bitrate}");
            Assert.Equal(c.ssrcs.Length, ssrcCount);
            for (var i = 0; i < ssrcCount; i++)
            {
                Assert.Equal(c.ssrcs[i], fb.GetRembSsrc(i));
            }
        }));
    }

    [Fact]
    public void SdesCnameAndBye()
    {
        var gen =
            from ssrc in PacketGen.UInt32
            from cname in PacketGen.Bytes(0, 255)
            from reason in PacketGen.Bytes(0, 255)
            select (ssrc, cname, reason);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[1200];
            var writer = new RtcpWriter(buffer);
            Assert.True(writer.TryWriteSdesCname(c.ssrc, c.cname));
            Assert.True(writer.TryWriteBye(c.ssrc, c.reason));
            Assert.Equal(0, writer.Length % 4);
            var reader = new RtcpCompoundReader(writer.Written);
            Assert.True(reader.TryReadNext(out var sdesPacket));
            Assert.True(RtcpSourceDescription.TryParse(sdesPacket, out var sdes));
            Assert.True(sdes.TryGetCname(out var ssrc, out var cname));
            Assert.Equal(c.ssrc, ssrc);
            Assert.Equal(c.cname, cname.ToArray());
            Assert.True(reader.TryReadNext(out var byePacket));
            Assert.True(RtcpGoodbye.TryParse(byePacket, out var bye));
            Assert.Equal(c.ssrc, bye.GetSsrc(0));
            Assert.Equal(c.reason, bye.Reason.ToArray());
        }));
    }

    [Fact]
    public void StunBindingMessage()
    {
        var gen =
            from method in Gen.Choose(0, StunMethod.MaxValue)
            from stunClass in Gen.Elements(StunClass.Request, StunClass.Indication, StunClass.SuccessResponse, StunClass.ErrorResponse)
            from transactionId in Gen.ArrayOf(PacketGen.Byte, 12)
            from username in PacketGen.Bytes(0, 64)
            from priority in PacketGen.UInt32
            from tieBreaker in PacketGen.UInt64
            from controlling in PacketGen.Bool
            from useCandidate in PacketGen.Bool
            from address in Gen.Elements(4, 16).SelectMany(length => Gen.ArrayOf(PacketGen.Byte, length))
            from port in PacketGen.UInt16
            from errorCode in Gen.Choose(300, 699)
            from key in PacketGen.Bytes(1, 80)
            select new StunCase((ushort)method, stunClass, transactionId, username, priority, tieBreaker, controlling, useCandidate, address, port, errorCode, key);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[512];
            var writer = new StunWriter(buffer, c.Method, c.Class, c.TransactionId);
            writer.AddUsername(c.Username);
            writer.AddPriority(c.Priority);
            if (c.Controlling)
            {
                writer.AddIceControlling(c.TieBreaker);
            }
            else
            {
                writer.AddIceControlled(c.TieBreaker);
            }

            if (c.UseCandidate)
            {
                writer.AddUseCandidate();
            }

            writer.AddXorMappedAddress(c.Address, c.Port);
            writer.AddErrorCode(c.ErrorCode, "reason"u8);
            writer.AddMessageIntegrity(c.Key);
            writer.AddFingerprint();

            var packet = writer.Written;
            Assert.True(StunMessage.IsStun(packet));

            // RFC 7983 gives STUN only first bytes 0-3: methods above 0x0FF fall into other ranges.
            Assert.Equal(c.Method <= 0xFF, PacketClassifier.Classify(packet) == PacketKind.Stun);
            Assert.True(StunMessage.TryParse(packet, out var message));
            Assert.Equal(c.Method, message.Method);
            Assert.Equal(c.Class, message.Class);
            Assert.Equal(c.TransactionId, message.TransactionId.ToArray());
            Assert.True(message.TryGetUsername(out var username));
            Assert.Equal(c.Username, username.ToArray());
            Assert.True(message.TryGetPriority(out var priority));
            Assert.Equal(c.Priority, priority);
            Assert.Equal(c.Controlling, message.TryGetIceControlling(out var controlling));
            Assert.Equal(!c.Controlling, message.TryGetIceControlled(out var controlled));
            Assert.Equal(c.TieBreaker, c.Controlling ? controlling : controlled);
            Assert.Equal(c.UseCandidate, message.HasUseCandidate);
            Span<byte> address = stackalloc byte[16];
            Assert.True(message.TryGetXorMappedAddress(address, out var addressLength, out var port));
            Assert.Equal(c.Address, address[..addressLength].ToArray());
            Assert.Equal(c.Port, port);
            Assert.True(message.TryGetErrorCode(out var code, out var reason));
            Assert.Equal(c.ErrorCode, code);
            Assert.Equal("reason"u8.ToArray(), reason.ToArray());
            Assert.True(message.VerifyMessageIntegrity(c.Key));

            // Not key + 0x00: HMAC zero-pads short keys, so that one is equivalent.
            var wrongKey = (byte[])c.Key.Clone();
            wrongKey[0] ^= 0x01;
            Assert.False(message.VerifyMessageIntegrity(wrongKey));
            Assert.True(message.VerifyFingerprint());
        }));
    }

    [Fact]
    public void Vp8Descriptor()
    {
        var gen =
            from start in PacketGen.Bool
            from partition in Gen.Choose(0, 7)
            from nonReference in PacketGen.Bool
            from hasPictureId in PacketGen.Bool
            from wide in PacketGen.Bool
            from pictureId in Gen.Choose(0, 0x7FFF)
            from tl0 in Gen.Choose(-1, 255)
            from tid in Gen.Choose(-1, 3)
            from sync in PacketGen.Bool
            from keyIndex in Gen.Choose(-1, 31)
            select new Vp8PayloadDescriptor(
                start,
                (byte)partition,
                nonReference,
                hasPictureId ? (wide ? pictureId : pictureId & 0x7F) : null,
                wide,
                tl0 < 0 ? null : (byte)tl0,
                tid < 0 ? null : tid,
                sync,
                keyIndex < 0 ? null : keyIndex);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), d =>
        {
            Span<byte> buffer = stackalloc byte[8];
            Assert.True(d.TryWrite(buffer, out var written));
            Assert.Equal(d.GetSize(), written);
            Assert.True(Vp8PayloadDescriptor.TryParse(buffer[..written], out var parsed));
            Assert.Equal(d, parsed);
            Assert.Equal(written, parsed.HeaderLength);
        }));
    }

    [Fact]
    public void TelephoneEventPayload()
    {
        var gen =
            from ev in PacketGen.Byte
            from end in PacketGen.Bool
            from volume in Gen.Choose(0, 63)
            from duration in PacketGen.UInt16
            select new TelephoneEvent(ev, end, (byte)volume, duration);
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), ev =>
        {
            Span<byte> buffer = stackalloc byte[4];
            Assert.True(ev.TryWrite(buffer, out _));
            Assert.True(TelephoneEvent.TryParse(buffer, out var parsed));
            Assert.Equal(ev, parsed);
        }));
    }

    [Fact]
    public void SequenceComparisonIsAntisymmetric()
    {
        var gen = Gen.Zip(PacketGen.UInt16, PacketGen.UInt16, (a, b) => (a, b));
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var difference = RtpSequence.Difference(c.a, c.b);
            Assert.Equal(c.a, (ushort)(c.b + difference));
            Assert.Equal(difference is > 0 and < 32768, RtpSequence.IsNewer(c.a, c.b));
            Assert.False(RtpSequence.IsNewer(c.a, c.b) && RtpSequence.IsNewer(c.b, c.a));
        }));
    }

    public sealed record StunCase(
        ushort Method,
        StunClass Class,
        byte[] TransactionId,
        byte[] Username,
        uint Priority,
        ulong TieBreaker,
        bool Controlling,
        bool UseCandidate,
        byte[] Address,
        ushort Port,
        int ErrorCode,
        byte[] Key);
}

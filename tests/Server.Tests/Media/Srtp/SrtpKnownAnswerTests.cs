using System.Buffers.Binary;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;

namespace MediaServer.Tests.Media.Srtp;

/// <summary>
/// libsrtp's output checked against RFC test vectors and against <see cref="SrtpReference"/>,
/// a managed sender written from the RFCs, so a wrong struct layout, key order or profile
/// mapping shows up as a byte difference rather than as "browsers hear nothing".
/// </summary>
public sealed class SrtpKnownAnswerTests
{
    // RFC 3711 Appendix B.3.
    private static readonly byte[] MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void TheReferenceKeyDerivationMatchesRfc3711AppendixB3()
    {
        Assert.Equal(
            Convert.FromHexString("C61E7A93744F39EE10734AFE3FF7A087"),
            SrtpReference.Derive(MasterKey, MasterSalt, SrtpReference.RtpEncryptionLabel, 16));
        Assert.Equal(
            Convert.FromHexString("30CBBC08863D8C85D49DB34A9AE1"),
            SrtpReference.Derive(MasterKey, MasterSalt, SrtpReference.RtpSaltLabel, 14));
        Assert.Equal(
            Convert.FromHexString("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"),
            SrtpReference.Derive(MasterKey, MasterSalt, SrtpReference.RtpAuthenticationLabel, 20));
    }

    [Fact]
    public void TheReferenceKeystreamMatchesRfc3711AppendixB2()
    {
        var key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
        var iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

        var keystream = SrtpReference.Keystream(key, iv, 48);

        Assert.Equal(
            Convert.FromHexString("E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0"),
            keystream);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 160)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 1200)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 160)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 1200)]
    public void ProtectedRtpEqualsTheReferenceComputation(SrtpProfile profile, int payloadLength)
    {
        var salt = MasterSalt[..SrtpKeyingMaterial.SaltLength(profile)];
        using var sender = new SrtpSession(profile, MasterKey, salt, SrtpDirection.Outbound);
        foreach (var sequence in new ushort[] { 0x1234, 0x1235, 0x1300 })
        {
            var plain = SrtpPackets.Rtp(sequence, payloadLength: payloadLength);
            var buffer = new byte[plain.Length + SrtpSession.MaxTrailer];
            plain.CopyTo(buffer, 0);

            Assert.True(sender.TryProtectRtp(buffer, plain.Length, out var length));

            var expected = SrtpReference.ProtectRtp(profile, MasterKey, salt, plain);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer, 0, length));
        }
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void ProtectedRtcpEqualsTheReferenceComputation(SrtpProfile profile)
    {
        var salt = MasterSalt[..SrtpKeyingMaterial.SaltLength(profile)];
        using var sender = new SrtpSession(profile, MasterKey, salt, SrtpDirection.Outbound);
        for (uint expectedIndex = 1; expectedIndex <= 3; expectedIndex++)
        {
            var plain = SrtpPackets.ReceiverReport();
            var buffer = new byte[plain.Length + SrtpSession.MaxTrailer];
            plain.CopyTo(buffer, 0);

            Assert.True(sender.TryProtectRtcp(buffer, plain.Length, out var length));

            // The E|SRTCP index word sits last (no MKI); libsrtp counts from 1.
            var eAndIndex = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(profile == SrtpProfile.AeadAes128Gcm ? length - 4 : length - 14));
            Assert.Equal(0x8000_0000u | expectedIndex, eAndIndex);
            var expected = SrtpReference.ProtectRtcp(profile, MasterKey, salt, plain, expectedIndex);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer, 0, length));
        }
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void TheReceiverAcceptsWhatTheReferenceProtects(SrtpProfile profile)
    {
        var salt = MasterSalt[..SrtpKeyingMaterial.SaltLength(profile)];
        using var receiver = new SrtpSession(profile, MasterKey, salt, SrtpDirection.Inbound);
        var plain = SrtpPackets.Rtp(777, payloadLength: 300);
        var protectedPacket = SrtpReference.ProtectRtp(profile, MasterKey, salt, plain);

        Assert.True(receiver.TryUnprotectRtp(protectedPacket, protectedPacket.Length, out var length));
        Assert.Equal(plain, protectedPacket[..length]);

        var report = SrtpPackets.ReceiverReport();
        var protectedReport = SrtpReference.ProtectRtcp(profile, MasterKey, salt, report, 42);
        Assert.True(receiver.TryUnprotectRtcp(protectedReport, protectedReport.Length, out length));
        Assert.Equal(report, protectedReport[..length]);
    }
}

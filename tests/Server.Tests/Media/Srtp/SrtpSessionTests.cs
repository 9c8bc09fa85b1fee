using System.Runtime.CompilerServices;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;
using MediaServer.Tests.Media.Dtls;

namespace MediaServer.Tests.Media.Srtp;

public sealed class SrtpSessionTests
{
    [Fact]
    public void TheNativeStructsHaveLibsrtp25Sizes()
    {
        Assert.Equal(24, Unsafe.SizeOf<SrtpCryptoPolicy>());
        Assert.Equal(128, Unsafe.SizeOf<SrtpPolicy>());
    }

    [Fact]
    public void TheLibraryLoadsAndSaysItsVersion()
    {
        LibSrtp.EnsureAvailable();
        Assert.StartsWith("libsrtp2 2.", LibSrtp.Version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public async Task KeysFromARealHandshakeCarryRtpAndRtcpBothWays(SrtpProfile profile)
    {
        var (server, client) = await DtlsPair.HandshakeAsync([profile]);
        Assert.Equal(profile, server.Profile);

        using var serverOut = new SrtpSession(profile, server.LocalKey, server.LocalSalt, SrtpDirection.Outbound);
        using var clientIn = new SrtpSession(profile, client.RemoteKey, client.RemoteSalt, SrtpDirection.Inbound);
        using var clientOut = new SrtpSession(profile, client.LocalKey, client.LocalSalt, SrtpDirection.Outbound);
        using var serverIn = new SrtpSession(profile, server.RemoteKey, server.RemoteSalt, SrtpDirection.Inbound);

        for (ushort sequence = 100; sequence < 110; sequence++)
        {
            RoundTripRtp(serverOut, clientIn, SrtpPackets.Rtp(sequence, payloadLength: 1200));
            RoundTripRtp(clientOut, serverIn, SrtpPackets.Rtp(sequence, ssrc: 0x01020304, payloadLength: 160));
            RoundTripRtcp(serverOut, clientIn, SrtpPackets.ReceiverReport());
            RoundTripRtcp(clientOut, serverIn, SrtpPackets.ReceiverReport(0x55667788));
        }

        // The server's outbound keys are not the client's outbound keys.
        var plain = SrtpPackets.Rtp(200);
        var buffer = Protect(serverOut, plain);
        Assert.False(serverIn.TryUnprotectRtp(buffer, buffer.Length, out _));
        Assert.Equal(1, serverIn.AuthenticationFailures);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void AFlippedBitIsAnAuthenticationFailure(SrtpProfile profile)
    {
        var (sender, receiver) = Sessions(profile);
        using (sender)
        using (receiver)
        {
            foreach (var position in new[] { 1, 5, 13, 100 })
            {
                var packet = Protect(sender, SrtpPackets.Rtp((ushort)(position + 10)));
                packet[position] ^= 0x08;
                Assert.False(receiver.TryUnprotectRtp(packet, packet.Length, out var length));
                Assert.Equal(0, length);
            }

            var report = ProtectRtcp(sender, SrtpPackets.ReceiverReport());
            report[20] ^= 0x01;
            Assert.False(receiver.TryUnprotectRtcp(report, report.Length, out _));

            Assert.Equal(5, receiver.AuthenticationFailures);
            Assert.Equal(0, receiver.ReplayDrops);
        }
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void AReplayedPacketIsDropped(SrtpProfile profile)
    {
        var (sender, receiver) = Sessions(profile);
        using (sender)
        using (receiver)
        {
            var packet = Protect(sender, SrtpPackets.Rtp(5000));
            Assert.True(receiver.TryUnprotectRtp(packet.ToArray(), packet.Length, out _));
            Assert.False(receiver.TryUnprotectRtp(packet.ToArray(), packet.Length, out _));

            var report = ProtectRtcp(sender, SrtpPackets.ReceiverReport());
            Assert.True(receiver.TryUnprotectRtcp(report.ToArray(), report.Length, out _));
            Assert.False(receiver.TryUnprotectRtcp(report.ToArray(), report.Length, out _));

            Assert.Equal(2, receiver.ReplayDrops);
            Assert.Equal(0, receiver.AuthenticationFailures);
        }
    }

    [Fact]
    public void TheReplayWindowKeepsPacketsUpTo1023Behind()
    {
        var (sender, receiver) = Sessions(SrtpProfile.AeadAes128Gcm);
        using (sender)
        using (receiver)
        {
            var late = Protect(sender, SrtpPackets.Rtp(10));
            var tooLate = Protect(sender, SrtpPackets.Rtp(9));
            for (ushort sequence = 11; sequence <= 1033; sequence++)
            {
                var packet = Protect(sender, SrtpPackets.Rtp(sequence));
                Assert.True(receiver.TryUnprotectRtp(packet, packet.Length, out _));
            }

            Assert.True(receiver.TryUnprotectRtp(late, late.Length, out _));
            Assert.False(receiver.TryUnprotectRtp(tooLate, tooLate.Length, out _));
            Assert.Equal(1, receiver.ReplayDrops);
        }
    }

    [Fact]
    public void ARetransmissionWithTheSameSequenceNumberCanBeProtectedAgain()
    {
        var (sender, receiver) = Sessions(SrtpProfile.AesCm128HmacSha1_80);
        using (sender)
        using (receiver)
        {
            var first = Protect(sender, SrtpPackets.Rtp(300));
            _ = Protect(sender, SrtpPackets.Rtp(301));
            var again = Protect(sender, SrtpPackets.Rtp(300));

            Assert.Equal(first, again);
            Assert.Equal(0, sender.OtherErrors + sender.ReplayDrops);
        }
    }

    [Fact]
    public void MalformedInputIsCountedNotThrown()
    {
        var (sender, receiver) = Sessions(SrtpProfile.AesCm128HmacSha1_80);
        using (sender)
        using (receiver)
        {
            var packet = SrtpPackets.Rtp(1);

            // No room for the trailer, too short, length beyond the buffer.
            Assert.False(sender.TryProtectRtp(packet, packet.Length, out _));
            Assert.False(sender.TryProtectRtp(new byte[64], 8, out _));
            Assert.False(sender.TryProtectRtcp(new byte[64], 4, out _));
            Assert.False(receiver.TryUnprotectRtp(packet, packet.Length + 1, out _));
            Assert.False(receiver.TryUnprotectRtp(packet, -1, out _));
            Assert.False(receiver.TryUnprotectRtcp(new byte[8], 8, out _));
            Assert.Equal(3, sender.OtherErrors);
            Assert.Equal(3, receiver.OtherErrors + receiver.AuthenticationFailures);

            // A header whose CSRC count runs past the packet.
            var lying = new byte[40];
            lying[0] = 0x8F;
            Assert.False(receiver.TryUnprotectRtp(lying, 20, out _));
        }
    }

    [Fact]
    public void DisposeIsIdempotentAndLaterCallsFailQuietly()
    {
        var (sender, receiver) = Sessions(SrtpProfile.AeadAes128Gcm);
        sender.Dispose();
        sender.Dispose();
        receiver.Dispose();

        var buffer = new byte[200];
        var length = SrtpPackets.WriteRtp(buffer, 1, 2, 100);
        Assert.False(sender.TryProtectRtp(buffer, length, out _));
        Assert.False(receiver.TryUnprotectRtcp(buffer, length, out _));
        Assert.Equal(1, sender.OtherErrors);
    }

    [Fact]
    public void WrongKeyOrSaltLengthsAreRejectedUpFront()
    {
        Assert.Throws<ArgumentException>(() => new SrtpSession(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[14], SrtpDirection.Inbound));
        Assert.Throws<ArgumentException>(() => new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, new byte[16], new byte[12], SrtpDirection.Inbound));
        Assert.Throws<ArgumentException>(() => new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, new byte[32], new byte[14], SrtpDirection.Inbound));
    }

    internal static (SrtpSession Sender, SrtpSession Receiver) Sessions(SrtpProfile profile)
    {
        var key = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        var salt = Convert.FromHexString("0102030405060708090A0B0C0D0E")[..SrtpKeyingMaterial.SaltLength(profile)];
        return (new SrtpSession(profile, key, salt, SrtpDirection.Outbound), new SrtpSession(profile, key, salt, SrtpDirection.Inbound));
    }

    private static byte[] Protect(SrtpSession sender, byte[] plain)
    {
        var buffer = new byte[plain.Length + SrtpSession.MaxTrailer];
        plain.CopyTo(buffer, 0);
        Assert.True(sender.TryProtectRtp(buffer, plain.Length, out var length));
        return buffer[..length];
    }

    private static byte[] ProtectRtcp(SrtpSession sender, byte[] plain)
    {
        var buffer = new byte[plain.Length + SrtpSession.MaxTrailer];
        plain.CopyTo(buffer, 0);
        Assert.True(sender.TryProtectRtcp(buffer, plain.Length, out var length));
        return buffer[..length];
    }

    private static void RoundTripRtp(SrtpSession sender, SrtpSession receiver, byte[] plain)
    {
        var packet = Protect(sender, plain);
        Assert.True(packet.Length > plain.Length);
        Assert.NotEqual(plain[12..], packet[12..plain.Length]);
        Assert.True(receiver.TryUnprotectRtp(packet, packet.Length, out var length));
        Assert.Equal(plain, packet[..length]);
    }

    private static void RoundTripRtcp(SrtpSession sender, SrtpSession receiver, byte[] plain)
    {
        var packet = ProtectRtcp(sender, plain);
        Assert.True(receiver.TryUnprotectRtcp(packet, packet.Length, out var length));
        Assert.Equal(plain, packet[..length]);
    }
}

using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;

namespace MediaServer.Tests.Media.Srtp;

/// <summary>The per-packet path must not allocate: it runs for every packet of every leg.</summary>
public sealed class SrtpAllocationTests
{
    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void ProtectAndUnprotectAllocateNothing(SrtpProfile profile)
    {
        var (sender, receiver) = SrtpSessionTests.Sessions(profile);
        using (sender)
        using (receiver)
        {
            var buffer = new byte[1500];
            var report = SrtpPackets.ReceiverReport();
            var rtcp = new byte[report.Length + SrtpSession.MaxTrailer];
            ushort sequence = 0;

            // Warm up: JIT, the interop stubs, libsrtp's per-SSRC stream clone.
            RunPackets(sender, receiver, buffer, report, rtcp, ref sequence, 200);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var ok = RunPackets(sender, receiver, buffer, report, rtcp, ref sequence, 10_000);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(10_000, ok);
            Assert.Equal(0, allocated);
        }
    }

    private static int RunPackets(SrtpSession sender, SrtpSession receiver, byte[] buffer, byte[] report, byte[] rtcp, ref ushort sequence, int count)
    {
        var ok = 0;
        for (var i = 0; i < count; i++)
        {
            var length = SrtpPackets.WriteRtp(buffer, sequence++, 0xCAFEBABE, (i & 1) == 0 ? 160 : 1200);
            if (sender.TryProtectRtp(buffer, length, out var protectedLength)
                && receiver.TryUnprotectRtp(buffer, protectedLength, out var plainLength)
                && plainLength == length
                && Copy(report, rtcp)
                && sender.TryProtectRtcp(rtcp, report.Length, out protectedLength)
                && receiver.TryUnprotectRtcp(rtcp, protectedLength, out _))
            {
                ok++;
            }
        }

        return ok;
    }

    private static bool Copy(byte[] from, byte[] to)
    {
        from.CopyTo(to, 0);
        return true;
    }
}

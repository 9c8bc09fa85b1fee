using System.Net;
using MediaServer.Media;
using MediaServer.Media.Srtp;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;

namespace MediaServer.Tests.Media;

/// <summary>
/// The plain leg's per-packet path must not allocate: a received packet checked, latched-source
/// compared, handed to the leg, its digits found, relayed back (echo) and sent; a mixer frame
/// sent; RTCP taken. The datagram handler is driven on the test thread so the allocation
/// counter sees all of it; the UDP sends are real.
/// </summary>
public sealed class PlainRtpAllocationTests
{
    [Fact]
    public void ReceiveRelaySendAndDigitsAllocateNothing()
    {
        using var setup = PlainRtpLegTests.Setup.Answered();
        var (leg, peer, listener) = (setup.Leg, setup.Peer, setup.Listener);
        leg.Target = leg;
        listener.CountDigitsOnly = true;
        var transport = leg.PlainTransport!;
        var from = new IPEndPoint(IPAddress.Loopback, peer.RtpPort).Serialize();
        var rtcpFrom = new IPEndPoint(IPAddress.Loopback, peer.RtcpPort).Serialize();
        var buffer = GC.AllocateArray<byte>(PlainRtpTransport.BufferSize + SrtpSession.MaxTrailer, pinned: true);
        var frame = new byte[160];
        var report = new byte[64];
        var writer = new RtcpWriter(report);
        Assert.True(writer.TryWriteReceiverReport(peer.Ssrc, []));
        var reportLength = writer.Length;
        var keyUp = new byte[TelephoneEvent.Size];
        Assert.True(new TelephoneEvent(5, true, 10, 800).TryWrite(keyUp, out _));
        ushort sequence = 0;
        uint timestamp = 0;

        void Packet(int i)
        {
            // Every tenth packet is the end of a key press (a new event each time), the rest PCMU.
            var isEvent = i % 10 == 9;
            RtpHeader.TryWrite(buffer, false, isEvent ? (byte)101 : (byte)0, ++sequence, timestamp += 160, peer.Ssrc, out var header);
            var payload = isEvent ? keyUp.AsSpan() : frame.AsSpan();
            payload.CopyTo(buffer.AsSpan(header));
            transport.OnRtpDatagram(buffer, header + payload.Length, from);
            leg.SendAudio(frame, 160);
            if (i % 50 == 0)
            {
                report.AsSpan(0, reportLength).CopyTo(buffer);
                transport.OnRtcpDatagram(buffer, reportLength, rtcpFrom);
            }
        }

        // Warm-up: JIT and tier-up, the latch (it copies the source address once), lazy socket state.
        for (var i = 0; i < 500; i++)
        {
            Packet(i);
        }

        var digitsBefore = listener.DigitCount;
        var sentBefore = setup.Metrics.PlainRtpPacketsOut;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5000; i++)
        {
            Packet(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(500, listener.DigitCount - digitsBefore);
        // Each PCMU packet echoed, each mixer frame sent (the events are relayed too).
        Assert.True(setup.Metrics.PlainRtpPacketsOut - sentBefore >= 10_000, $"{setup.Metrics.PlainRtpPacketsOut - sentBefore} sent");
        Assert.Equal(0, setup.Metrics.PlainRtpSendErrors);
    }
}

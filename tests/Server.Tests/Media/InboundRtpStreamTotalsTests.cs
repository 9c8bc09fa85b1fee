using MediaServer.Media;
using MediaServer.Protocol.Rtp;

namespace MediaServer.Tests.Media;

/// <summary>The life totals a call record takes from a received stream: across sender changes, and nothing for a stream that never started.</summary>
public sealed class InboundRtpStreamTotalsTests
{
    [Fact]
    public void AStreamThatNeverStartedHasReceivedAndLostNothing()
    {
        new InboundRtpStream(48000).GetTotals(out var received, out var lost, out var jitter);
        Assert.Equal((0, 0, 0.0), (received, lost, jitter));
    }

    [Fact]
    public void TotalsKeepWhatEarlierSendersGotAndLost()
    {
        var stream = new InboundRtpStream(8000);
        // First sender: 1..10 without 5 (one lost).
        for (ushort sequence = 1; sequence <= 10; sequence++)
        {
            if (sequence != 5)
            {
                Receive(stream, 0x1111, sequence, sequence * 160u, sequence * 20);
            }
        }

        // A new sender (a re-attached browser): 500..504 without 502 (one lost).
        for (ushort sequence = 500; sequence <= 504; sequence++)
        {
            if (sequence != 502)
            {
                Receive(stream, 0x2222, sequence, sequence * 160u, 1000 + (sequence * 20));
            }
        }

        stream.GetTotals(out var received, out var lost, out var jitter);
        Assert.Equal(13, received);
        Assert.Equal(2, lost);
        // Packets arrived exactly on their timestamps' schedule: no jitter.
        Assert.Equal(0, jitter, 3);
    }

    private static void Receive(InboundRtpStream stream, uint ssrc, ushort sequence, uint timestamp, long nowMs)
    {
        var buffer = new byte[32];
        Assert.True(RtpHeader.TryWrite(buffer, false, 0, sequence, timestamp, ssrc, out var header));
        Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, header + 20), out var packet));
        stream.OnPacket(packet, nowMs);
    }
}

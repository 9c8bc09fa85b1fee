using System.Net;
using System.Net.Sockets;
using MediaServer.Configuration;
using MediaServer.Media;
using MediaServer.Observability;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Tests.Media;

/// <summary>The plain RTP port pairs: even RTP port and the next for RTCP, bounded, skipping ports held elsewhere, given back on dispose.</summary>
public sealed class RtpPortPoolTests
{
    [Fact]
    public void PairsAreAnEvenPortAndTheNextBothBoundOnTheBindAddress()
    {
        var pool = TestRtpPorts.Pool();
        Assert.True(pool.TryRent(out var lease));
        using (lease)
        {
            Assert.Equal(0, lease.RtpPort % 2);
            Assert.Equal(lease.RtpPort + 1, lease.RtcpPort);
            Assert.InRange(lease.RtpPort, pool.Range.First, pool.Range.Last - 1);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, lease.RtpPort), lease.Rtp.LocalEndPoint);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, lease.RtcpPort), lease.Rtcp.LocalEndPoint);
        }
    }

    [Fact]
    public void AnOddFirstPortStartsAtTheNextEvenOneAndALoneLastPortIsLeftOut()
    {
        var first = 31001 + (2 * Random.Shared.Next(0, 40));
        var pool = new RtpPortPool(new PortRange(first, first + 4), IPAddress.Loopback);

        Assert.Equal(2, pool.Capacity);
    }

    [Fact]
    public void WhenEveryPairIsRentedTheNextRentalFailsUntilOneIsGivenBack()
    {
        var metrics = new ServerMetrics();
        var pool = TestRtpPorts.Pool(metrics, ports: 8);
        Assert.Equal(4, pool.Capacity);
        var leases = new List<RtpPortLease>();
        while (leases.Count <= pool.Capacity && pool.TryRent(out var lease))
        {
            leases.Add(lease);
        }

        try
        {
            // All four, unless another process holds one of these ports right now.
            Assert.InRange(leases.Count, 1, pool.Capacity);
            Assert.Equal(leases.Count, pool.InUse);
            Assert.Equal(leases.Count, metrics.RtpPortsInUse);
            Assert.Equal(leases.Count, leases.Select(l => l.RtpPort).Distinct().Count());
            Assert.False(pool.TryRent(out _));
            // The loop's last try and this one.
            Assert.Equal(2, metrics.RtpPortsExhausted);
            Assert.False(MediaLeg.TryCreatePlain(pool, IPAddress.Loopback, PlainRtpLegTests.CodecListOf("pcmu"), new RecordingLegListener(), "x", out var leg));
            Assert.Null(leg);
            var exception = Assert.Throws<InvalidOperationException>(() => MediaLeg.CreatePlain(pool, IPAddress.Loopback, PlainRtpLegTests.CodecListOf("pcmu"), new RecordingLegListener(), "x"));
            Assert.Contains(pool.Range.ToString(), exception.Message, StringComparison.Ordinal);

            var returned = leases[^1];
            returned.Dispose();
            returned.Dispose();
            leases.RemoveAt(leases.Count - 1);
            Assert.Equal(leases.Count, pool.InUse);

            Assert.True(pool.TryRent(out var again));
            leases.Add(again);
            Assert.Equal(returned.RtpPort, again.RtpPort);
        }
        finally
        {
            leases.ForEach(l => l.Dispose());
        }

        Assert.Equal(0, pool.InUse);
        Assert.Equal(0, metrics.RtpPortsInUse);
    }

    [Fact]
    public void APortHeldByAnotherSocketIsSkipped()
    {
        var pool = TestRtpPorts.Pool(ports: 4);
        Assert.Equal(2, pool.Capacity);
        // Someone else has the RTCP port of the first pair: only the second can be rented.
        using var squatter = new UdpClient(new IPEndPoint(IPAddress.Loopback, pool.Range.First + 1));

        Assert.True(pool.TryRent(out var lease));
        using (lease)
        {
            Assert.Equal(pool.Range.First + 2, lease.RtpPort);
            Assert.False(pool.TryRent(out _));
        }
    }

    [Fact]
    public void RentalsFromManyThreadsNeverShareAPair()
    {
        var pool = TestRtpPorts.Pool(ports: 100);
        var leases = new System.Collections.Concurrent.ConcurrentBag<RtpPortLease>();
        Parallel.For(0, 40, _ =>
        {
            if (pool.TryRent(out var lease))
            {
                leases.Add(lease);
            }
        });

        try
        {
            Assert.Equal(leases.Count, leases.Select(l => l.RtpPort).Distinct().Count());
            Assert.Equal(leases.Count, pool.InUse);
            Assert.True(leases.Count >= 30, $"{leases.Count} of 40 rented");
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }

        Assert.Equal(0, pool.InUse);
    }
}

using System.Net;
using MediaServer.Configuration;
using MediaServer.Media;
using MediaServer.Observability;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Tests.Media;

/// <summary>
/// Port pools for plain RTP tests on 127.0.0.1: each gets the next slice of 30000-32699
/// (below Linux's ephemeral range, so test sockets bound to port 0 do not sit in it), going
/// round so that tests running in parallel do not compete for the same ports.
/// </summary>
internal static class TestRtpPorts
{
    private const int First = 30000;
    private const int Size = 2700;
    private static int _next = 20 * Random.Shared.Next(Size / 20);

    public static RtpPortPool Pool(ServerMetrics? metrics = null, int ports = 20)
    {
        var end = Interlocked.Add(ref _next, ports);
        var start = (end - ports) % Size;
        if (start + ports > Size)
        {
            start = 0;
        }

        var first = First + start;
        return new RtpPortPool(new PortRange(first, first + ports - 1), IPAddress.Loopback, metrics ?? new ServerMetrics(), NullLogger.Instance);
    }
}

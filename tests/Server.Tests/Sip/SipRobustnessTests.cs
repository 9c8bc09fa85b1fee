using System.Text;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Sip;

/// <summary>
/// The live SIP port under bad input: OPTIONS answered, garbage answered 400 (when it names
/// a Via to answer) or dropped, unknown methods 501, a retransmitted request answered from
/// its transaction, a flood from one address rate-limited, and 10,000 mutated messages after
/// which the server still answers OPTIONS.
/// </summary>
[Collection(nameof(MediaServer.Tests.Browser.BrowserCollection))]
public sealed class SipRobustnessTests
{
    [Fact]
    public async Task OptionsIsAnsweredAndARetransmissionGetsTheSameAnswer()
    {
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });
        var sipPort = server.SipPort;
        using var client = new SipUdpClient(sipPort);

        var options = client.Options("z9hG4bKfixedbranch1");
        client.Send(options);
        var first = await client.ReceiveAsync();
        Assert.NotNull(first);
        Assert.StartsWith("SIP/2.0 200 OK\r\n", first, StringComparison.Ordinal);
        Assert.Contains("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER", first, StringComparison.Ordinal);
        // RFC 3581: the Via asked for rport, so the answer says where the request came from.
        Assert.Contains($"rport={client.LocalPort}", first, StringComparison.Ordinal);
        Assert.Contains("received=127.0.0.1", first, StringComparison.Ordinal);

        client.Send(options);
        Assert.Equal(first, await client.ReceiveAsync());
    }

    [Fact]
    public async Task MalformedRequestsGet400UnknownMethods501AndGarbageIsDropped()
    {
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });
        var sipPort = server.SipPort;
        using var client = new SipUdpClient(sipPort);

        // No Call-ID: a 400 that copies the Via so the sender can match it.
        client.Send($"INVITE sip:3500@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{client.LocalPort};branch=z9hG4bKbad1\nFrom: <sip:a@b>;tag=1\nTo: <sip:3500@127.0.0.1>\nCSeq: 1 INVITE\nMax-Forwards: 70\nContent-Length: 0\n\n");
        var bad = await client.ReceiveAsync();
        Assert.NotNull(bad);
        Assert.StartsWith("SIP/2.0 400 ", bad, StringComparison.Ordinal);
        Assert.Contains("branch=z9hG4bKbad1", bad, StringComparison.Ordinal);

        var unknown = client.Options().Replace("OPTIONS", "FROBNICATE", StringComparison.Ordinal);
        client.Send(unknown);
        var notImplemented = await client.ReceiveAsync();
        Assert.NotNull(notImplemented);
        Assert.StartsWith("SIP/2.0 501 Not Implemented\r\n", notImplemented, StringComparison.Ordinal);

        client.Send(Encoding.ASCII.GetBytes("\u0001\u0002 this is not SIP at all"));
        client.Send(new byte[] { 0x80, 0x00, 0x01, 0x02 });
        Assert.Null(await client.ReceiveAsync(TimeSpan.FromMilliseconds(500)));

        client.Send(client.Options());
        Assert.StartsWith("SIP/2.0 200 OK", await client.ReceiveAsync(), StringComparison.Ordinal);
        var metrics = await server.MetricsAsync();
        Assert.Contains("mediaserver_sip_unknown_methods_total 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("mediaserver_sip_malformed_total 0\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandMutatedMessagesLeaveTheServerAnsweringOptions()
    {
        await using var server = await TestServer.StartAsync(serverJson: new JsonObject { ["sipPort"] = 0 });
        var sipPort = server.SipPort;
        using var client = new SipUdpClient(sipPort);
        var random = new Random(4475);
        var seeds = new[]
        {
            client.Options(),
            $"INVITE sip:3500@127.0.0.1:{sipPort} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{client.LocalPort};branch=z9hG4bKseed\nFrom: \"Fuzz\" <sip:fuzz@127.0.0.1>;tag=9\nTo: <sip:3500@127.0.0.1>\nCall-ID: seed@127.0.0.1\nCSeq: 1 INVITE\nContact: <sip:fuzz@127.0.0.1:{client.LocalPort}>\nMax-Forwards: 70\nContent-Type: application/sdp\nContent-Length: 118\n\nv=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 40000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\n",
            $"REGISTER sip:127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{client.LocalPort};branch=z9hG4bKreg\nFrom: <sip:1000@localhost>;tag=r1\nTo: <sip:1000@localhost>\nCall-ID: reg@127.0.0.1\nCSeq: 7 REGISTER\nContact: <sip:1000@127.0.0.1:{client.LocalPort}>;expires=60\nAuthorization: Digest username=\"1000\", realm=\"localhost\", nonce=\"abc.def\", uri=\"sip:127.0.0.1\", response=\"00\", qop=auth, nc=00000001, cnonce=\"x\"\nContent-Length: 0\n\n",
        };
        for (var i = 0; i < 10_000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)].ReplaceLineEndings("\r\n"));
            switch (random.Next(4))
            {
                case 0:
                    for (var flips = random.Next(1, 8); flips > 0; flips--)
                    {
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    bytes = bytes[..random.Next(1, bytes.Length)];
                    break;
                case 2:
                    var at = random.Next(bytes.Length);
                    bytes = [.. bytes[..at], .. bytes[at..].Take(random.Next(0, 40)), .. bytes[at..]];
                    break;
                default:
                    random.NextBytes(bytes.AsSpan(random.Next(bytes.Length / 2)));
                    break;
            }

            client.Send(bytes);
        }

        // The rate limit refills within a couple of seconds; then OPTIONS is answered as before
        // (asked from a fresh port, so no queued answer to a mutant can pass for it).
        await Task.Delay(2500);
        using var probe = new SipUdpClient(sipPort);
        string? answer = null;
        for (var attempt = 0; attempt < 10 && answer?.StartsWith("SIP/2.0 200", StringComparison.Ordinal) != true; attempt++)
        {
            probe.Send(probe.Options());
            answer = await probe.ReceiveAsync(TimeSpan.FromSeconds(1));
        }

        Assert.StartsWith("SIP/2.0 200 OK", answer, StringComparison.Ordinal);
        Assert.Contains("mediaserver_sip_rate_limited_total", await server.MetricsAsync(), StringComparison.Ordinal);
    }
}

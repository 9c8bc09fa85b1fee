using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

public class IceCandidateTests
{
    [Theory]
    [InlineData("1034829124 1 udp 2122194687 192.0.2.2 33592 typ host generation 0 network-id 1")]
    [InlineData("3271879120 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1")]
    [InlineData("0 2 UDP 2122187006 95bfa8e9-7422-4392-b4b8-fe3fecd42b6b.local 59711 typ host")]
    [InlineData("842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 192.0.2.2 rport 33592 generation 0")]
    [InlineData("4 1 udp 16777215 2001:db8::1 3478 typ relay raddr 0.0.0.0 rport 0")]
    public void ParsesAndWritesBack(string value)
    {
        Assert.True(IceCandidate.TryParse(value, out var candidate));
        Assert.Equal(value, candidate!.ToString());
        Assert.True(IceCandidate.TryParse("candidate:" + value, out var prefixed));
        Assert.Equal(value, prefixed!.ToString());
    }

    [Fact]
    public void ReadsTheFields()
    {
        Assert.True(IceCandidate.TryParse("842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 192.0.2.2 rport 33592 generation 0", out var c));

        Assert.Equal(("842163049", 1, "udp", 1677729535u, "203.0.113.7", 50000, "srflx"), (c!.Foundation, c.Component, c.Transport, c.Priority, c.Address, c.Port, c.Type));
        Assert.Equal(("192.0.2.2", 33592), (c.RelatedAddress, c.RelatedPort));
        Assert.Equal([new("generation", "0")], c.Extensions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 1 udp 1 1.2.3.4 9 host")]
    [InlineData("1 0 udp 1 1.2.3.4 9 typ host")]
    [InlineData("1 1 udp -1 1.2.3.4 9 typ host")]
    [InlineData("1 1 udp 1 1.2.3.4 70000 typ host")]
    [InlineData("1 1 udp 1 1.2.3.4 9 typ host generation")]
    [InlineData("1 1 udp 1 1.2.3.4 9 typ relay raddr 1.2.3.4 rport x")]
    public void RefusesMalformedCandidates(string value) => Assert.False(IceCandidate.TryParse(value, out _));

    [Fact]
    public void FingerprintParsesAndConvertsToDigest()
    {
        var digest = System.Security.Cryptography.SHA256.HashData("certificate"u8);
        var fingerprint = SdpFingerprint.FromDigest("SHA-256", digest);

        Assert.Equal("sha-256", fingerprint.Algorithm);
        Assert.Equal(digest, fingerprint.GetDigest());
        Assert.True(SdpFingerprint.TryParse(fingerprint.ToString().ToLowerInvariant(), out var parsed));
        Assert.Equal(fingerprint, parsed);
        Assert.False(SdpFingerprint.TryParse("sha-256 AB:CD:", out _));
        Assert.False(SdpFingerprint.TryParse("sha-256", out _));
        Assert.False(SdpFingerprint.TryParse("sha-256 GG:00", out _));
    }
}

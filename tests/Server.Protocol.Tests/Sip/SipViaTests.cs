using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipViaTests
{
    [Fact]
    public void TypicalVia()
    {
        Assert.True(SipVia.TryParse("SIP/2.0/UDP 192.0.2.10:5061;branch=z9hG4bK-1;rport;received=198.51.100.1", out var via));
        Assert.Equal("SIP/2.0/UDP", via!.Protocol);
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.0.2.10", via.Host);
        Assert.Equal(5061, via.Port);
        Assert.Equal("z9hG4bK-1", via.Branch);
        Assert.Equal("198.51.100.1", via.Received);
        Assert.True(via.HasRport);
        Assert.Null(via.Rport);
    }

    [Fact]
    public void Rfc3581ReceivedAndRport()
    {
        Assert.True(SipVia.TryParse("SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bKabc", out var via));
        var stamped = via!.WithParameter("received", "203.0.113.9").WithParameter("rport", "41234");
        Assert.Equal("SIP/2.0/UDP 10.0.0.5:5060;rport=41234;branch=z9hG4bKabc;received=203.0.113.9", stamped.ToString());
        Assert.Equal(41234, stamped.Rport);
        Assert.Equal("SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bKabc", via.ToString());
    }

    [Fact]
    public void WhitespaceAndCaseAreNormalized()
    {
        Assert.True(SipVia.TryParse("sip / 2.0 / tcp  [2001:db8::9] : 5070 ; branch = z9hG4bKx ; received=2001:db8::1", out var via));
        Assert.Equal("SIP/2.0/TCP", via!.Protocol);
        Assert.Equal("[2001:db8::9]", via.Host);
        Assert.Equal(5070, via.Port);
        Assert.Equal("2001:db8::1", via.Received);
        Assert.Equal("SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bKx;received=2001:db8::1", via.ToString());
    }

    [Fact]
    public void Lists()
    {
        var vias = SipVia.ParseList("SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/TCP b.example:5080 ;branch=z9hG4bK2");
        Assert.Equal(["a.example", "b.example"], vias.Select(v => v.Host));
        Assert.Empty(SipVia.ParseList("SIP/2.0/UDP 192.0.2.15;;,;,,"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0 192.0.2.1")]
    [InlineData("SIP/2.0/UDP192.0.2.1")]
    [InlineData("SIP/2.0/UDP 192.0.2.1;")]
    [InlineData("SIP/2.0/UDP 192.0.2.1;branch=")]
    [InlineData("SIP/2.0/UDP 192.0.2.1:99999")]
    [InlineData("SIP/2.0/UDP host name")]
    [InlineData("SIP/2.0/UDP 192.0.2.1;branch=a;branch=b")]
    [InlineData("SIP//UDP 192.0.2.1")]
    public void Malformed(string text) => Assert.False(SipVia.TryParse(text, out _), text);

    [Fact]
    public void CSeqForms()
    {
        Assert.True(SipCSeq.TryParse(" 0009 \t INVITE ", out var cseq));
        Assert.Equal(new SipCSeq(9, "INVITE"), cseq);
        Assert.Equal("9 INVITE", cseq.ToString());
        Assert.True(SipCSeq.TryParse("2147483647 ACK", out var max));
        Assert.Equal(2147483647u, max.Number);
        Assert.False(SipCSeq.TryParse("2147483648 ACK", out _));
        Assert.False(SipCSeq.TryParse("1INVITE", out _));
        Assert.False(SipCSeq.TryParse("INVITE", out _));
        Assert.False(SipCSeq.TryParse("1 ", out _));
        Assert.False(SipCSeq.TryParse("-1 INVITE", out _));
        Assert.False(SipCSeq.TryParse("1 IN VITE", out _));
        Assert.False(SipCSeq.TryParse(null, out _));
    }
}

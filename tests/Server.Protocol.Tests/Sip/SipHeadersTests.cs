using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipHeadersTests
{
    [Theory]
    [InlineData("v", "Via")]
    [InlineData("I", "Call-ID")]
    [InlineData("call-id", "Call-ID")]
    [InlineData("CSEQ", "CSeq")]
    [InlineData("o", "Event")]
    [InlineData("u", "Allow-Events")]
    [InlineData("r", "Refer-To")]
    [InlineData("b", "Referred-By")]
    [InlineData("x", "Session-Expires")]
    [InlineData("k", "Supported")]
    [InlineData("www-authenticate", "WWW-Authenticate")]
    [InlineData("X-Custom", "X-Custom")]
    [InlineData("q", "q")]
    public void NamesAreCanonical(string name, string canonical) => Assert.Equal(canonical, SipHeaderNames.Normalize(name));

    [Fact]
    public void AddGetSetRemove()
    {
        var headers = new SipHeaders();
        headers.Add("v", "SIP/2.0/UDP a;branch=z9hG4bK1");
        headers.Add("Via", "SIP/2.0/UDP b;branch=z9hG4bK2, SIP/2.0/UDP c;branch=z9hG4bK3");
        headers.Add("m", "<sip:x@y>");
        headers.Insert(0, "VIA", "SIP/2.0/UDP top;branch=z9hG4bK0");
        Assert.Equal(4, headers.Count);
        Assert.Equal("SIP/2.0/UDP top;branch=z9hG4bK0", headers.Get("v"));
        Assert.Equal(3, headers.GetAll("via").Count);
        Assert.Equal(["Via", "Via", "Via", "Contact"], headers.Select(h => h.Key));

        headers.Set("Via", "SIP/2.0/TCP only;branch=z9hG4bK9");
        Assert.Equal(["Via", "Contact"], headers.Select(h => h.Key));
        headers.Set("Expires", "60");
        Assert.Equal("60", headers.Get("expires"));
        Assert.True(headers.Remove("m"));
        Assert.False(headers.Remove("Contact"));
        Assert.Null(headers.Get("Contact"));
        Assert.Empty(headers.GetAll("Contact"));
    }

    [Theory]
    [InlineData("Bad Name", "x")]
    [InlineData("", "x")]
    [InlineData("X-Inject", "a\r\nVia: evil")]
    [InlineData("X-Inject", "a\nb")]
    [InlineData("X-Nul", "a\0")]
    public void InjectionIsRefused(string name, string value)
    {
        var headers = new SipHeaders();
        Assert.Throws<ArgumentException>(() => headers.Add(name, value));
        Assert.Throws<ArgumentException>(() => headers.Set(name, value));
        Assert.Equal(0, headers.Count);
    }
}

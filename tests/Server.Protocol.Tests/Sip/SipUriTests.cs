using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipUriTests
{
    [Fact]
    public void FullSipUri()
    {
        Assert.True(SipUri.TryParse("SIP:alice:secret@Example.COM:5070;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent", out var uri));
        Assert.Equal("sip", uri!.Scheme);
        Assert.Equal("alice", uri.User);
        Assert.Equal("secret", uri.Password);
        Assert.Equal("Example.COM", uri.Host);
        Assert.Equal(5070, uri.Port);
        Assert.Equal("tcp", uri.Transport);
        Assert.True(uri.Parameters.ContainsKey("LR"));
        Assert.Null(uri.Parameters["lr"]);
        Assert.Equal("239.255.255.1", uri.Parameters["maddr"]);
        Assert.Equal("project x", uri.Headers["Subject"]);
        Assert.Equal("urgent", uri.Headers["priority"]);
        Assert.Equal("sip:alice:secret@Example.COM:5070;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent", uri.ToString());
    }

    [Theory]
    [InlineData("sip:[2001:db8::10]:5060;transport=udp", "[2001:db8::10]", 5060)]
    [InlineData("sips:bob@[::1]", "[::1]", null)]
    [InlineData("sip:192.0.2.4", "192.0.2.4", null)]
    [InlineData("sip:+12125551212@gw.example.com;user=phone", "gw.example.com", null)]
    [InlineData("sip:host_with_underscore.example.com:0", "host_with_underscore.example.com", 0)]
    public void Hosts(string text, string host, int? port)
    {
        Assert.True(SipUri.TryParse(text, out var uri));
        Assert.Equal(host, uri!.Host);
        Assert.Equal(port, uri.Port);
        Assert.Equal(text, uri.ToString());
    }

    [Fact]
    public void EscapedUserIsUnescapedAndEscapedBack()
    {
        Assert.True(SipUri.TryParse("sip:%61lice%20smith%40home@example.com", out var uri));
        Assert.Equal("alice smith@home", uri!.User);
        Assert.Equal("sip:alice%20smith%40home@example.com", uri.ToString());
        Assert.Equal(uri, new SipUri("sip", "alice smith@home", "example.com"));
        Assert.Equal("sip:j%C3%BCrgen@example.com", new SipUri("sip", "jürgen", "example.com").ToString());
    }

    [Fact]
    public void TelAndOtherSchemes()
    {
        Assert.True(SipUri.TryParse("tel:+1-201-555-0123;phone-context=example.com", out var tel));
        Assert.Equal("tel", tel!.Scheme);
        Assert.Equal("+1-201-555-0123", tel.User);
        Assert.Equal("example.com", tel.Parameters["phone-context"]);
        Assert.Equal("tel:+1-201-555-0123;phone-context=example.com", tel.ToString());

        Assert.True(SipUri.TryParse("urn:service:sos", out var urn));
        Assert.Equal("urn", urn!.Scheme);
        Assert.Equal("service:sos", urn.Opaque);
        Assert.Equal("urn:service:sos", urn.ToString());
    }

    [Fact]
    public void WithParameterAndEquality()
    {
        Assert.True(SipUri.TryParse("sip:bob@example.com;transport=udp", out var uri));
        var changed = uri!.WithParameter("transport", "tcp").WithParameter("lr", null);
        Assert.Equal("sip:bob@example.com;transport=tcp;lr", changed.ToString());
        Assert.Equal("sip:bob@example.com;transport=udp", uri.ToString());
        Assert.Equal("sip:bob@example.com:5080;transport=udp", (uri with { Port = 5080 }).ToString());
        Assert.NotEqual(uri, changed);
        Assert.Equal(uri.GetHashCode(), SipUri.TryParse(uri.ToString(), out var again) ? again!.GetHashCode() : 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sip:")]
    [InlineData("sip:@example.com")]
    [InlineData("sip:alice@")]
    [InlineData("sip:alice@example.com:")]
    [InlineData("sip:alice@example.com:65536")]
    [InlineData("sip:alice@example.com:5o60")]
    [InlineData("sip:alice@exa mple.com")]
    [InlineData("sip:al ice@example.com")]
    [InlineData("sip:alice@example.com;")]
    [InlineData("sip:alice@example.com;;lr")]
    [InlineData("sip:alice@example.com;a=")]
    [InlineData("sip:alice@example.com;a=1;A=2")]
    [InlineData("sip:alice@example.com?")]
    [InlineData("sip:alice@example.com?a")]
    [InlineData("sip:%4@example.com")]
    [InlineData("sip:%zz@example.com")]
    [InlineData("sip:[2001:db8::1")]
    [InlineData("sip:[192.0.2.1]")]
    [InlineData("sip:[::1]x")]
    [InlineData("sip:.example.com")]
    [InlineData("sip:<example.com>")]
    [InlineData("1sip:example.com")]
    [InlineData(":example.com")]
    [InlineData("tel:")]
    [InlineData("tel:+1 555")]
    [InlineData("mailto:")]
    [InlineData("http://exa mple.com")]
    public void Malformed(string text) => Assert.False(SipUri.TryParse(text, out _), text);
}

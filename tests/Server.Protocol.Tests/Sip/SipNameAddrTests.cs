using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipNameAddrTests
{
    [Theory]
    [InlineData("\"Alice\" <sip:alice@example.com>;tag=1928301774", "Alice", "sip:alice@example.com", "1928301774")]
    [InlineData("Alice Liddell <sip:alice@example.com>", "Alice Liddell", "sip:alice@example.com", null)]
    [InlineData("<sip:alice@example.com;transport=tcp>;tag=a;q=0.5", null, "sip:alice@example.com;transport=tcp", "a")]
    [InlineData("sip:alice@example.com;tag=b", null, "sip:alice@example.com", "b")]
    [InlineData("  sip:alice@example.com  ;  tag = c ", null, "sip:alice@example.com", "c")]
    [InlineData("\"\" <sip:alice@example.com>", "", "sip:alice@example.com", null)]
    [InlineData("\"A \\\"quoted\\\" \\\\ name\"<tel:+15551234>", "A \"quoted\" \\ name", "tel:+15551234", null)]
    public void Forms(string text, string? display, string uri, string? tag)
    {
        Assert.True(SipNameAddr.TryParse(text, out var value), text);
        Assert.Equal(display, value!.DisplayName);
        Assert.Equal(uri, value.Uri.ToString());
        Assert.Equal(tag, value.Tag);

        // The canonical form reads back to the same value.
        Assert.True(SipNameAddr.TryParse(value.ToString(), out var again), value.ToString());
        Assert.Equal(value, again);
    }

    [Fact]
    public void AddrSpecParametersBelongToTheHeader()
    {
        Assert.True(SipNameAddr.TryParse("sip:bob@example.com;transport=tcp;expires=60", out var value));
        Assert.Empty(value!.Uri.Parameters);
        Assert.Equal("tcp", value.Parameters["transport"]);
        Assert.Equal("<sip:bob@example.com>;transport=tcp;expires=60", value.ToString());
    }

    [Fact]
    public void ListsRespectQuotesAndBrackets()
    {
        var list = SipNameAddr.ParseList("\"Doe, John\" <sip:j,k@a.example;x=1>, <sip:k@b.example>;q=0.1 ,sip:l@c.example");
        Assert.Equal(["Doe, John", null, null], list.Select(e => e.DisplayName));
        Assert.Equal(["a.example", "b.example", "c.example"], list.Select(e => e.Uri.Host));
        Assert.Empty(SipNameAddr.ParseList("<sip:a@b>, , <sip:c@d>"));
        Assert.Empty(SipNameAddr.ParseList("<sip:a@b>, <sip:c@d"));
        Assert.False(SipNameAddr.TryParseList("<sip:a@b>,", out _));
    }

    [Fact]
    public void Wildcard()
    {
        Assert.True(SipNameAddr.TryParse(" * ", out var value));
        Assert.True(value!.IsWildcard);
        Assert.Equal("*", value.ToString());
        Assert.Single(SipNameAddr.ParseList("*"));
    }

    [Fact]
    public void WithTag()
    {
        Assert.True(SipNameAddr.TryParse("Bob <sip:bob@example.com>;expires=5", out var value));
        var tagged = value!.WithTag("x1");
        Assert.Equal("\"Bob\" <sip:bob@example.com>;expires=5;tag=x1", tagged.ToString());
        Assert.Equal("y2", tagged.WithTag("y2").Tag);
        Assert.Null(value.Tag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"Mr. J. User <sip:j.user@example.com>")]
    [InlineData("Bell, Alexander <sip:a.g.bell@example.com>")]
    [InlineData("\"Watson\" < sip:t.watson@example.org >")]
    [InlineData("<sip:a@b")]
    [InlineData("sip:a@b?Route=%3Csip:c%3E")]
    [InlineData("<sip:a@b>;;tag=1")]
    [InlineData("<sip:a@b>;tag=1;tag=2")]
    [InlineData("<sip:a@b>;tag=")]
    [InlineData("<sip:a@b> junk")]
    [InlineData("\"a\" \"b\" <sip:a@b>")]
    [InlineData("\"a\" b <sip:a@b>")]
    [InlineData("<>")]
    [InlineData("Alice")]
    public void Malformed(string text) => Assert.False(SipNameAddr.TryParse(text, out _), text);
}

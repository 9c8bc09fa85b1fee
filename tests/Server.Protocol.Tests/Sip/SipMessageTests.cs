using System.Text;
using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipMessageTests
{
    [Fact]
    public void InviteParses()
    {
        Assert.True(SipMessage.TryParse(SipSamples.Invite, out var message, out var error), error.ToString());
        Assert.True(message!.IsRequest);
        Assert.Equal("INVITE", message.Method);
        Assert.Equal("sip:3000@192.0.2.1:5060", message.RequestUri!.ToString());
        Assert.Equal("1-8012@192.0.2.10", message.CallId);
        Assert.Equal(new SipCSeq(1, "INVITE"), message.CSeq);
        Assert.Equal(70, message.MaxForwards);
        Assert.Equal("application/sdp", message.ContentType);
        var via = Assert.Single(message.Vias);
        Assert.Equal("SIP/2.0/UDP", via.Protocol);
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.0.2.10", via.Host);
        Assert.Equal(5061, via.Port);
        Assert.Equal("z9hG4bK-8012-1-0", via.Branch);
        Assert.True(via.HasRport);
        Assert.Null(via.Rport);
        Assert.Equal("sipp", message.From!.DisplayName);
        Assert.Equal("8012SIPpTag001", message.From.Tag);
        Assert.Null(message.To!.Tag);
        Assert.Equal("udp", Assert.Single(message.Contacts).Uri.Transport);
        Assert.StartsWith("v=0\r\n", Encoding.ASCII.GetString(message.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void SamplesRoundTripByteForByte()
    {
        foreach (var sample in SipSamples.All)
        {
            Assert.True(SipMessage.TryParse(sample, out var message, out var error), error.ToString());
            Assert.Equal(Encoding.UTF8.GetString(sample), Encoding.UTF8.GetString(message!.ToArray()));
        }
    }

    [Fact]
    public void ResponseCopiesWhatRfc3261Section8_2_6_2Asks()
    {
        Assert.True(SipMessage.TryParse(SipSamples.Ok, out var ok, out _));
        var request = SipMessage.CreateRequest("INVITE", new SipUri("sip", "bob", "example.com"));
        foreach (var field in ok!.Headers)
        {
            request.Headers.Add(field.Key, field.Value);
        }

        request.Headers.Set("To", "Bob <sip:bob@example.com>");
        request.Body = [1, 2, 3];
        var response = SipMessage.CreateResponse(request, 180, "Ringing", "as83kd");
        Assert.False(response.IsRequest);
        Assert.Equal(180, response.StatusCode);
        Assert.Equal("INVITE", response.Method);
        Assert.Equal(request.Headers.GetAll("Via"), response.Headers.GetAll("Via"));
        Assert.Equal(["Via", "Via", "Via", "To", "From", "Call-ID", "CSeq"], response.Headers.Select(h => h.Key));
        Assert.Equal("as83kd", response.To!.Tag);
        Assert.Equal("\"Bob\" <sip:bob@example.com>;tag=as83kd", response.Headers.Get("To"));
        Assert.Equal(request.Headers.Get("From"), response.Headers.Get("From"));
        Assert.Empty(response.Body);
        Assert.Null(response.RequestUri);

        // A To that already has a tag keeps it; no tag asked, none added.
        request.Headers.Set("To", "<sip:bob@example.com>;tag=existing");
        Assert.Equal("existing", SipMessage.CreateResponse(request, 200, "OK", "new").To!.Tag);
        Assert.Equal("existing", SipMessage.CreateResponse(request, 200, "OK").To!.Tag);

        var text = response.ToString();
        Assert.StartsWith("SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP server10.example.com;", text, StringComparison.Ordinal);
        Assert.EndsWith("CSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n", text, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SipMessage.CreateResponse(request, 99, "x"));
        Assert.Throws<ArgumentException>(() => SipMessage.CreateResponse(request, 200, "O\r\nK"));
    }

    [Fact]
    public void CreatedRequestIsWrittenCanonically()
    {
        var request = SipMessage.CreateRequest("OPTIONS", new SipUri("sip", "carol", "chicago.example.com"));
        request.Headers.Add("v", "SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877");
        request.Headers.Add("Max-Forwards", "70");
        request.Headers.Add("t", "<sip:carol@chicago.example.com>");
        request.Headers.Add("f", "Alice <sip:alice@example.com>;tag=1928301774");
        request.Headers.Add("i", "a84b4c76e66710");
        request.Headers.Add("cseq", "63104 OPTIONS");
        request.Headers.Add("l", "999");
        request.Body = Encoding.ASCII.GetBytes("hello");
        const string expected =
            "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877\r\n" +
            "Max-Forwards: 70\r\n" +
            "To: <sip:carol@chicago.example.com>\r\n" +
            "From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
            "Call-ID: a84b4c76e66710\r\n" +
            "CSeq: 63104 OPTIONS\r\n" +
            "Content-Length: 5\r\n" +
            "\r\n" +
            "hello";
        Assert.Equal(expected, request.ToString());
        Assert.Equal(expected.Length, request.GetSize());

        var buffer = new byte[expected.Length];
        Assert.False(request.TryWrite(buffer.AsSpan(0, expected.Length - 1), out var written));
        Assert.Equal(0, written);
        Assert.True(request.TryWrite(buffer, out written));
        Assert.Equal(expected.Length, written);

        request.RequestUri = new SipUri("sip", "dave", "example.org", 5070);
        Assert.StartsWith("OPTIONS sip:dave@example.org:5070 SIP/2.0\r\n", request.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SipMessage.CreateRequest("BAD METHOD", new SipUri("sip", null, "x")));
    }

    [Fact]
    public void TypedAccessorsFollowHeaderChanges()
    {
        Assert.True(SipMessage.TryParse(SipSamples.Register, out var message, out _));
        Assert.Equal(3600, message!.Expires);
        Assert.Equal("3600", Assert.Single(message.Contacts).Parameters["expires"]);
        Assert.Equal("\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"", message.Contacts[0].Parameters["+sip.instance"]);
        Assert.Same(message.Vias, message.Vias);

        message.Headers.Add("Contact", "<sip:bob@203.0.113.4>;expires=0, *");
        Assert.Empty(message.Contacts);
        message.Headers.Set("Contact", "*");
        Assert.True(Assert.Single(message.Contacts).IsWildcard);
        message.Headers.Set("Via", "garbage");
        Assert.Empty(message.Vias);
        message.Headers.Set("From", "<sip:broken");
        Assert.Null(message.From);
        message.Headers.Set("CSeq", "x");
        Assert.Null(message.CSeq);
        Assert.Equal("REGISTER", message.Method);
        message.Headers.Set("Expires", "99999999999");
        Assert.Null(message.Expires);
        message.Headers.Set("Max-Forwards", "300");
        Assert.Null(message.MaxForwards);
        message.Headers.Remove("Route");
        Assert.Empty(message.Routes);
    }

    [Fact]
    public void ParsedHeadersAreUnfoldedAndCanonicallyNamed()
    {
        const string text =
            "BYE sip:a@b SIP/2.0\r\n" +
            "v: SIP/2.0/UDP h;branch=z9hG4bK1,\r\n SIP/2.0/UDP g;branch=z9hG4bK2\r\n" +
            "t: <sip:a@b>;tag=2\r\n" +
            "f: <sip:c@d>;tag=1\r\n" +
            "i: x\r\n" +
            "cseq: 2\r\n  BYE\r\n" +
            "x-odd-Case: v\r\n" +
            "\r\n";
        Assert.True(SipMessage.TryParse(Encoding.UTF8.GetBytes(text), out var message, out var error), error.ToString());
        Assert.Equal(["Via", "To", "From", "Call-ID", "CSeq", "x-odd-Case"], message!.Headers.Select(h => h.Key));
        Assert.Equal("SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/UDP g;branch=z9hG4bK2", message.Headers.Get("Via"));
        Assert.Equal(2, message.Vias.Count);
        Assert.Equal("2 BYE", message.Headers.Get("CSeq"));
        Assert.Equal("v", message.Headers.Get("X-ODD-CASE"));
        Assert.Contains("Content-Length: 0\r\n\r\n", message.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Via: SIP/2.0/UDP h;;", "Bad Request: malformed Via")]
    [InlineData("Contact: <sip:a@b>;;", "Bad Request: malformed Contact")]
    [InlineData("Contact: *, <sip:a@b>", "Bad Request: malformed Contact")]
    [InlineData("Contact: *\r\nContact: <sip:a@b>", "Bad Request: malformed Contact")]
    [InlineData("Route: *", "Bad Request: malformed Route")]
    [InlineData("Record-Route: <sip:a@b>, *", "Bad Request: malformed Record-Route")]
    [InlineData("Route: <sip:a@b", "Bad Request: malformed Route")]
    [InlineData("Record-Route: sip:a@b?x=y", "Bad Request: malformed Record-Route")]
    public void TypedHeaderSyntaxIsChecked(string extra, string reason)
    {
        var text = SipSamples.OptionsText.Replace("Accept:", extra + "\r\nAccept:", StringComparison.Ordinal);
        Assert.False(SipMessage.TryParse(Encoding.UTF8.GetBytes(text), out var message, out var error));
        Assert.Null(message);
        Assert.Equal(new SipParseError(400, reason), error);
    }

    [Fact]
    public void MalformedRequestUriIs400()
    {
        var text = SipSamples.OptionsText.Replace("sip:carol@chicago.example.com SIP", "sip:carol@chicago.example.com:99999 SIP", StringComparison.Ordinal);
        Assert.False(SipMessage.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.Equal(new SipParseError(400, "Bad Request: malformed Request-URI"), error);
    }
}

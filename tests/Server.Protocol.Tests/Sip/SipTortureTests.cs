using System.Text;
using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

/// <summary>RFC 4475: every torture message parses or is refused with the status we chose for it, and none throws.</summary>
public class SipTortureTests
{
    [Fact]
    public void EveryFileHasAnExpectation()
    {
        var expected = SipTorture.Accepted.Concat(SipTorture.Rejected.Select(r => r.Name)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, SipTorture.Names());
        Assert.Equal(49, SipTorture.Names().Count());
    }

    [Theory]
    [MemberData(nameof(SipTorture.AcceptedNames), MemberType = typeof(SipTorture))]
    public void AcceptedMessageParsesAndRoundTrips(string name)
    {
        var data = SipTorture.Bytes(name);
        Assert.True(SipMessageView.TryParse(data, out _, out var viewError), viewError.ToString());
        Assert.True(SipMessage.TryParse(data, out var message, out var error), error.ToString());

        // Canonical output is a fixed point: written, parsed and written again it is the same bytes.
        var written = message!.ToArray();
        Assert.True(SipMessage.TryParse(written, out var again, out error), error + "\n" + Encoding.UTF8.GetString(written));
        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(again!.ToArray()));
        SipAssert.SameMessage(message, again);
    }

    [Theory]
    [MemberData(nameof(SipTorture.RejectedNames), MemberType = typeof(SipTorture))]
    public void RejectedMessageGetsItsStatus(string name, int status)
    {
        var data = SipTorture.Bytes(name);
        Assert.False(SipMessage.TryParse(data, out var message, out var error));
        Assert.Null(message);
        Assert.Equal(status, error.StatusCode);
        Assert.StartsWith(status switch { 400 => "Bad Request", 416 => "Unsupported URI Scheme", _ => "Version Not Supported" }, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Wsinv()
    {
        var m = Parse("wsinv");
        Assert.True(m.RequestUri!.Parameters.ContainsKey("unknownparam"));
        Assert.Equal("1918181833n", m.To!.Tag);
        Assert.Equal("98asjd8", m.From!.Tag);
        Assert.Equal("J Rosenberg \\\"", m.From.DisplayName);
        Assert.Equal(68, m.MaxForwards);
        Assert.Equal(new SipCSeq(9, "INVITE"), m.CSeq);
        Assert.Equal(["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"], m.Vias.Select(v => v.Branch));
        Assert.Equal(["SIP/2.0/UDP", "SIP/2.0/TCP", "SIP/2.0/UDP"], m.Vias.Select(v => v.Protocol));
        Assert.Equal(["192.0.2.2", "spindle.example.com", "192.168.255.111"], m.Vias.Select(v => v.Host));
        Assert.Equal(string.Empty, m.Headers.Get("Subject"));
        Assert.Equal("newfangled value continued newfangled value", m.Headers.Get("newfangledheader"));
        Assert.Equal(";;,,;;,;", m.Headers.Get("UnknownHeaderWithUnusualValue"));
        var contact = Assert.Single(m.Contacts);
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("newvalue", contact.Parameters["newparam"]);
        Assert.Null(contact.Parameters["secondparam"]);
        Assert.Equal("0.33", contact.Parameters["q"]);
        var route = Assert.Single(m.Routes);
        Assert.True(route.Uri.Parameters.ContainsKey("lr"));
        Assert.Equal("value", route.Uri.Parameters["unknownwith"]);
        Assert.Equal(150, m.Body.Length);
    }

    [Fact]
    public void Intmeth()
    {
        var m = Parse("intmeth");
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", m.Method);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", m.RequestUri!.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", m.RequestUri.Password);
        Assert.Equal("example.com", m.RequestUri.Host);
        Assert.Equal("BEL:\a NUL:\0 DEL:\u007f", m.To!.DisplayName);
        Assert.Equal("token1~` token2'+_ token3*%!.-", m.From!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", m.From.Tag);
        Assert.Equal("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", m.CallId);
        Assert.Equal(new SipCSeq(139122385, m.Method), m.CSeq);
        Assert.Equal("z9hG4bK-.!%66*_+`'~", Assert.Single(m.Vias).Branch);
        Assert.Equal(255, m.MaxForwards);
        Assert.Equal("\uFEFF\u5927\u505C\u96FB", m.Headers.Get("extensionHeader-!.%*+_`'~")![..4]);
    }

    [Fact]
    public void Esc01()
    {
        var m = Parse("esc01");
        Assert.Equal("sips:user@example.com", m.RequestUri!.User);
        Assert.Equal("example.net", m.RequestUri.Host);
        Assert.Equal("user", m.To!.Uri.User);
        Assert.Equal("I have spaces", m.From!.Uri.User);
        var contact = Assert.Single(m.Contacts).Uri;
        Assert.Equal("caller", contact.User);
        Assert.True(contact.Parameters.ContainsKey("lr"));
        Assert.Equal("value%41", contact.Parameters["name"]);
        Assert.Equal("application/sdp", m.ContentType);
    }

    [Fact]
    public void Escnull()
    {
        var m = Parse("escnull");
        Assert.Equal("null-\0-null", m.To!.Uri.User);
        Assert.Equal(["\0", "\0\0"], m.Contacts.Select(c => c.Uri.User));
        Assert.Equal("<sip:%00@host5.example.com>", m.Contacts[0].ToString());
    }

    [Fact]
    public void Lwsdisp()
    {
        var m = Parse("lwsdisp");
        Assert.Equal("caller", m.From!.DisplayName);
        Assert.Equal("323", m.From.Tag);
        Assert.Empty(m.Body);
    }

    [Fact]
    public void Longreq()
    {
        var m = Parse("longreq");
        Assert.Equal(34, m.Vias.Count);
        Assert.Equal("sip33.example.com", m.Vias[0].Host);
        Assert.StartsWith("I have a user name of extremeextreme", m.To!.DisplayName, StringComparison.Ordinal);
        Assert.Equal(6000, m.To.Uri.Port);
        Assert.Equal(155, m.From!.Tag!.Length);
        Assert.Equal(150, m.Body.Length);
    }

    [Fact]
    public void Dblreq()
    {
        var data = SipTorture.Bytes("dblreq");
        Assert.True(SipMessageView.TryParse(data, out var view, out _));
        Assert.Equal("REGISTER"u8, view.Method);
        Assert.True(view.Body.IsEmpty);
        Assert.True(view.Length < data.Length);
        Assert.True(view.TryGetHeader("Call-ID"u8, out var callId));
        Assert.Equal("dblreq.0ha0isndaksdj99sdfafnl3lk233412"u8, callId);
        var m = Parse("dblreq");
        Assert.Equal("REGISTER", m.Method);
        Assert.Empty(m.Body);
    }

    [Fact]
    public void Semiuri()
    {
        var m = Parse("semiuri");
        Assert.Equal("user;par=u@example.net", m.RequestUri!.User);
        Assert.Equal("example.com", m.RequestUri.Host);
        Assert.Empty(m.RequestUri.Parameters);
        Assert.Equal(
            "application/sdp, application/pkcs7-mime, multipart/mixed, multipart/signed, message/sip, message/sipfrag",
            m.Headers.Get("Accept"));
    }

    [Fact]
    public void Transports()
    {
        var m = Parse("transports");
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], m.Vias.Select(v => v.Transport));
        Assert.Equal("transports.kijh4akdnaqjkwendsasfdj", m.CallId);
    }

    [Fact]
    public void Mpart01()
    {
        var m = Parse("mpart01");
        Assert.Equal("multipart/mixed;boundary=7a9cbec02ceef655", m.ContentType);
        Assert.Equal(553, m.Body.Length);
        Assert.StartsWith("--7a9cbec02ceef655\r\n", Encoding.ASCII.GetString(m.Body), StringComparison.Ordinal);
        Assert.Equal(SipTorture.Bytes("mpart01")[^553..], m.Body);
    }

    [Fact]
    public void Unreason()
    {
        var m = Parse("unreason");
        Assert.False(m.IsRequest);
        Assert.Equal(200, m.StatusCode);
        Assert.Equal("= 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c - \u043f\u0440\u043e\u0441\u0442\u043e\u0435", m.ReasonPhrase);
        Assert.Equal("INVITE", m.Method);
    }

    [Fact]
    public void Noreason()
    {
        var m = Parse("noreason");
        Assert.Equal(100, m.StatusCode);
        Assert.Equal(string.Empty, m.ReasonPhrase);
    }

    [Fact]
    public void ApplicationLayerMessagesKeepWhatTheApplicationNeeds()
    {
        Assert.Equal("isbn", Parse("unksm2").To!.Uri.Scheme);
        Assert.Equal("2983792873", Parse("unksm2").To!.Uri.Opaque);
        var cparam01 = Assert.Single(Parse("cparam01").Contacts);
        Assert.True(cparam01.Parameters.ContainsKey("unknownparam"));
        Assert.Empty(cparam01.Uri.Parameters);
        var cparam02 = Assert.Single(Parse("cparam02").Contacts);
        Assert.True(cparam02.Uri.Parameters.ContainsKey("unknownparam"));
        Assert.Equal("<sip:sip.example.com>", Assert.Single(Parse("regescrt").Contacts).Uri.Headers["Route"]);
        Assert.False(SipDigestCredentials.TryParse(Parse("regaut01").Headers.Get("Authorization"), out _));
        Assert.Equal(0, Parse("zeromf").MaxForwards);
        Assert.Equal("255.255.255.255", Parse("bcast").Vias[1].Host);
        Assert.Equal("z9hG4bK", Assert.Single(Parse("badbranch").Vias).Branch);
        var inv2543 = Parse("inv2543");
        Assert.Null(inv2543.MaxForwards);
        Assert.Null(Assert.Single(inv2543.Vias).Branch);
        Assert.NotEmpty(inv2543.Body);
    }

    private static SipMessage Parse(string name)
    {
        Assert.True(SipMessage.TryParse(SipTorture.Bytes(name), out var message, out var error), error.ToString());
        return message!;
    }
}

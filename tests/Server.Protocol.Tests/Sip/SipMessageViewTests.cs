using System.Text;
using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipMessageViewTests
{
    private const string Minimal =
        "OPTIONS sip:a@b SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n" +
        "To: <sip:a@b>\r\n" +
        "From: <sip:c@d>;tag=1\r\n" +
        "Call-ID: x\r\n" +
        "CSeq: 1 OPTIONS\r\n";

    private static bool Parse(string text, out SipParseError error) =>
        SipMessageView.TryParse(Encoding.UTF8.GetBytes(text), out _, out error);

    [Fact]
    public void StartLineAndSpans()
    {
        Assert.True(SipMessageView.TryParse(SipSamples.Invite, out var view, out _));
        Assert.True(view.IsRequest);
        Assert.Equal("INVITE"u8, view.Method);
        Assert.Equal("sip:3000@192.0.2.1:5060"u8, view.RequestUri);
        Assert.Equal(0, view.StatusCode);
        Assert.Equal("1-8012@192.0.2.10"u8, view.CallId);
        Assert.Equal(1u, view.CSeqNumber);
        Assert.Equal("INVITE"u8, view.CSeqMethod);
        Assert.Equal(70, view.MaxForwards);
        Assert.Equal(SipSamples.Invite.Length, view.Length);
        Assert.StartsWith("v=0", Encoding.ASCII.GetString(view.Body), StringComparison.Ordinal);

        Assert.True(SipMessageView.TryParse(SipSamples.Ok, out var ok, out _));
        Assert.False(ok.IsRequest);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("OK"u8, ok.ReasonPhrase);
        Assert.Equal("INVITE"u8, ok.CSeqMethod);
        Assert.Equal(-1, ok.MaxForwards);
    }

    [Fact]
    public void HeadersEnumerateInOrderWithFoldedValuesMarked()
    {
        var text = Minimal + "Subject: first\r\n  second\r\n\tthird  \r\nl :  0\r\n\r\n";
        Assert.True(SipMessageView.TryParse(Encoding.UTF8.GetBytes(text), out var view, out _));
        var names = new List<string>();
        foreach (var field in view.Headers)
        {
            names.Add(Encoding.ASCII.GetString(field.Name));
            if (field.Is("subject"u8))
            {
                Assert.True(field.IsFolded);
                Assert.Equal("first\r\n  second\r\n\tthird", Encoding.ASCII.GetString(field.Value));
                var unfolded = new byte[field.Value.Length];
                var length = field.CopyUnfolded(unfolded);
                Assert.Equal("first second third", Encoding.ASCII.GetString(unfolded, 0, length));
            }
            else
            {
                Assert.False(field.IsFolded);
            }
        }

        Assert.Equal(["Via", "To", "From", "Call-ID", "CSeq", "Subject", "l"], names);
        Assert.True(view.TryGetHeader("Content-Length"u8, out var contentLength));
        Assert.Equal("0"u8, contentLength);
        Assert.True(view.TryGetHeader("s"u8, out _));
        Assert.True(view.TryGetHeader("CALL-ID"u8, out var callId));
        Assert.Equal("x"u8, callId);
        Assert.True(view.TryGetHeader("i"u8, out _));
        Assert.False(view.TryGetHeader("Contact"u8, out _));
    }

    [Fact]
    public void BareLineFeedsAndLeadingLineEndsAreAccepted()
    {
        var text = "\r\n\r\n" + Minimal.Replace("\r\n", "\n", StringComparison.Ordinal) + "Content-Length: 4\n\nbody";
        Assert.True(SipMessageView.TryParse(Encoding.UTF8.GetBytes(text), out var view, out var error), error.ToString());
        Assert.Equal("body"u8, view.Body);
        Assert.Equal(text.Length, view.Length);
    }

    [Fact]
    public void BodyFollowsContentLength()
    {
        Assert.True(SipMessageView.TryParse(Encoding.UTF8.GetBytes(Minimal + "Content-Length: 2\r\n\r\nabcd"), out var shorter, out _));
        Assert.Equal("ab"u8, shorter.Body);
        Assert.True(SipMessageView.TryParse(Encoding.UTF8.GetBytes(Minimal + "\r\nabcd"), out var none, out _));
        Assert.Equal("abcd"u8, none.Body);
        Assert.False(Parse(Minimal + "Content-Length: 5\r\n\r\nabcd", out var error));
        Assert.Equal(400, error.StatusCode);
    }

    [Theory]
    [InlineData("OPTIONS sip:a@b SIP/3.0\r\n", 505)]
    [InlineData("OPTIONS sip:a@b sip/2.0\r\n", 0)]
    [InlineData("OPTIONS sip:a@b SIP/2.0 \r\n", 400)]
    [InlineData("OPTIONS  sip:a@b SIP/2.0\r\n", 400)]
    [InlineData("OPTIONS sip:a@b HTTP/1.1\r\n", 400)]
    [InlineData("OPTIONS sip:a@b\r\n", 400)]
    [InlineData("OPT(IONS sip:a@b SIP/2.0\r\n", 400)]
    [InlineData("OPTIONS http://a SIP/2.0\r\n", 416)]
    [InlineData("OPTIONS tel:+1555 SIP/2.0\r\n", 0)]
    [InlineData("OPTIONS sips:a@b?x=y SIP/2.0\r\n", 400)]
    [InlineData("OPTIONS a@b SIP/2.0\r\n", 400)]
    public void RequestLine(string line, int status)
    {
        var ok = Parse(line + Minimal[(Minimal.IndexOf('\n', StringComparison.Ordinal) + 1)..] + "\r\n", out var error);
        Assert.Equal(status == 0, ok);
        Assert.Equal(status, error.StatusCode);
    }

    [Theory]
    [InlineData("SIP/2.0 180 Ringing", 0)]
    [InlineData("SIP/2.0 180", 0)]
    [InlineData("SIP/2.0 099 Too Low", 400)]
    [InlineData("SIP/2.0 700 Too High", 400)]
    [InlineData("SIP/2.0 18 Short", 400)]
    [InlineData("SIP/2.0 1800 Long", 400)]
    [InlineData("SIP/2.0 18x Hex", 400)]
    [InlineData("SIP/1.0 200 OK", 505)]
    public void StatusLine(string line, int status)
    {
        var ok = Parse(line + "\r\n" + Minimal[(Minimal.IndexOf('\n', StringComparison.Ordinal) + 1)..] + "\r\n", out var error);
        Assert.Equal(status == 0, ok);
        Assert.Equal(status, error.StatusCode);
    }

    [Theory]
    [InlineData("To", "Bad Request: missing To")]
    [InlineData("From", "Bad Request: missing From")]
    [InlineData("CSeq", "Bad Request: missing CSeq")]
    [InlineData("Call-ID", "Bad Request: missing Call-ID")]
    [InlineData("Via", "Bad Request: missing Via")]
    public void MandatoryHeadersAreNamed(string header, string reason)
    {
        var lines = Minimal.Split("\r\n").Where(l => !l.StartsWith(header + ":", StringComparison.Ordinal));
        Assert.False(Parse(string.Join("\r\n", lines) + "\r\n", out var error));
        Assert.Equal(new SipParseError(400, reason), error);
    }

    [Theory]
    [InlineData("Max-Forwards: 70", true)]
    [InlineData("Max-Forwards: 0", true)]
    [InlineData("Max-Forwards: 256", false)]
    [InlineData("Max-Forwards: -1", false)]
    [InlineData("Max-Forwards: seventy", false)]
    [InlineData("Content-Length: 0\r\ni: again", false)]
    [InlineData("CSeq: 2 OPTIONS", false)]
    [InlineData("Content-Length: x", false)]
    [InlineData("Content-Length: 99999999999", false)]
    [InlineData("Content-Type: a/b\r\nc: a/b", false)]
    [InlineData("Bad Name: x", false)]
    [InlineData("NoColon", false)]
    [InlineData(": empty name", false)]
    [InlineData("X-Nul: a\0b", false)]
    [InlineData("X-Cr: a\rb", false)]
    [InlineData("X-Quoted-Nul: \"a\\\0b\"", true)]
    [InlineData("X-Utf8: h\u00e9llo", true)]
    [InlineData("Via:", false)]
    public void HeaderChecks(string extra, bool valid)
    {
        var ok = Parse(Minimal + extra + "\r\n\r\n", out var error);
        Assert.True(valid == ok, error.ToString());
        Assert.Equal(valid ? 0 : 400, error.StatusCode);
    }

    [Fact]
    public void CSeqMethodMustMatch()
    {
        Assert.False(Parse(Minimal.Replace("1 OPTIONS", "1 options", StringComparison.Ordinal) + "\r\n", out var error));
        Assert.Equal("Bad Request: CSeq method does not match the request method", error.Reason);
    }

    [Fact]
    public void ContinuationBeforeTheFirstHeaderIsRefused()
    {
        Assert.False(Parse("OPTIONS sip:a@b SIP/2.0\r\n folded\r\n" + Minimal[(Minimal.IndexOf('\n', StringComparison.Ordinal) + 1)..] + "\r\n", out var error));
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Limits()
    {
        Assert.False(Parse(Minimal + "X-Long: " + new string('a', SipMessageView.MaxLineBytes) + "\r\n\r\n", out var error));
        Assert.Equal(513, error.StatusCode);
        Assert.False(SipMessageView.TryParse(new byte[SipMessageView.MaxMessageBytes + 1], out _, out error));
        Assert.Equal(513, error.StatusCode);
        var many = string.Concat(Enumerable.Repeat("X-A: 1\r\n", SipMessageView.MaxHeaderFields));
        Assert.False(Parse(Minimal + many + "\r\n", out error));
        Assert.Equal(513, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("OPTIONS sip:a@b SIP/2.0")]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n")]
    public void IncompleteMessages(string text)
    {
        Assert.False(Parse(text, out var error));
        Assert.Equal(400, error.StatusCode);
    }
}

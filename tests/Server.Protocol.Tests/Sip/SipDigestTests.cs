using System.Text;
using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipDigestTests
{
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private const string Rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

    /// <summary>RFC 2617 §3.5.</summary>
    [Fact]
    public void Rfc2617Example()
    {
        var response = SipDigest.ComputeResponse(
            "MD5", "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth");
        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    /// <summary>RFC 7616 §3.9.1, MD5 and SHA-256.</summary>
    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616Examples(string algorithm, string expected)
    {
        var response = SipDigest.ComputeResponse(
            algorithm, "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
            Rfc7616Nonce, "00000001", Rfc7616Cnonce, "auth");
        Assert.Equal(expected, response);
    }

    /// <summary>RFC 7616 §3.9.1 checked from a stored H(A1) instead of the password, as a server that keeps no passwords does.</summary>
    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616ExamplesVerifyFromAStoredHa1(string algorithm, string response)
    {
        var credentials = new SipDigestCredentials("Mufasa", "http-auth@example.org", Rfc7616Nonce, "/dir/index.html", response, algorithm, Rfc7616Cnonce, "auth", "00000001", null);
        var ha1 = SipDigest.Ha1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
        Assert.True(SipDigest.VerifyWithHa1(credentials, "GET", ha1));
        Assert.True(SipDigest.VerifyWithHa1(credentials, "GET", ha1.ToUpperInvariant()));
        Assert.False(SipDigest.VerifyWithHa1(credentials, "GET", SipDigest.Ha1(algorithm, "Mufasa", "http-auth@example.org", "circle of life")));
        Assert.False(SipDigest.VerifyWithHa1(credentials, "GET", ha1[..^1]));
    }

    /// <summary>RFC 7616 §3.9.1 as header values: the challenge, then the MD5 Authorization it shows.</summary>
    [Fact]
    public void Rfc7616HeadersParseAndVerify()
    {
        const string challengeText =
            "Digest\r\n realm=\"http-auth@example.org\",\r\n qop=\"auth, auth-int\",\r\n algorithm=SHA-256,\r\n" +
            $" nonce=\"{Rfc7616Nonce}\",\r\n opaque=\"{Rfc7616Opaque}\"";
        Assert.True(SipDigestChallenge.TryParse(challengeText, out var challenge));
        Assert.Equal(new SipDigestChallenge("http-auth@example.org", Rfc7616Nonce, "SHA-256", Rfc7616Opaque, false, "auth"), challenge);
        Assert.True(challenge!.IsSupported);

        const string authorization =
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=MD5, " +
            $"nonce=\"{Rfc7616Nonce}\", nc=00000001, cnonce=\"{Rfc7616Cnonce}\", qop=auth, " +
            $"response=\"8ca523f5e9506fed4657c9700eebdbec\", opaque=\"{Rfc7616Opaque}\"";
        Assert.True(SipDigestCredentials.TryParse(authorization, out var credentials));
        Assert.Equal("Mufasa", credentials!.Username);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal(Rfc7616Opaque, credentials.Opaque);
        Assert.True(SipDigest.Verify(credentials, "GET", "Circle of Life"));
        Assert.False(SipDigest.Verify(credentials, "GET", "Circle Of Life"));
        Assert.False(SipDigest.Verify(credentials, "POST", "Circle of Life"));
        Assert.True(SipDigest.Verify(credentials with { Response = credentials.Response.ToUpperInvariant() }, "GET", "Circle of Life"));
        Assert.False(SipDigest.Verify(credentials with { Response = credentials.Response[..^1] }, "GET", "Circle of Life"));

        // Written and read back, the credentials are the same.
        Assert.True(SipDigestCredentials.TryParse(credentials.ToHeaderValue(), out var again));
        Assert.Equal(credentials, again);
    }

    /// <summary>No qop (RFC 2069 style, still allowed by RFC 2617): H(H(A1):nonce:H(A2)); value computed independently.</summary>
    [Fact]
    public void WithoutQop()
    {
        var response = SipDigest.ComputeResponse(
            "MD5", "Mufasa", "testrealm@host.com", "CircleOfLife", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", null, null, null);
        Assert.Equal("1949323746fe6a43ef61f9606e7febea", response);
    }

    /// <summary>MD5-sess: A1 = H(user:realm:password):nonce:cnonce (RFC 7616 §3.4.2); value computed independently.</summary>
    [Fact]
    public void Md5Session()
    {
        var response = SipDigest.ComputeResponse("MD5-sess", "bob", "example.com", "secret", "REGISTER", "sip:example.com", "abc", "00000001", "xyz", "auth");
        Assert.Equal("82a1a097b353b5b04c83ad5e3b88cd9e", response);
    }

    /// <summary>A registrar challenges, the phone answers, the registrar verifies: both directions through real headers.</summary>
    [Theory]
    [InlineData("MD5", "auth")]
    [InlineData("SHA-256", "auth")]
    [InlineData("MD5", null)]
    [InlineData("SHA-256-sess", "auth")]
    public void RegisterChallengeAnswerVerify(string algorithm, string? qop)
    {
        var challenge = new SipDigestChallenge("sip.example.com", "b7e3a0f1c2d4", algorithm, "op4que", false, qop);
        var header = challenge.ToHeaderValue();
        Assert.True(SipDigestChallenge.TryParse(header, out var received));
        Assert.Equal(challenge, received);

        var credentials = SipDigest.Answer(received!, "1001", "pa\"ss:wörd", "REGISTER", "sip:sip.example.com");
        Assert.Equal(qop is null ? null : "00000001", credentials.NonceCount);
        Assert.Equal(qop is null, credentials.Cnonce is null);
        Assert.Equal("op4que", credentials.Opaque);

        var register = SipSamples.RegisterText.Replace(
            SipSamples.RegisterText.Split("\r\n").Single(l => l.StartsWith("Authorization:", StringComparison.Ordinal)),
            "Authorization: " + credentials.ToHeaderValue(),
            StringComparison.Ordinal);
        Assert.True(SipMessage.TryParse(Encoding.UTF8.GetBytes(register), out var message, out var error), error.ToString());
        Assert.True(SipDigestCredentials.TryParse(message!.Headers.Get("authorization"), out var parsed));
        Assert.Equal(credentials, parsed);
        Assert.True(SipDigest.Verify(parsed!, message.Method, "pa\"ss:wörd"));
        Assert.False(SipDigest.Verify(parsed!, message.Method, "password"));
        Assert.False(SipDigest.Verify(parsed!, "INVITE", "pa\"ss:wörd"));
    }

    [Fact]
    public void AnswerWithGivenCnonceReproducesTheRfcExample()
    {
        var challenge = new SipDigestChallenge("http-auth@example.org", Rfc7616Nonce, "SHA-256", Rfc7616Opaque, false, "auth");
        var credentials = SipDigest.Answer(challenge, "Mufasa", "Circle of Life", "GET", "/dir/index.html", Rfc7616Cnonce);
        Assert.Equal("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", credentials.Response);
        Assert.Contains("qop=auth, nc=00000001", credentials.ToHeaderValue(), StringComparison.Ordinal);
    }

    [Fact]
    public void ChallengeForms()
    {
        Assert.True(SipDigestChallenge.TryParse("Digest realm=\"a\", nonce=\"n\"", out var plain));
        Assert.Equal(new SipDigestChallenge("a", "n", "MD5", null, false, null), plain);
        Assert.True(SipDigestChallenge.TryParse("digest nonce=n,realm=\"a\",stale=TRUE,qop=\"auth-int\"", out var stale));
        Assert.True(stale!.Stale);
        Assert.Equal("auth-int", stale.Qop);
        Assert.False(stale.IsSupported);
        Assert.Throws<NotSupportedException>(() => SipDigest.Answer(stale, "u", "p", "INVITE", "sip:x"));
        Assert.Equal("Digest realm=\"a\", nonce=\"n\", algorithm=MD5, qop=\"auth\", opaque=\"o\", stale=true",
            new SipDigestChallenge("a", "n", "MD5", "o", true, "auth").ToHeaderValue());

        string[] malformed =
        [
            "", "Digest", "Basic realm=\"a\"", "Digest realm=\"a\"", "Digest nonce=\"n\"", "Digest realm=\"a, nonce=\"n\"",
            "Digest realm=\"a\", realm=\"b\", nonce=n", "Digest realm=\"a\" nonce=\"n\"", "Digest realm=, nonce=n", "Digest =a",
        ];
        foreach (var text in malformed)
        {
            Assert.False(SipDigestChallenge.TryParse(text, out _), text);
            Assert.False(SipDigestCredentials.TryParse(text, out _), text);
        }

        Assert.False(SipDigestChallenge.TryParse(null, out _));
        Assert.False(SipDigestChallenge.TryParse("Digest realm=r, nonce=n, algorithm=\"M D5\"", out _));
        Assert.False(SipDigestCredentials.TryParse("Digest username=u, realm=r, nonce=n, uri=x, response=0, qop=\"auth,auth-int\"", out _));
        Assert.True(SipDigestCredentials.TryParse("Digest username=u, realm=r, nonce=n, uri=x, response=0, qop=\"auth\", nc=\"00000001\"", out var quoted));
        Assert.Equal(("auth", "00000001"), (quoted!.Qop, quoted.NonceCount));
    }

    [Fact]
    public void UnsupportedCredentialsNeverVerify()
    {
        var credentials = new SipDigestCredentials("u", "r", "n", "sip:x", "00", "SHA-512-256", null, null, null, null);
        Assert.False(SipDigest.Verify(credentials, "INVITE", "p"));
        Assert.False(SipDigest.Verify(credentials with { Algorithm = "MD5", Qop = "auth-int", Cnonce = "c", NonceCount = "00000001" }, "INVITE", "p"));
        Assert.False(SipDigest.Verify(credentials with { Algorithm = "MD5", Qop = "auth" }, "INVITE", "p"));
        Assert.False(SipDigest.Verify(credentials with { Algorithm = "MD5", Response = "résponse" }, "INVITE", "p"));
    }
}

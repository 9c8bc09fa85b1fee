using System.Text;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// Digest credentials: the value of Authorization or Proxy-Authorization (RFC 3261 §22.4,
/// RFC 7616 §3.4, RFC 2617 §3.2.2).
/// <code>
///  credentials = "Digest" LWS dig-resp *(COMMA dig-resp)
///  dig-resp    = username / realm / nonce / digest-uri / dresponse / algorithm / cnonce
///                / opaque / message-qop / nonce-count / auth-param
/// </code>
/// username, realm, nonce, uri and response are required; <see cref="Algorithm"/> defaults to MD5.
/// </summary>
public sealed record SipDigestCredentials(
    string Username,
    string Realm,
    string Nonce,
    string Uri,
    string Response,
    string Algorithm,
    string? Cnonce,
    string? Qop,
    string? NonceCount,
    string? Opaque)
{
    public static bool TryParse(string? headerValue, out SipDigestCredentials? credentials)
    {
        credentials = null;
        if (!DigestParameters.TryParse(headerValue, out var p)
            || !p.TryGetValue("username", out var username) || username is null
            || !p.TryGetValue("realm", out var realm) || realm is null
            || !p.TryGetValue("nonce", out var nonce) || nonce is null
            || !p.TryGetValue("uri", out var uri) || uri is null
            || !p.TryGetValue("response", out var response) || response is null)
        {
            return false;
        }

        var algorithm = p.TryGetValue("algorithm", out var named) && !string.IsNullOrEmpty(named) ? named : "MD5";
        p.TryGetValue("cnonce", out var cnonce);
        p.TryGetValue("qop", out var qop);
        p.TryGetValue("nc", out var nc);
        p.TryGetValue("opaque", out var opaque);
        credentials = new SipDigestCredentials(username, realm, nonce, uri, response, algorithm, cnonce, qop, nc, opaque);
        return true;
    }

    /// <summary>
    /// <c>Digest username="...", realm="...", nonce="...", uri="...", response="...", algorithm=...[, cnonce="...", qop=auth, nc=...][, opaque="..."]</c>
    /// (qop and nc are unquoted tokens, RFC 7616 §3.4).
    /// </summary>
    public string ToHeaderValue()
    {
        var builder = new StringBuilder(256);
        builder.Append("Digest username=").Append(SipGrammar.Quote(Username))
            .Append(", realm=").Append(SipGrammar.Quote(Realm))
            .Append(", nonce=").Append(SipGrammar.Quote(Nonce))
            .Append(", uri=").Append(SipGrammar.Quote(Uri))
            .Append(", response=").Append(SipGrammar.Quote(Response))
            .Append(", algorithm=").Append(Algorithm);
        if (Cnonce is not null)
        {
            builder.Append(", cnonce=").Append(SipGrammar.Quote(Cnonce));
        }

        if (Qop is not null)
        {
            builder.Append(", qop=").Append(Qop);
        }

        if (NonceCount is not null)
        {
            builder.Append(", nc=").Append(NonceCount);
        }

        if (Opaque is not null)
        {
            builder.Append(", opaque=").Append(SipGrammar.Quote(Opaque));
        }

        return builder.ToString();
    }
}

using System.Text;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// A Digest challenge: the value of WWW-Authenticate (401) or Proxy-Authenticate (407),
/// RFC 3261 §22.4, RFC 7616 §3.3, RFC 2617 §3.2.1.
/// <code>
///  challenge = "Digest" LWS digest-cln *(COMMA digest-cln)
///  digest-cln = realm / domain / nonce / opaque / stale / algorithm / qop-options / auth-param
/// </code>
/// <see cref="Algorithm"/> is "MD5" when the challenge names none (RFC 2617); <see cref="Qop"/> is
/// "auth" when the server offers it (among others or alone), the offered list as written when it
/// offers only something else (e.g. "auth-int"), null when it offers none (RFC 2069 style).
/// </summary>
public sealed record SipDigestChallenge(string Realm, string Nonce, string Algorithm, string? Opaque, bool Stale, string? Qop)
{
    /// <summary>Whether <see cref="SipDigest.Answer"/> can answer it: a known algorithm and qop auth or none.</summary>
    public bool IsSupported => SipDigest.IsSupportedAlgorithm(Algorithm) && Qop is null or "auth";

    /// <summary><c>Digest realm="...", nonce="...", algorithm=..., qop="auth", opaque="..."[, stale=true]</c>.</summary>
    public string ToHeaderValue()
    {
        var builder = new StringBuilder(160);
        builder.Append("Digest realm=").Append(SipGrammar.Quote(Realm))
            .Append(", nonce=").Append(SipGrammar.Quote(Nonce))
            .Append(", algorithm=").Append(Algorithm);
        if (Qop is not null)
        {
            builder.Append(", qop=").Append(SipGrammar.Quote(Qop));
        }

        if (Opaque is not null)
        {
            builder.Append(", opaque=").Append(SipGrammar.Quote(Opaque));
        }

        if (Stale)
        {
            builder.Append(", stale=true");
        }

        return builder.ToString();
    }

    public static bool TryParse(string? headerValue, out SipDigestChallenge? challenge)
    {
        challenge = null;
        if (!DigestParameters.TryParse(headerValue, out var parameters)
            || !parameters.TryGetValue("realm", out var realm) || realm is null
            || !parameters.TryGetValue("nonce", out var nonce) || nonce is null)
        {
            return false;
        }

        parameters.TryGetValue("opaque", out var opaque);
        var algorithm = parameters.TryGetValue("algorithm", out var named) && !string.IsNullOrEmpty(named) ? named : "MD5";
        var stale = parameters.TryGetValue("stale", out var staleText) && string.Equals(staleText, "true", StringComparison.OrdinalIgnoreCase);
        string? qop = null;
        if (parameters.TryGetValue("qop", out var offered) && offered is not null)
        {
            qop = offered.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase) ? "auth" : offered;
        }

        challenge = new SipDigestChallenge(realm, nonce, algorithm, opaque, stale, qop);
        return true;
    }
}

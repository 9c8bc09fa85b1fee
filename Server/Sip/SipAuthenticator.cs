using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Configuration;
using MediaServer.Protocol.Sip;
using MediaServer.Security;
using MediaServer.Signalling;
using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>
/// Digest authentication of SIP requests against conf/directory.json (RFC 3261 §22, RFC 7616):
/// stateless nonces (a time and its HMAC, valid five minutes, "stale" after), MD5 and
/// SHA-256 challenges, and the same lockout as Verto logins after repeated failures from one
/// address. Users with a plain <c>password</c> are checked with it; users whose password was
/// generated are checked with the H(A1) kept beside its PBKDF2 hash (a hash alone cannot
/// answer a digest challenge, so a <c>passwordHash</c> user of the directory cannot use SIP).
/// </summary>
internal sealed class SipAuthenticator
{
    private static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly UserDirectory _directory;
    private readonly LoginThrottle _throttle;
    private readonly SipMetrics _metrics;
    private readonly ILogger _log;

    public SipAuthenticator(UserDirectory directory, LoginThrottle throttle, SipMetrics metrics, ILogger log)
    {
        _directory = directory;
        _throttle = throttle;
        _metrics = metrics;
        _log = log;
    }

    public string Realm => _directory.Domain;

    public LoginThrottle Throttle => _throttle;

    /// <summary>
    /// The directory user whose valid credentials the request carries; otherwise the
    /// transaction is answered (401/407 challenge, or 403 when locked out) and null returned.
    /// </summary>
    public AuthenticatedUser? Authenticate(SipMessage request, SipServerTransaction transaction, SipEndPoint source, bool proxy)
    {
        var now = Environment.TickCount64;
        var address = source.Address.Address;
        var header = request.Headers.Get(proxy ? "Proxy-Authorization" : "Authorization");
        if (header is null || !SipDigestCredentials.TryParse(header, out var credentials) || credentials is null)
        {
            Challenge(request, transaction, proxy, stale: false);
            return null;
        }

        // Checked before the digest is verified, so a refused attempt tells nothing about its password.
        var account = LoginThrottle.AccountKey(credentials.Username, Realm);
        switch (_throttle.Check(address, account, now))
        {
            case LoginRefusal.AccountLocked:
                transaction.Respond(SipMessage.CreateResponse(request, 403, "Forbidden (too many failed attempts)"));
                return null;
            case LoginRefusal.AddressTooFast:
                transaction.Respond(SipMessage.CreateResponse(request, 403, "Forbidden (too many attempts, slow down)"));
                return null;
        }

        var user = _directory.Find(credentials.Username, _directory.Domain);
        var nonce = CheckNonce(credentials.Nonce);
        if (nonce == NonceState.Invalid || !string.Equals(credentials.Realm, Realm, StringComparison.Ordinal))
        {
            Challenge(request, transaction, proxy, stale: false);
            return null;
        }

        if (user is not null && Verifies(user, credentials, request.Method))
        {
            if (nonce == NonceState.Stale)
            {
                // Right password, old nonce: ask again without counting a failure (RFC 7616 §3.3 stale=true).
                Challenge(request, transaction, proxy, stale: true);
                return null;
            }

            _throttle.RecordSuccess(address, account);
            return new AuthenticatedUser(user, UserPermissions.For(user));
        }

        Interlocked.Increment(ref _metrics.AuthFailures);
        SipLog.AuthFailed(_log, credentials.Username, source.ToString());
        if (_throttle.RecordFailure(address, account, now))
        {
            Interlocked.Increment(ref _metrics.AuthLockouts);
        }

        transaction.Respond(SipMessage.CreateResponse(request, 403, "Forbidden"));
        return null;
    }

    /// <summary>With the plain password when the directory has one, else with the stored H(A1) of the credentials' hash.</summary>
    private static bool Verifies(DirectoryUser user, SipDigestCredentials credentials, string method)
    {
        if (user.Password is { } password)
        {
            return SipDigest.Verify(credentials, method, password);
        }

        var sha256 = credentials.Algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase);
        return (sha256 ? user.SipHa1Sha256 : user.SipHa1Md5) is { } ha1 && SipDigest.VerifyWithHa1(credentials, method, ha1);
    }

    private void Challenge(SipMessage request, SipServerTransaction transaction, bool proxy, bool stale)
    {
        var response = SipMessage.CreateResponse(request, proxy ? 407 : 401, proxy ? "Proxy Authentication Required" : "Unauthorized", SipStack.NewTag());
        var nonce = NewNonce();
        var name = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
        // One MD5 challenge. RFC 8760 allows a SHA-256 one beside it, but deployed phones do not
        // all pick the one they support: baresip 1.0 takes the SHA-256 challenge and gives up.
        // Credentials computed with SHA-256 against this nonce are still verified.
        response.Headers.Add(name, new SipDigestChallenge(Realm, nonce, "MD5", null, stale, "auth").ToHeaderValue());
        transaction.Respond(response);
    }

    private string NewNonce()
    {
        var issued = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
        return issued + "." + Signature(issued);
    }

    private NonceState CheckNonce(string nonce)
    {
        var dot = nonce.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(nonce.AsSpan(0, dot), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var issued))
        {
            return NonceState.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Signature(nonce[..dot]));
        var given = Encoding.ASCII.GetBytes(nonce[(dot + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return NonceState.Invalid;
        }

        var age = DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(issued);
        return age < TimeSpan.Zero || age > NonceLifetime ? NonceState.Stale : NonceState.Fresh;
    }

    private string Signature(string issued) => Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(issued)).AsSpan(0, 16));

    private enum NonceState
    {
        Invalid,
        Stale,
        Fresh,
    }
}

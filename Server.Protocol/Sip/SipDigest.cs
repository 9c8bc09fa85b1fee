using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// HTTP Digest as SIP uses it (RFC 3261 §22.4): RFC 7616 §3.4.1 with MD5, SHA-256 and their
/// -sess variants, qop=auth, and no qop for RFC 2069/2617 peers. auth-int is not supported.
/// <code>
///  A1       = username ":" realm ":" password           (-sess: H(A1) ":" nonce ":" cnonce)
///  A2       = method ":" uri
///  response = H( H(A1) ":" nonce ":" nc ":" cnonce ":" qop ":" H(A2) )   qop=auth
///  response = H( H(A1) ":" nonce ":" H(A2) )                             no qop
/// </code>
/// H is lowercase hex of the hash of the UTF-8 text.
/// </summary>
public static class SipDigest
{
    private const int MaxHexLength = 64;

    public static bool IsSupportedAlgorithm(string? algorithm) => TryGetAlgorithm(algorithm, out _, out _);

    /// <summary>The response hash (lowercase hex). NotSupportedException for an unknown algorithm or a qop other than auth.</summary>
    public static string ComputeResponse(
        string algorithm, string username, string realm, string password, string method, string uri,
        string nonce, string? nonceCount, string? cnonce, string? qop)
    {
        Span<byte> hex = stackalloc byte[MaxHexLength];
        if (!TryComputeResponse(algorithm, username, realm, password, null, method, uri, nonce, nonceCount, cnonce, qop, hex, out var length))
        {
            throw new NotSupportedException($"Digest algorithm '{algorithm}' with qop '{qop}' is not supported.");
        }

        return Encoding.ASCII.GetString(hex[..length]);
    }

    /// <summary>
    /// Whether <paramref name="credentials"/> carry the right response for <paramref name="password"/>,
    /// compared in constant time. Checking realm, nonce freshness and nonce-count is the caller's.
    /// False (never an exception) for an unsupported algorithm or qop.
    /// </summary>
    public static bool Verify(SipDigestCredentials credentials, string method, string password)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Span<byte> expected = stackalloc byte[MaxHexLength];
        if (!TryComputeResponse(
                credentials.Algorithm, credentials.Username, credentials.Realm, password, null, method, credentials.Uri,
                credentials.Nonce, credentials.NonceCount, credentials.Cnonce, credentials.Qop, expected, out var length))
        {
            return false;
        }

        return Matches(credentials.Response, expected, length);
    }

    /// <summary>
    /// As <see cref="Verify"/>, from a stored H(A1) = H(username:realm:password) (lowercase hex of
    /// the credentials' hash, MD5 or SHA-256) instead of the password: what a server keeps when it
    /// must not keep passwords (RFC 7616 §5.10; FreeSWITCH's a1-hash).
    /// </summary>
    public static bool VerifyWithHa1(SipDigestCredentials credentials, string method, string ha1)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(ha1);
        Span<byte> expected = stackalloc byte[MaxHexLength];
        if (!TryComputeResponse(
                credentials.Algorithm, credentials.Username, credentials.Realm, string.Empty, ha1, method, credentials.Uri,
                credentials.Nonce, credentials.NonceCount, credentials.Cnonce, credentials.Qop, expected, out var length))
        {
            return false;
        }

        return Matches(credentials.Response, expected, length);
    }

    /// <summary>H(username:realm:password) as lowercase hex, for "MD5" or "SHA-256": what to store for <see cref="VerifyWithHa1"/>.</summary>
    public static string Ha1(string algorithm, string username, string realm, string password)
    {
        if (!TryGetAlgorithm(algorithm, out var sha256, out _))
        {
            throw new NotSupportedException($"Digest algorithm '{algorithm}' is not supported.");
        }

        Span<byte> hex = stackalloc byte[MaxHexLength];
        var input = System.Text.Encoding.UTF8.GetBytes($"{username}:{realm}:{password}");
        HashHex(sha256, input, hex);
        return System.Text.Encoding.ASCII.GetString(hex[..(sha256 ? 64 : 32)]);
    }

    private static bool Matches(string offered, ReadOnlySpan<byte> expected, int length)
    {
        // Hex digits compare case-insensitively; lowercase the offered response first. Its length is no secret.
        if (offered.Length != length)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[MaxHexLength];
        for (var i = 0; i < length; i++)
        {
            var c = offered[i];
            actual[i] = c < 128 ? SipGrammar.ToLower((byte)c) : (byte)0;
        }

        return CryptographicOperations.FixedTimeEquals(expected[..length], actual[..length]);
    }

    /// <summary>
    /// The credentials a UAC sends to answer <paramref name="challenge"/>: qop=auth when offered
    /// (with a fresh random cnonce unless given, and nc as 8 hex digits), else the RFC 2069 form.
    /// NotSupportedException when <see cref="SipDigestChallenge.IsSupported"/> is false.
    /// </summary>
    public static SipDigestCredentials Answer(
        SipDigestChallenge challenge, string username, string password, string method, string uri, string? cnonce = null, uint nonceCount = 1)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (!challenge.IsSupported || !TryGetAlgorithm(challenge.Algorithm, out _, out var session))
        {
            throw new NotSupportedException($"Digest algorithm '{challenge.Algorithm}' with qop '{challenge.Qop}' is not supported.");
        }

        var qop = challenge.Qop;
        string? nc = null;
        if (qop is not null || session)
        {
            cnonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }
        else
        {
            cnonce = null;
        }

        if (qop is not null)
        {
            nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        }

        var response = ComputeResponse(challenge.Algorithm, username, challenge.Realm, password, method, uri, challenge.Nonce, nc, cnonce, qop);
        return new SipDigestCredentials(username, challenge.Realm, challenge.Nonce, uri, response, challenge.Algorithm, cnonce, qop, nc, challenge.Opaque);
    }

    private static bool TryGetAlgorithm(string? algorithm, out bool sha256, out bool session)
    {
        sha256 = false;
        session = false;
        switch (algorithm?.ToUpperInvariant())
        {
            case "MD5":
                return true;
            case "MD5-SESS":
                session = true;
                return true;
            case "SHA-256":
                sha256 = true;
                return true;
            case "SHA-256-SESS":
                sha256 = true;
                session = true;
                return true;
            default:
                return false;
        }
    }

    private static bool TryComputeResponse(
        string algorithm, string username, string realm, string password, string? storedHa1, string method, string uri,
        string nonce, string? nonceCount, string? cnonce, string? qop, Span<byte> hex, out int length)
    {
        length = 0;
        var withQop = qop is not null;
        if (!TryGetAlgorithm(algorithm, out var sha256, out var session)
            || (withQop && !string.Equals(qop, "auth", StringComparison.OrdinalIgnoreCase))
            || ((withQop || session) && cnonce is null)
            || (withQop && nonceCount is null))
        {
            return false;
        }

        length = sha256 ? 64 : 32;
        var capacity = (3 * (username.Length + realm.Length + password.Length + method.Length + uri.Length + nonce.Length
            + (nonceCount?.Length ?? 0) + (cnonce?.Length ?? 0) + (qop?.Length ?? 0))) + (4 * MaxHexLength) + 16;
        var rented = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            Span<byte> ha1 = stackalloc byte[MaxHexLength];
            Span<byte> ha2 = stackalloc byte[MaxHexLength];
            var input = rented.AsSpan();

            int n;
            if (storedHa1 is not null)
            {
                if (storedHa1.Length != length || !System.Text.Ascii.IsValid(storedHa1))
                {
                    return false;
                }

                System.Text.Encoding.ASCII.GetBytes(storedHa1.ToLowerInvariant(), ha1);
            }
            else
            {
                n = Join(input, username, realm, password);
                HashHex(sha256, input[..n], ha1);
            }
            if (session)
            {
                n = Append(input, 0, ha1[..length]);
                n = Append(input, n, nonce, cnonce);
                HashHex(sha256, input[..n], ha1);
            }

            n = Join(input, method, uri);
            HashHex(sha256, input[..n], ha2);

            n = Append(input, 0, ha1[..length]);
            n = withQop
                ? Append(input, n, nonce, nonceCount, cnonce, qop!.ToLowerInvariant())
                : Append(input, n, nonce);
            input[n++] = (byte)':';
            n = Append(input, n, ha2[..length]);
            HashHex(sha256, input[..n], hex);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The parts as UTF-8 joined with ':'.</summary>
    private static int Join(Span<byte> destination, params ReadOnlySpan<string?> parts)
    {
        var n = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                destination[n++] = (byte)':';
            }

            n += Encoding.UTF8.GetBytes(parts[i] ?? string.Empty, destination[n..]);
        }

        return n;
    }

    /// <summary>Appends ':' and each part as UTF-8 after <paramref name="position"/>.</summary>
    private static int Append(Span<byte> destination, int position, params ReadOnlySpan<string?> parts)
    {
        foreach (var part in parts)
        {
            destination[position++] = (byte)':';
            position += Encoding.UTF8.GetBytes(part ?? string.Empty, destination[position..]);
        }

        return position;
    }

    private static int Append(Span<byte> destination, int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[position..]);
        return position + bytes.Length;
    }

    private static void HashHex(bool sha256, ReadOnlySpan<byte> input, Span<byte> hex)
    {
        Span<byte> hash = stackalloc byte[32];
        var size = sha256 ? SHA256.HashData(input, hash) : MD5.HashData(input, hash);
        for (var i = 0; i < size; i++)
        {
            hex[2 * i] = (byte)"0123456789abcdef"[hash[i] >> 4];
            hex[(2 * i) + 1] = (byte)"0123456789abcdef"[hash[i] & 0xF];
        }
    }
}

using System.Security.Cryptography;

namespace MediaServer.Media.Dtls;

/// <summary>
/// A certificate fingerprint from SDP (RFC 8122 §5: a=fingerprint:&lt;hash-func&gt; &lt;hex pairs
/// joined by colons&gt;) and the check of a peer certificate against it. Immutable.
/// </summary>
internal sealed class DtlsFingerprint
{
    private readonly byte[] _digest;

    private DtlsFingerprint(HashAlgorithmName algorithm, string name, byte[] digest)
    {
        Algorithm = algorithm;
        Name = name;
        _digest = digest;
    }

    public HashAlgorithmName Algorithm { get; }

    /// <summary>The SDP hash function name, lowercase (e.g. "sha-256").</summary>
    public string Name { get; }

    /// <summary>Parses the SDP values; on failure says why in words fit for a hangup cause.</summary>
    public static DtlsFingerprint? TryParse(string? algorithm, string? value, out string? error)
    {
        error = null;
        var name = algorithm?.Trim().ToLowerInvariant();
        HashAlgorithmName? hash = name switch
        {
            "sha-1" => HashAlgorithmName.SHA1,
            "sha-256" => HashAlgorithmName.SHA256,
            "sha-384" => HashAlgorithmName.SHA384,
            "sha-512" => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is null || name is null)
        {
            error = $"unsupported DTLS fingerprint hash function '{algorithm}' in the peer's SDP";
            return null;
        }

        var digest = ParseHex(value);
        if (digest is null || digest.Length != DigestLength(hash.Value))
        {
            error = $"malformed a=fingerprint:{name} value in the peer's SDP";
            return null;
        }

        return new DtlsFingerprint(hash.Value, name, digest);
    }

    /// <summary>"AB:CD:..." as SDP writes it.</summary>
    public static string Format(ReadOnlySpan<byte> digest) => string.Join(':', digest.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>True when the DER certificate hashes to this fingerprint.</summary>
    public bool Matches(byte[] certificateDer)
    {
        Span<byte> actual = stackalloc byte[64];
        var written = Hash(Algorithm, certificateDer, actual);
        return CryptographicOperations.FixedTimeEquals(actual[..written], _digest);
    }

    private static int Hash(HashAlgorithmName algorithm, byte[] data, Span<byte> destination)
    {
        if (algorithm == HashAlgorithmName.SHA1)
        {
            return SHA1.HashData(data, destination);
        }

        if (algorithm == HashAlgorithmName.SHA384)
        {
            return SHA384.HashData(data, destination);
        }

        return algorithm == HashAlgorithmName.SHA512 ? SHA512.HashData(data, destination) : SHA256.HashData(data, destination);
    }

    private static int DigestLength(HashAlgorithmName algorithm)
    {
        if (algorithm == HashAlgorithmName.SHA1)
        {
            return 20;
        }

        if (algorithm == HashAlgorithmName.SHA384)
        {
            return 48;
        }

        return algorithm == HashAlgorithmName.SHA512 ? 64 : 32;
    }

    private static byte[]? ParseHex(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var pairs = value.Trim().Split(':');
        var bytes = new byte[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].Length != 2 || !byte.TryParse(pairs[i], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return bytes;
    }
}

using System.Globalization;
using System.Text;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// a=fingerprint (RFC 8122 §5): the hash of the certificate the DTLS peer will present.
/// <see cref="Algorithm"/> is lowercase ("sha-256"); <see cref="Value"/> is written as in SDP,
/// uppercase hex pairs separated by colons.
/// </summary>
public sealed record SdpFingerprint(string Algorithm, string Value)
{
    /// <summary>Builds the SDP form from a certificate digest, e.g. ("sha-256", SHA256.HashData(der)).</summary>
    public static SdpFingerprint FromDigest(string algorithm, ReadOnlySpan<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var hex = Convert.ToHexString(digest);
        var text = new StringBuilder(hex.Length * 3 / 2);
        for (var i = 0; i < hex.Length; i += 2)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(hex, i, 2);
        }

        return new SdpFingerprint(algorithm.ToLowerInvariant(), text.ToString());
    }

    /// <summary>
    /// Parses the attribute value "&lt;hash-func&gt; &lt;fingerprint&gt;". The hash function is kept
    /// whatever it is (the DTLS layer decides what it supports); the value must be hex pairs.
    /// </summary>
    public static bool TryParse(string attributeValue, out SdpFingerprint? fingerprint)
    {
        fingerprint = null;
        if (attributeValue is null)
        {
            return false;
        }

        var text = attributeValue.AsSpan().Trim();
        var space = text.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        var algorithm = text[..space];
        var value = text[(space + 1)..].Trim();
        // "AB:CD:..." is 3n-1 characters long; a digest longer than 64 bytes does not exist.
        if (value.Length < 2 || value.Length > 191 || (value.Length + 1) % 3 != 0)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var ok = i % 3 == 2 ? value[i] == ':' : char.IsAsciiHexDigit(value[i]);
            if (!ok)
            {
                return false;
            }
        }

        fingerprint = new SdpFingerprint(algorithm.ToString().ToLowerInvariant(), value.ToString().ToUpperInvariant());
        return true;
    }

    /// <summary>The digest bytes the value spells.</summary>
    public byte[] GetDigest()
    {
        var bytes = new byte[(Value.Length + 1) / 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = byte.Parse(Value.AsSpan(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }

        return bytes;
    }

    /// <summary>The attribute value, "sha-256 AB:CD:...".</summary>
    public override string ToString() => Algorithm + " " + Value;
}

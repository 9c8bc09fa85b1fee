using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Security;

/// <summary>
/// PBKDF2-SHA256 password hashes with a per-user random salt, written
/// <c>pbkdf2-sha256$ITERATIONS$SALT_BASE64$HASH_BASE64</c> (what <c>--hash-password</c> prints).
/// </summary>
public static class PasswordHasher
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>OWASP (2021) recommends 310,000 for PBKDF2-SHA256; we never accept fewer than 100,000.</summary>
    public const int DefaultIterations = 310_000;
    public const int MinIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (iterations < MinIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), $"at least {MinIterations}");
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    /// <summary>Checks a password against a stored hash in constant time; a malformed hash never matches.</summary>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(hash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Compares a plain configured password in constant time.</summary>
    public static bool PlainEquals(string given, string configured)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(configured);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(configured));
    }

    private static bool TryParse(string hash, out int iterations, out byte[] salt, out byte[] expected)
    {
        iterations = 0;
        salt = [];
        expected = [];
        var parts = hash?.Split('$') ?? [];
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < MinIterations || iterations > 100_000_000)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && expected.Length >= 16;
    }
}

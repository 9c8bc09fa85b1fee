using System.Security.Cryptography;
using System.Text.Json;
using MediaServer.Configuration;

namespace MediaServer.Security;

/// <summary>
/// Gives every directory user that has neither <c>password</c> nor <c>passwordHash</c> a
/// random password on first start, prints it once, and keeps only its hash in
/// <c>DATA/generated-passwords.json</c>. So the shipped directory holds no well-known password.
/// </summary>
public static class GeneratedPasswords
{
    public const string FileName = "generated-passwords.json";

    // Keys of the SIP digest hashes kept beside each user's PBKDF2 hash.
    private const string Md5Suffix = "#sip-md5";
    private const string Sha256Suffix = "#sip-sha256";

    public static UserDirectory Apply(UserDirectory directory, string dataDirectory, Action<string> print)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(print);
        var missing = directory.Users.Where(u => u.Password is null && u.PasswordHash is null).ToList();
        if (missing.Count == 0)
        {
            return directory;
        }

        var path = Path.Combine(dataDirectory, FileName);
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                stored = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? stored;
            }
            catch (JsonException e)
            {
                throw new ConfigException($"{path}: invalid JSON ({e.Message.Split('.')[0]}); delete it to generate new passwords", e);
            }
        }

        var changed = false;
        foreach (var user in missing)
        {
            if (stored.TryGetValue(user.Id, out var hash) && PasswordHasher.IsWellFormed(hash))
            {
                continue;
            }

            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
            stored[user.Id] = PasswordHasher.Hash(password);
            // SIP digest cannot use the PBKDF2 hash: keep H(A1) as well, as FreeSWITCH's a1-hash does.
            stored[user.Id + Md5Suffix] = Protocol.Sip.SipDigest.Ha1("MD5", user.Id, directory.Domain, password);
            stored[user.Id + Sha256Suffix] = Protocol.Sip.SipDigest.Ha1("SHA-256", user.Id, directory.Domain, password);
            changed = true;
            print($"Generated password for user {user.Uid} ({user.Name}): {password}");
        }

        if (changed)
        {
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllText(path, JsonSerializer.Serialize(stored, new JsonSerializerOptions { WriteIndented = true }));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            print($"Only their hashes are kept, in {path}; delete that file to generate new ones.");
        }

        var users = directory.Users.Select(u => u.Password is null && u.PasswordHash is null
            ? u with { PasswordHash = stored[u.Id], SipHa1Md5 = stored.GetValueOrDefault(u.Id + Md5Suffix), SipHa1Sha256 = stored.GetValueOrDefault(u.Id + Sha256Suffix) }
            : u);
        return new UserDirectory(directory.Domain, users);
    }
}

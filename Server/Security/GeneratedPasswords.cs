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

        var users = directory.Users.Select(u => u.Password is null && u.PasswordHash is null ? u with { PasswordHash = stored[u.Id] } : u);
        return new UserDirectory(directory.Domain, users);
    }
}

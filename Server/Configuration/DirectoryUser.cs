namespace MediaServer.Configuration;

/// <summary>
/// One user of conf/directory.json. Exactly one of <see cref="Password"/> (plain, for
/// development) and <see cref="PasswordHash"/> (PBKDF2, recommended) is set.
/// </summary>
public sealed record DirectoryUser
{
    public required string Id { get; init; }
    public required string Domain { get; init; }
    public string Name { get; init; } = string.Empty;
    public string? Password { get; init; }
    public string? PasswordHash { get; init; }
    public bool Moderator { get; init; }

    /// <summary>May use the HTTPS admin endpoints (the call record export) with HTTP Basic and this password.</summary>
    public bool Admin { get; init; }

    /// <summary>
    /// H(id:domain:password) in lowercase hex, MD5 and SHA-256: lets SIP phones answer digest
    /// challenges for a user whose password is kept only as a PBKDF2 hash (generated passwords).
    /// </summary>
    public string? SipHa1Md5 { get; init; }

    public string? SipHa1Sha256 { get; init; }

    /// <summary>Method names or families this user may call; null means every verto.* method and echo.</summary>
    public IReadOnlyList<string>? AllowedMethods { get; init; }

    /// <summary>Channels or families this user may use; null means every application channel of the domain.</summary>
    public IReadOnlyList<string>? AllowedChannels { get; init; }

    public string Uid => $"{Id}@{Domain}";
}

namespace MediaServer.Configuration;

/// <summary>The domain and its users (conf/directory.json), looked up at login.</summary>
public sealed class UserDirectory
{
    private readonly Dictionary<string, DirectoryUser> _users;

    public UserDirectory(string domain, IEnumerable<DirectoryUser> users)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        ArgumentNullException.ThrowIfNull(users);
        Domain = domain;
        _users = users.ToDictionary(u => u.Id, StringComparer.Ordinal);
    }

    public string Domain { get; }

    public IReadOnlyCollection<DirectoryUser> Users => _users.Values;

    /// <summary>Finds a user of this server's domain; another domain has no users here.</summary>
    public DirectoryUser? Find(string id, string domain) =>
        string.Equals(domain, Domain, StringComparison.OrdinalIgnoreCase) && _users.TryGetValue(id, out var user) ? user : null;
}

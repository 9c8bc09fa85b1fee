namespace MediaServer.Hosting;

/// <summary>
/// Which browser origins may open a WebSocket. A request without an Origin header is not
/// from a browser page and is let through (browsers always send one); with the default
/// empty list only pages of the same host and port may connect.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;
    private readonly bool _any;

    public OriginPolicy(IReadOnlyList<string> allowed)
    {
        _any = allowed.Contains("*");
        _allowed = new HashSet<string>(allowed.Where(o => o != "*").Select(Normalize), StringComparer.OrdinalIgnoreCase);
    }

    public bool Allows(string? origin, string host)
    {
        if (string.IsNullOrEmpty(origin) || _any)
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (_allowed.Count > 0)
        {
            return _allowed.Contains(Normalize(origin));
        }

        return string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase)
            || string.Equals($"{uri.Host}:{uri.Port}", host, StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : origin;
}

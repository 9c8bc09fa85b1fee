using MediaServer.Configuration;
using MediaServer.Protocol.Verto;

namespace MediaServer.Security;

/// <summary>
/// What an authenticated user may call and which channels it may use on its own
/// (verto-protocol.md §2.4, in the spirit of FreeSWITCH's jsonrpc-allowed-methods and
/// jsonrpc-allowed-event-channels). Dynamic grants (conference channels given on join) are
/// kept per connection, not here.
/// </summary>
public sealed class UserPermissions
{
    /// <summary>The list entry meaning "no restriction".</summary>
    public const string Any = "__ANY__";

    private readonly HashSet<string>? _methods;
    private readonly HashSet<string>? _channels;
    private readonly string _domain;

    private UserPermissions(HashSet<string>? methods, HashSet<string>? channels, string domain)
    {
        _methods = methods;
        _channels = channels;
        _domain = domain;
    }

    public static UserPermissions For(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new UserPermissions(ToSet(user.AllowedMethods), ToSet(user.AllowedChannels), user.Domain);
    }

    /// <summary>
    /// Methods: <c>login</c> always; by default every <c>verto.*</c> method and <c>echo</c>;
    /// a configured list names methods or families (<c>verto</c> = every verto.* method).
    /// </summary>
    public bool MayCall(string method)
    {
        if (method == VertoMethod.Login)
        {
            return true;
        }

        if (_methods is null)
        {
            return method == VertoMethod.Echo || VertoMethod.Family(method).SequenceEqual("verto") && method.Contains('.', StringComparison.Ordinal);
        }

        return _methods.Contains(Any) || _methods.Contains(method) || _methods.Contains(VertoMethod.Family(method).ToString());
    }

    /// <summary>
    /// Channels the user may subscribe and publish to by itself. By default: any well-formed
    /// application channel, i.e. one outside the server's families (conference-*, presence,
    /// FSevent) that names no other domain. A configured list names channels or families.
    /// </summary>
    public bool MayUseChannel(string channel)
    {
        if (!EventChannel.IsValidName(channel))
        {
            return false;
        }

        var family = EventChannel.Family(channel);
        if (_channels is null)
        {
            var domain = EventChannel.Domain(channel);
            return !EventChannel.IsServerFamily(family)
                && (domain.IsEmpty || domain.Equals(_domain, StringComparison.OrdinalIgnoreCase));
        }

        return _channels.Contains(Any) || _channels.Contains(channel) || _channels.Contains(family.ToString());
    }

    private static HashSet<string>? ToSet(IReadOnlyList<string>? list) => list is null ? null : new HashSet<string>(list, StringComparer.Ordinal);
}

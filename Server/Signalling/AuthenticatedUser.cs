using MediaServer.Configuration;
using MediaServer.Security;

namespace MediaServer.Signalling;

/// <summary>Who a connection logged in as, and what that lets it do.</summary>
internal sealed record AuthenticatedUser(DirectoryUser Entry, UserPermissions Permissions)
{
    public string Uid => Entry.Uid;

    public string DisplayName => Entry.Name;
}

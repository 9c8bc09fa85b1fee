using System.Net;

namespace MediaServer.Configuration;

/// <summary>
/// One SIP trunk of conf/sip-trunks.json: where its proxy is, the credentials we register
/// and authenticate with, and the addresses its INVITEs come from (they need no digest).
/// </summary>
public sealed record SipTrunk
{
    public required string Name { get; init; }

    public required string Host { get; init; }

    public int Port { get; init; } = 5060;

    /// <summary>"udp" or "tcp".</summary>
    public string Transport { get; init; } = "udp";

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Register with the trunk (so it sends our DIDs' calls here) and keep the registration fresh.</summary>
    public bool Register { get; init; }

    public int RegisterExpires { get; init; } = 600;

    /// <summary>The user part of our From on calls out (the trunk may want the account's number).</summary>
    public string? FromUser { get; init; }

    /// <summary>IP-ACL: inbound INVITEs from these networks are the trunk's.</summary>
    public IReadOnlyList<IPNetwork> InboundNetworks { get; init; } = [];
}

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// Our side of the transport as it goes into SDP (RFC 8839 §5, RFC 8122 §5): ICE-lite
/// credentials, the DTLS certificate fingerprint and the single host candidate (UDP,
/// component 1) of the server's one media port. Supplied by the caller per call leg.
/// </summary>
public sealed class LocalTransport
{
    public required string IceUfrag { get; set; }

    public required string IcePwd { get; set; }

    public required SdpFingerprint Fingerprint { get; set; }

    /// <summary>The address browsers should send to (an IP literal; an IPv6 one gets "IN IP6").</summary>
    public required string CandidateAddress { get; set; }

    public required int CandidatePort { get; set; }

    /// <summary>Our candidate: "1 1 udp 2130706431 &lt;address&gt; &lt;port&gt; typ host".</summary>
    public IceCandidate ToCandidate() => new()
    {
        Foundation = "1",
        Component = 1,
        Transport = "udp",
        // RFC 8445 §5.1.2.1: type preference 126 (host), local preference 65535, component 1.
        Priority = (126u << 24) | (65535u << 8) | (256u - 1),
        Address = CandidateAddress,
        Port = CandidatePort,
        Type = "host",
    };
}

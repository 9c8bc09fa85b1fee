namespace MediaServer.Protocol.Sdp;

/// <summary>
/// The peer's side of the one transport a call leg uses (the BUNDLE transport, or the first
/// accepted m= line without BUNDLE): what ICE needs to check connectivity and what DTLS needs
/// to verify the peer's certificate and pick its role (RFC 5763 §5).
/// </summary>
public sealed class RemoteTransport
{
    public required string IceUfrag { get; init; }

    public required string IcePwd { get; init; }

    public required SdpFingerprint Fingerprint { get; init; }

    /// <summary>The peer's a=setup; "active" when it gave none (RFC 4145 §4).</summary>
    public required DtlsSetup Setup { get; init; }

    /// <summary>The candidates of the transport's m= line (not only UDP ones: filter with <see cref="IceCandidate.IsUdp"/>).</summary>
    public required IReadOnlyList<IceCandidate> Candidates { get; init; }

    /// <summary>Index of the m= line the transport was read from.</summary>
    public required int MediaIndex { get; init; }

    public string? Mid { get; init; }
}

using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using BcCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;
using BcCertificateRequest = Org.BouncyCastle.Crypto.Tls.CertificateRequest;

namespace MediaServer.Media.Dtls;

/// <summary>
/// BouncyCastle's client side of a DTLS-SRTP handshake (we answered a=setup:active): DTLS 1.2,
/// ECDHE-ECDSA, our certificate on request, the server's certificate checked against its
/// a=fingerprint, and use_srtp offering our profiles in preference order. Runs on the
/// handshake thread.
/// </summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly DtlsSrtpNegotiation _negotiation;

    public DtlsSrtpClient(DtlsSrtpNegotiation negotiation)
    {
        _negotiation = negotiation;
    }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => DtlsSrtpNegotiation.CipherSuites;

    public override IDictionary GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(_negotiation.OfferedProfileCodes, TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var useSrtp = serverExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        if (useSrtp is null)
        {
            throw _negotiation.FailWith("peer did not negotiate DTLS-SRTP (no use_srtp extension in its ServerHello)", AlertDescription.handshake_failure);
        }

        // RFC 5764 §4.1.1: exactly one profile, and one we offered.
        var chosen = useSrtp.ProtectionProfiles;
        var profile = chosen.Length == 1 ? _negotiation.Choose(chosen) : null;
        _negotiation.SelectedProfile = profile
            ?? throw _negotiation.FailWith("peer selected an SRTP profile we did not offer", AlertDescription.illegal_parameter);
    }

    public override TlsAuthentication GetAuthentication() => new PeerAuthentication(this);

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) => _negotiation.OnAlertReceived(alertLevel, alertDescription);

    public override void NotifyHandshakeComplete() => _negotiation.ExportKeys(mContext);

    /// <summary>Checks the server certificate and supplies ours when asked.</summary>
    private sealed class PeerAuthentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(BcCertificate serverCertificate) => client._negotiation.VerifyPeerCertificate(serverCertificate);

        public TlsCredentials GetClientCredentials(BcCertificateRequest certificateRequest) =>
            new DefaultTlsSignerCredentials(
                client.mContext,
                client._negotiation.Certificate.Chain,
                client._negotiation.Certificate.PrivateKey,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}

using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using BcCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;
using BcCertificateRequest = Org.BouncyCastle.Crypto.Tls.CertificateRequest;

namespace MediaServer.Media.Dtls;

/// <summary>
/// BouncyCastle's server side of a DTLS-SRTP handshake (we answered a=setup:passive): DTLS 1.2,
/// ECDHE-ECDSA with our certificate, a required client certificate checked against the
/// peer's a=fingerprint, and use_srtp (RFC 5764 §4.1). Runs on the handshake thread.
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly DtlsSrtpNegotiation _negotiation;
    private string? _refusal;

    public DtlsSrtpServer(DtlsSrtpNegotiation negotiation)
    {
        _negotiation = negotiation;
    }

    // BouncyCastle accepts ClientHellos in DTLS 1.0 records; the negotiated version is 1.2,
    // which GCM suites and the SRTP GCM profile need anyway.
    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var useSrtp = clientExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(clientExtensions);
        _negotiation.SelectedProfile = _negotiation.Choose(useSrtp?.ProtectionProfiles);
        if (_negotiation.SelectedProfile is null)
        {
            _refusal = useSrtp is null ? "peer did not offer DTLS-SRTP (no use_srtp extension)" : "peer offered no SRTP profile we support";
        }
    }

    public override TlsKeyExchange GetKeyExchange()
    {
        // Without a common profile we still answer the hello and fail here: BouncyCastle sends
        // nothing, not even an alert, before its ServerHello, and the peer should learn at
        // once instead of timing out.
        if (_refusal is not null)
        {
            throw _negotiation.FailWith(_refusal, AlertDescription.handshake_failure);
        }

        return base.GetKeyExchange();
    }

    public override IDictionary GetServerExtensions()
    {
        base.GetServerExtensions();
        var extensions = CheckServerExtensions();

        // RFC 5764 §4.1.1: the server answers with exactly one profile and an empty MKI.
        if (_negotiation.SelectedProfile is { } profile)
        {
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([(int)profile], TlsUtilities.EmptyBytes));
        }

        return extensions;
    }

    public override BcCertificateRequest GetCertificateRequest()
    {
        // Browsers always send a certificate; asking for ECDSA and RSA covers all of them.
        var signatureAlgorithms = new ArrayList
        {
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha512, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha512, SignatureAlgorithm.rsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.rsa),
        };
        return new BcCertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], signatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(BcCertificate clientCertificate) => _negotiation.VerifyPeerCertificate(clientCertificate);

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) => _negotiation.OnAlertReceived(alertLevel, alertDescription);

    public override void NotifyHandshakeComplete() => _negotiation.ExportKeys(mContext);

    protected override int[] GetCipherSuites() => DtlsSrtpNegotiation.CipherSuites;

    protected override TlsSignerCredentials GetECDsaSignerCredentials() =>
        new DefaultTlsSignerCredentials(
            mContext,
            _negotiation.Certificate.Chain,
            _negotiation.Certificate.PrivateKey,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
}

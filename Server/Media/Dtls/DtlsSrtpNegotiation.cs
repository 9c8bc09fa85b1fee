using Org.BouncyCastle.Crypto.Tls;
using BcCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace MediaServer.Media.Dtls;

/// <summary>
/// What the BouncyCastle server or client of one handshake needs from us and reports back:
/// our certificate, the fingerprint the peer's certificate must match, the SRTP profiles we
/// offer in preference order; the chosen profile, the exported keys, and the first reason the
/// handshake failed, in words. Used on the handshake thread only, except
/// <see cref="OnAlertReceived"/> which after the handshake runs on the post-handshake drain.
/// </summary>
internal sealed class DtlsSrtpNegotiation
{
    /// <summary>The suites browsers offer with an ECDSA certificate, strongest and cheapest first.</summary>
    internal static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    private readonly DtlsFingerprint? _remoteFingerprint;
    private readonly Action<byte, byte> _alertReceived;
    private string? _failure;

    public DtlsSrtpNegotiation(
        DtlsCertificate certificate,
        DtlsRole role,
        DtlsFingerprint? remoteFingerprint,
        IReadOnlyList<SrtpProfile> offeredProfiles,
        Action<byte, byte> alertReceived)
    {
        Certificate = certificate;
        Role = role;
        _remoteFingerprint = remoteFingerprint;
        OfferedProfiles = offeredProfiles;
        _alertReceived = alertReceived;
    }

    public DtlsCertificate Certificate { get; }

    public DtlsRole Role { get; }

    public IReadOnlyList<SrtpProfile> OfferedProfiles { get; }

    /// <summary>The profile use_srtp settled on; set from the hellos.</summary>
    public SrtpProfile? SelectedProfile { get; set; }

    /// <summary>The keys, exported when BouncyCastle reports the handshake complete (it wipes the master secret right after).</summary>
    public SrtpKeyingMaterial? Keys { get; private set; }

    public string? FailureReason => Volatile.Read(ref _failure);

    public int[] OfferedProfileCodes => OfferedProfiles.Select(p => (int)p).ToArray();

    /// <summary>Records why the handshake fails; the first cause is the one the hangup reports.</summary>
    public void Fail(string reason) => Interlocked.CompareExchange(ref _failure, reason, null);

    /// <summary>Records the cause and returns the alert to throw into BouncyCastle.</summary>
    public TlsFatalAlert FailWith(string reason, byte alertDescription)
    {
        Fail(reason);
        return new TlsFatalAlert(alertDescription);
    }

    /// <summary>
    /// RFC 5763 §5 / RFC 8122 §5: the certificate the peer presents must hash to the
    /// a=fingerprint of its SDP; that is the only authentication WebRTC has. Throws the
    /// alert to send when it does not.
    /// </summary>
    public void VerifyPeerCertificate(BcCertificate chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            throw FailWith("DTLS peer sent no certificate; WebRTC requires one matching a=fingerprint", AlertDescription.handshake_failure);
        }

        if (_remoteFingerprint is null || !_remoteFingerprint.Matches(chain.GetCertificateAt(0).GetEncoded()))
        {
            throw FailWith("DTLS fingerprint mismatch: the peer's certificate does not match a=fingerprint in its SDP", AlertDescription.bad_certificate);
        }
    }

    /// <summary>Our most preferred profile that the peer also offered, or null.</summary>
    public SrtpProfile? Choose(int[]? peerOffered)
    {
        if (peerOffered is null)
        {
            return null;
        }

        foreach (var profile in OfferedProfiles)
        {
            if (Array.IndexOf(peerOffered, (int)profile) >= 0)
            {
                return profile;
            }
        }

        return null;
    }

    /// <summary>RFC 5764 §4.2: keys for both directions from the TLS exporter, label "EXTRACTOR-dtls_srtp", no context.</summary>
    public void ExportKeys(TlsContext context)
    {
        var profile = SelectedProfile ?? throw FailWith("DTLS handshake finished without an SRTP profile", AlertDescription.internal_error);
        var length = 2 * (SrtpKeyingMaterial.KeyLength + SrtpKeyingMaterial.SaltLength(profile));
        var exported = context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        try
        {
            Keys = SrtpKeyingMaterial.FromExporter(profile, exported, Role);
        }
        finally
        {
            Array.Clear(exported);
        }
    }

    public void OnAlertReceived(byte alertLevel, byte alertDescription) => _alertReceived(alertLevel, alertDescription);
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace MediaServer.Media.Dtls;

/// <summary>
/// The certificate we present in every DTLS handshake: ECDSA P-256, self-signed, made once at
/// server start and shared read-only by all legs (WebRTC authenticates it through
/// a=fingerprint in the SDP, not through a CA). Immutable, so any thread may use it.
/// </summary>
public sealed class DtlsCertificate
{
    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey, DateTimeOffset notAfter)
    {
        Der = der;
        PrivateKey = privateKey;
        NotAfter = notAfter;
        Chain = new BcCertificate([X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der))]);
        Sha256Fingerprint = DtlsFingerprint.Format(SHA256.HashData(der));
    }

    /// <summary>The SDP a=fingerprint value: uppercase hex pairs joined by colons.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>When the certificate stops being valid; browsers do not check, but a server up for a year should regenerate.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The DER encoding, for fingerprints with other hashes.</summary>
    internal byte[] Der { get; }

    /// <summary>The one-certificate chain BouncyCastle sends in the Certificate message.</summary>
    internal BcCertificate Chain { get; }

    /// <summary>The private key BouncyCastle signs ServerKeyExchange and CertificateVerify with.</summary>
    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>
    /// Makes a fresh key pair and certificate (subject CN=MediaServer, random serial, valid from
    /// 30 days ago, so a peer with a slow clock accepts it, to a year ahead).
    /// </summary>
    public static DtlsCertificate Generate()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=MediaServer", ecdsa, HashAlgorithmName.SHA256);
        var serial = RandomNumberGenerator.GetBytes(16);

        // A positive INTEGER with no leading zero byte: RFC 5280 §4.1.2.2.
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.AddYears(1);
        using var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(ecdsa), now.AddDays(-30), notAfter, serial);
        var privateKey = PrivateKeyFactory.CreateKey(ecdsa.ExportPkcs8PrivateKey());
        return new DtlsCertificate(certificate.RawData, privateKey, notAfter);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MediaServer.Security;

/// <summary>
/// The HTTPS/WSS certificate: the configured PEM pair, or else a self-signed ECDSA P-256
/// certificate made on first start and kept as PEM under the data folder, so browsers that
/// were told to trust it keep trusting it across restarts.
/// </summary>
public static class TlsCertificateSource
{
    public const string GeneratedCertificateFile = "server-cert.pem";
    public const string GeneratedKeyFile = "server-key.pem";

    public static X509Certificate2 Load(string? certificatePath, string? keyPath, string dataDirectory, IEnumerable<IPAddress> addresses, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (certificatePath is not null && keyPath is not null)
        {
            return Reload(X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
        }

        var cert = Path.Combine(dataDirectory, GeneratedCertificateFile);
        var key = Path.Combine(dataDirectory, GeneratedKeyFile);
        if (File.Exists(cert) && File.Exists(key))
        {
            var existing = Reload(X509Certificate2.CreateFromPemFile(cert, key));
            if (existing.NotAfter > DateTime.Now.AddDays(7))
            {
                return existing;
            }

            report($"The generated certificate {cert} expires {existing.NotAfter:u}; making a new one.");
        }

        Directory.CreateDirectory(dataDirectory);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=MediaServer self-signed", ecdsa, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var address in addresses.Distinct())
        {
            if (!address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
            {
                names.AddIpAddress(address);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        File.WriteAllText(cert, created.ExportCertificatePem());
        File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        report($"Generated a self-signed certificate {cert} (SHA-256 {created.GetCertHashString(HashAlgorithmName.SHA256)}).");
        return Reload(X509Certificate2.CreateFromPemFile(cert, key));
    }

    /// <summary>
    /// A certificate made from PEM holds an ephemeral key; exporting and re-importing as
    /// PKCS#12 gives SslStream a key it can use on every platform.
    /// </summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}

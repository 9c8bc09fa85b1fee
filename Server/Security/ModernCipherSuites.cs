using System.Net.Security;
using System.Runtime.Versioning;

namespace MediaServer.Security;

/// <summary>
/// The TLS cipher suites the HTTPS/WSS listener offers: TLS 1.3's AEAD suites and, for TLS 1.2,
/// only ECDHE (forward secrecy) with AES-GCM or ChaCha20-Poly1305. No CBC, no static RSA key
/// exchange. .NET can restrict suites only where OpenSSL (Linux) or the macOS stack does it;
/// elsewhere the operating system's defaults apply.
/// </summary>
public static class ModernCipherSuites
{
    private static readonly TlsCipherSuite[] Suites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    private static CipherSuitesPolicy? _policy;

    [SupportedOSPlatformGuard("linux")]
    [SupportedOSPlatformGuard("macos")]
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>The policy, made once; only where <see cref="IsSupported"/>.</summary>
    [SupportedOSPlatform("linux")]
    [SupportedOSPlatform("macos")]
    public static CipherSuitesPolicy Policy => _policy ??= new CipherSuitesPolicy(Suites);

    /// <summary>True for a suite the listener would offer: AEAD with forward secrecy.</summary>
    public static bool IsModern(TlsCipherSuite suite) => Array.IndexOf(Suites, suite) >= 0;
}

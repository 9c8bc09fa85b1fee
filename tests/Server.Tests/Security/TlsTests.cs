using System.ComponentModel;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Authentication;
using MediaServer.Security;
using MediaServer.Tests.Infrastructure;
using Xunit;

namespace MediaServer.Tests.Security;

/// <summary>
/// The HTTPS/WSS listener speaks TLS 1.2 and 1.3 only, with AEAD cipher suites and forward
/// secrecy; older protocols and CBC or static-RSA suites fail the handshake.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task TlsTwelveAndThirteenAreAcceptedWithAnAeadSuiteWithForwardSecrecy(SslProtocols protocol)
    {
        await using var stream = await HandshakeAsync(new SslClientAuthenticationOptions { EnabledSslProtocols = protocol });

        Assert.Equal(protocol, stream.SslProtocol);
        Assert.True(ModernCipherSuites.IsModern(stream.NegotiatedCipherSuite), $"negotiated {stream.NegotiatedCipherSuite}");
        var name = stream.NegotiatedCipherSuite.ToString();
        Assert.True(name.Contains("_GCM_", StringComparison.Ordinal) || name.Contains("CHACHA20_POLY1305", StringComparison.Ordinal), name);
        if (protocol == SslProtocols.Tls12)
        {
            Assert.StartsWith("TLS_ECDHE_", name, StringComparison.Ordinal);
        }
    }

    [Theory]
#pragma warning disable SYSLIB0039 // TLS 1.0 and 1.1 are obsolete: that is what is being refused.
    [InlineData(SslProtocols.Tls)]
    [InlineData(SslProtocols.Tls11)]
#pragma warning restore SYSLIB0039
    public async Task TlsTenAndElevenAreRefused(SslProtocols protocol)
    {
        // On Linux the client's OpenSSL may refuse to even offer them; the handshake fails either way.
        await AssertHandshakeFailsAsync(new SslClientAuthenticationOptions { EnabledSslProtocols = protocol });
    }

    // The server side restricts suites with OpenSSL; the suite-restricting client needs it too (Linux, like the rest of these tests).
    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task AClientOfferingOnlyCbcSuitesIsRefused()
    {
        var cbcOnly = new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        ]);
        await AssertHandshakeFailsAsync(new SslClientAuthenticationOptions { EnabledSslProtocols = SslProtocols.Tls12, CipherSuitesPolicy = cbcOnly });

        // The same client offering one modern suite as well gets in: the refusal is about the suites.
        var withGcm = new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ]);
        await using var stream = await HandshakeAsync(new SslClientAuthenticationOptions { EnabledSslProtocols = SslProtocols.Tls12, CipherSuitesPolicy = withGcm });
        Assert.Equal(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, stream.NegotiatedCipherSuite);
    }

    // The server side restricts suites with OpenSSL; the suite-restricting client needs it too (Linux, like the rest of these tests).
    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task AClientOfferingOnlyStaticRsaKeyExchangeIsRefused()
    {
        var noForwardSecrecy = new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        ]);
        await AssertHandshakeFailsAsync(new SslClientAuthenticationOptions { EnabledSslProtocols = SslProtocols.Tls12, CipherSuitesPolicy = noForwardSecrecy });
    }

    private async Task<SslStream> HandshakeAsync(SslClientAuthenticationOptions options)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.Port);
        var stream = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        options.TargetHost = "localhost";
        // The test server's certificate is self-signed; what is checked here is the protocol, not trust.
        options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await stream.AuthenticateAsClientAsync(options, timeout.Token);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }

    private async Task AssertHandshakeFailsAsync(SslClientAuthenticationOptions options)
    {
        var failure = await Record.ExceptionAsync(async () => await (await HandshakeAsync(options)).DisposeAsync());
        Assert.NotNull(failure);
        Assert.True(
            failure is AuthenticationException or IOException or Win32Exception or PlatformNotSupportedException,
            $"the handshake should fail as a TLS failure, not {failure}");
    }
}

using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text.Json.Nodes;
using MediaServer.Hosting;
using MediaServer.Tests.Infrastructure;
using Xunit;

namespace MediaServer.Tests.Security;

/// <summary>
/// Connections that hold a socket without doing anything useful are closed by the server in
/// bounded time, and many of them at once do not keep a real user from working. (Oversized
/// frames and clients that stop reading are covered by FramingTests and SlowReaderTests.)
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class ConnectionAbuseTests
{
    private const int IdleConnections = 1000;

    [Fact]
    public async Task HalfOpenConnectionsAreClosedByTheServer()
    {
        await using var server = await TestServer.StartAsync();
        var limit = MediaServerHost.HalfOpenTimeout + TimeSpan.FromSeconds(10);

        // TCP connected, ClientHello never sent; and TLS done, the HTTP upgrade never sent. Both wait at once.
        using var silent = new TcpClient();
        await silent.ConnectAsync("127.0.0.1", server.Port);
        using var afterTls = new TcpClient();
        await afterTls.ConnectAsync("127.0.0.1", server.Port);
        await using var tls = new SslStream(afterTls.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });

        var clock = Stopwatch.StartNew();
        var silentClosed = WaitForCloseAsync(silent.GetStream(), limit);
        var tlsClosed = WaitForCloseAsync(tls, limit);
        Assert.True(await silentClosed, "the server kept a TCP connection without a TLS handshake open");
        Assert.True(await tlsClosed, "the server kept a TLS connection without an HTTP request open");

        // Not closed at once either: the timeout is what closed them, and then the server still serves.
        Assert.True(clock.Elapsed > MediaServerHost.HalfOpenTimeout / 2, $"closed after {clock.Elapsed}");
        await using var client = await server.LoginAsync();
        Assert.Equal("PONG", (await client.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
    }

    [Fact]
    public async Task AThousandConnectionsThatNeverLogInAreClosedWhileAGoodUserWorks()
    {
        await using var server = await TestServer.StartAsync(new JsonObject { ["loginTimeoutSeconds"] = 2 });
        var idle = new List<VertoTestClient>(IdleConnections);
        try
        {
            using (var slots = new SemaphoreSlim(50))
            {
                var opening = Enumerable.Range(0, IdleConnections).Select(async _ =>
                {
                    await slots.WaitAsync();
                    try
                    {
                        var client = await server.ConnectAsync();
                        lock (idle)
                        {
                            idle.Add(client);
                        }
                    }
                    finally
                    {
                        slots.Release();
                    }
                });

                // Alice logs in and works while the idle sockets pile up.
                var working = Task.Run(async () =>
                {
                    await using var alice = await server.LoginAsync();
                    for (var i = 0; i < 20; i++)
                    {
                        Assert.Equal("PONG", (await alice.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
                        await Task.Delay(100);
                    }

                    // Logged in, she outlives the login timeout that closes the others.
                    Assert.Equal(WebSocketState.Open, alice.State);
                });
                await Task.WhenAll(opening);
                await working;
            }

            Assert.Equal(IdleConnections, idle.Count);
            var closing = Task.WhenAll(idle.Select(c => c.Closed));
            await closing.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.All(idle, c => Assert.Equal(WebSocketCloseStatus.PolicyViolation, c.CloseStatus));
            await WaitFor.ConditionAsync(() => server.Verto.ConnectionCount == 0, TimeSpan.FromSeconds(10), "the server to forget the closed connections");

            await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
            Assert.Equal("PONG", (await bob.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
        }
        finally
        {
            foreach (var client in idle)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>True when the peer closed (end of stream or reset) within <paramref name="limit"/>; false if it stayed open.</summary>
    private static async Task<bool> WaitForCloseAsync(Stream stream, TimeSpan limit)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            // Anything the server sends before closing (a TLS alert, an HTTP 408) is read past.
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}

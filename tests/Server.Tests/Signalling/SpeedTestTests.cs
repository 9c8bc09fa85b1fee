using System.Net.WebSockets;
using System.Text;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Signalling;

/// <summary>The bandwidth test Verto Communicator runs before every call (verto-protocol.md §1.7).</summary>
public sealed class SpeedTestTests
{
    [Fact]
    public async Task TheUploadIsTimedAndTheDownloadEndsWithSpd()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.LoginAsync();
        await client.ReceiveUntilAsync(m => m.TryGetProperty("method", out var method) && method.GetString() == "verto.clientReady");

        const int bytes = 64 * 1024;
        var block = "#SPB " + new string('.', 1019);
        await client.SendAsync($"#SPU {bytes}");
        for (var i = 0; i < bytes / 1024; i++)
        {
            await client.SendAsync(block);
        }

        await client.SendAsync("#SPE");

        var upload = await client.ReceiveTextAsync();
        Assert.Matches("^#SPU [0-9]+$", upload);
        var blocks = 0;
        string? frame;
        while ((frame = await client.ReceiveTextAsync()) is not null && frame.StartsWith("#SPB", StringComparison.Ordinal))
        {
            Assert.Equal(1024, Encoding.UTF8.GetByteCount(frame));
            blocks++;
        }

        Assert.Equal(bytes / 1024, blocks);
        Assert.Matches("^#SPD [0-9]+$", frame);

        // JSON goes on as usual afterwards.
        Assert.Equal("PONG", (await client.CallAsync("verto.ping")).GetProperty("result").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ASpeedTestBeforeLoginClosesTheSocket()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("#SPU 1024");

        await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
    }
}

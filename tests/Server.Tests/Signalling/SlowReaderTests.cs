using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Signalling;

/// <summary>
/// A client that stops reading fills its bounded send queue and is dropped, while a client
/// on the same channel keeps receiving everything (architecture.md "Signalling path").
/// </summary>
public sealed class SlowReaderTests
{
    [Fact]
    public async Task ASlowReaderIsDisconnectedWhileAFastReaderKeepsReceiving()
    {
        await using var server = await TestServer.StartAsync(new JsonObject
        {
            ["messagesPerSecond"] = 100_000,
            ["messageBurst"] = 10_000,
            ["sendQueueMessages"] = 256,
            ["sendQueueBytes"] = 1024 * 1024,
        });
        await using var fast = await server.LoginAsync();
        await using var slow = await server.LoginAsync("1001", TestServer.BobPassword);
        await using var publisher = await server.LoginAsync();
        await fast.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = "feed.ticker" });
        await slow.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = "feed.ticker" });
        slow.StopReading();

        // 800 events of 32 KiB: 25 MB, more than the kernel's socket buffers plus the 1 MiB queue
        // bound between the server and the slow reader, so its queue must overflow. The publisher
        // keeps pace with the fast reader (at most 16 events ahead), like a live feed would.
        const int events = 800;
        var payload = new string('x', 32 * 1024);
        var fastCount = 0;
        var receivedByFast = Task.Run(async () =>
        {
            for (var i = 0; i < events; i++)
            {
                var received = await fast.ReceiveEventAsync(TimeSpan.FromSeconds(20));
                Assert.Equal(i, received.GetProperty("data").GetProperty("n").GetInt32());
                Volatile.Write(ref fastCount, i + 1);
            }
        });

        for (var i = 0; i < events; i++)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (i - Volatile.Read(ref fastCount) > 16 && DateTime.UtcNow < deadline && !receivedByFast.IsCompleted)
            {
                await Task.Delay(1);
            }

            await publisher.SendRequestAsync("verto.broadcast", new JsonObject
            {
                ["eventChannel"] = "feed.ticker",
                ["localBroadcast"] = true,
                ["data"] = new JsonObject { ["n"] = i, ["payload"] = payload },
            });
        }

        await receivedByFast.WaitAsync(TimeSpan.FromSeconds(60));
        await WaitFor.ConditionAsync(() => server.Verto.Metrics.SlowClientsDropped >= 1, TimeSpan.FromSeconds(20), "the slow reader was dropped");
        await WaitFor.ConditionAsync(() => server.Verto.Bus.SubscriberCount("feed.ticker") == 1, TimeSpan.FromSeconds(20), "only the fast reader is left on the channel");
        Assert.Equal(2, server.Verto.ConnectionCount);
    }
}

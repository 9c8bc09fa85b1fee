using System.Text;
using System.Text.Json;
using MediaServer.Protocol.Verto;

namespace MediaServer.Protocol.Tests.Verto;

public class VertoEventEnvelopeTests
{
    private static readonly byte[] Event = Encoding.UTF8.GetBytes("""{"eventChannel":"chat.lobby","data":{"m":"hi"}}""");

    [Fact]
    public void SubscribedDeliveryAddsSernoAndChannel()
    {
        var bytes = VertoEventEnvelope.Subscribed(4711, Event, 3, LiveArrayPacket.JsonString("chat"));

        Assert.Equal(
            """{"jsonrpc":"2.0","method":"verto.event","params":{"eventChannel":"chat.lobby","data":{"m":"hi"},"eventSerno":3,"subscribedChannel":"chat"},"id":4711}""",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void DirectDeliveryAddsNothing()
    {
        using var document = JsonDocument.Parse(VertoEventEnvelope.Direct(9, Event));
        var root = document.RootElement;

        Assert.Equal("verto.event", root.GetProperty("method").GetString());
        Assert.Equal(9, root.GetProperty("id").GetInt64());
        Assert.False(root.GetProperty("params").TryGetProperty("eventSerno", out _));
        Assert.Equal("hi", root.GetProperty("params").GetProperty("data").GetProperty("m").GetString());
    }

    [Fact]
    public void AnEmptyEventObjectStillMakesValidJson()
    {
        using var document = JsonDocument.Parse(VertoEventEnvelope.Subscribed(1, "{}"u8, 0, LiveArrayPacket.JsonString("a\"b")));

        Assert.Equal("a\"b", document.RootElement.GetProperty("params").GetProperty("subscribedChannel").GetString());
    }

    [Fact]
    public void RefusesSomethingThatIsNotAnObject()
    {
        Assert.Throws<ArgumentException>(() => VertoEventEnvelope.Subscribed(1, "[1]"u8, 0, "\"a\""u8));
    }
}

using System.Text;
using System.Text.Json;
using MediaServer.Protocol.JsonRpc;

namespace MediaServer.Protocol.Tests.JsonRpc;

public class JsonRpcMessageTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"login","params":{"sessid":"x"},"id":2}""", JsonRpcMessageKind.Request, "2")]
    [InlineData("""{"jsonrpc":"2.0","method":"verto.ping","params":{},"id":"abc"}""", JsonRpcMessageKind.Request, "\"abc\"")]
    [InlineData("""{"jsonrpc":"2.0","method":"verto.ping","params":{}}""", JsonRpcMessageKind.Request, null)]
    [InlineData("""{"jsonrpc":"2.0","id":7,"result":{"method":"verto.invite"}}""", JsonRpcMessageKind.Response, "7")]
    [InlineData("""{"id":7,"error":{"code":1}}""", JsonRpcMessageKind.Response, "7")]
    [InlineData("""{"method":"login","params":{},"id":3}""", JsonRpcMessageKind.InvalidVersion, "3")]
    [InlineData("""{"jsonrpc":"1.0","method":"login","params":{},"id":"s"}""", JsonRpcMessageKind.InvalidVersion, "\"s\"")]
    [InlineData("""{"jsonrpc":2.0,"method":"login","id":4}""", JsonRpcMessageKind.InvalidVersion, "4")]
    [InlineData("""{"jsonrpc":"2.0","params":{},"id":5}""", JsonRpcMessageKind.MissingMethod, "5")]
    [InlineData("""{"jsonrpc":"2.0","method":42,"id":6}""", JsonRpcMessageKind.MissingMethod, "6")]
    [InlineData("""{"jsonrpc":"2.0","method":"","id":8}""", JsonRpcMessageKind.MissingMethod, "8")]
    [InlineData("""42""", JsonRpcMessageKind.NotAnObject, null)]
    [InlineData("""["x"]""", JsonRpcMessageKind.NotAnObject, null)]
    public void ClassifiesAsTheReferenceServerDoes(string json, JsonRpcMessageKind kind, string? rawId)
    {
        using var document = JsonDocument.Parse(json);
        var message = JsonRpcMessage.Classify(document.RootElement);

        Assert.Equal(kind, message.Kind);
        Assert.Equal(rawId, message.HasId ? message.Id.GetRawText() : null);
    }

    [Fact]
    public void ExposesMethodAndObjectParams()
    {
        using var document = JsonDocument.Parse("""{"jsonrpc":"2.0","method":"verto.subscribe","params":{"eventChannel":"a"},"id":1}""");
        var message = JsonRpcMessage.Classify(document.RootElement);

        Assert.Equal("verto.subscribe", message.Method);
        Assert.True(message.HasObjectParams);
        Assert.Equal("a", message.Params.GetProperty("eventChannel").GetString());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("")]
    public void RefusesFramesThatAreNotOneJsonValue(string frame)
    {
        Assert.False(JsonRpcFrame.TryParse(Encoding.UTF8.GetBytes(frame), out var document));
        Assert.Null(document);
    }

    [Fact]
    public void RefusesInvalidUtf8()
    {
        byte[] frame = [(byte)'"', 0xC3, 0x28, (byte)'"'];
        Assert.False(JsonRpcFrame.TryParse(frame, out _));
    }

    [Fact]
    public void RefusesNestingDeeperThanTheLimit()
    {
        var deep = new string('[', JsonRpcFrame.MaxDepth + 1) + new string(']', JsonRpcFrame.MaxDepth + 1);
        Assert.False(JsonRpcFrame.TryParse(Encoding.UTF8.GetBytes(deep), out _));

        var fine = new string('[', JsonRpcFrame.MaxDepth) + new string(']', JsonRpcFrame.MaxDepth);
        Assert.True(JsonRpcFrame.TryParse(Encoding.UTF8.GetBytes(fine), out var document));
        document!.Dispose();
    }
}

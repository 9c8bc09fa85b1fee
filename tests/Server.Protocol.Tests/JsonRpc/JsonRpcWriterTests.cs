using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.JsonRpc;

namespace MediaServer.Protocol.Tests.JsonRpc;

public class JsonRpcWriterTests
{
    [Fact]
    public void ResultCarriesTheSessidAndEchoesANumericId()
    {
        using var request = JsonDocument.Parse("""{"id":7}""");
        var bytes = JsonRpcWriter.Result(request.RootElement.GetProperty("id"), new JsonObject { ["message"] = "logged in" }, "s-1");

        Assert.Equal("""{"jsonrpc":"2.0","id":7,"result":{"message":"logged in","sessid":"s-1"}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ResultReplacesASessidTheHandlerCopied()
    {
        using var request = JsonDocument.Parse("""{"id":"x"}""");
        var bytes = JsonRpcWriter.Result(request.RootElement.GetProperty("id"), new JsonObject { ["sessid"] = "client", ["a"] = 1 }, "server");

        Assert.Equal("""{"jsonrpc":"2.0","id":"x","result":{"a":1,"sessid":"server"}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ErrorWithoutIdSaysNull()
    {
        var bytes = JsonRpcWriter.Error(default, JsonRpcErrorCode.InvalidRequest, JsonRpcErrorMessage.InvalidRequest);

        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void HandlerErrorObjectsAreWrittenAsGiven()
    {
        using var request = JsonDocument.Parse("""{"id":13}""");
        var error = new JsonObject { ["unauthorizedChannels"] = new JsonArray("conference-mod.3500@example.com") };
        var bytes = JsonRpcWriter.Error(request.RootElement.GetProperty("id"), error);

        Assert.Equal("""{"jsonrpc":"2.0","id":13,"error":{"unauthorizedChannels":["conference-mod.3500@example.com"]}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void RequestsHaveIdMethodAndParams()
    {
        var bytes = JsonRpcWriter.Request(88, "verto.ping", new JsonObject { ["serno"] = 1700000000 });

        Assert.Equal("""{"jsonrpc":"2.0","id":88,"method":"verto.ping","params":{"serno":1700000000}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void BatchJoinsResponsesIntoOneArray()
    {
        var one = JsonRpcWriter.Error(default, -1, "a");
        var two = JsonRpcWriter.Error(default, -2, "b");
        using var batch = JsonDocument.Parse(JsonRpcWriter.Batch([one, two]));

        Assert.Equal(2, batch.RootElement.GetArrayLength());
        Assert.Equal(-2, batch.RootElement[1].GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public void TextKeepsItsCharacters()
    {
        using var request = JsonDocument.Parse("""{"id":1}""");
        var bytes = JsonRpcWriter.Result(request.RootElement.GetProperty("id"), new JsonObject { ["message"] = "Grüße <b>&" }, null);

        Assert.Contains("Grüße <b>&", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}

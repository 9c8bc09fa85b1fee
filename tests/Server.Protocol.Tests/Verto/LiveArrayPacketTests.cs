using System.Text;
using System.Text.Json;
using MediaServer.Protocol.Verto;

namespace MediaServer.Protocol.Tests.Verto;

public class LiveArrayPacketTests
{
    [Fact]
    public void AddCarriesSernoIndexAndRow()
    {
        var bytes = LiveArrayPacket.Change("app.board", LiveArrayPacket.Add, "board", 57, "k1", 4, """["0007",{"a":1}]"""u8);

        Assert.Equal(
            """{"eventChannel":"app.board","data":{"action":"add","name":"board","hashKey":"k1","wireSerno":57,"arrIndex":4,"data":["0007",{"a":1}]}}""",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ModifyLeavesOutTheIndex()
    {
        using var document = JsonDocument.Parse(LiveArrayPacket.Change("c", LiveArrayPacket.Modify, "n", 2, "k", null, "1"u8));

        Assert.False(document.RootElement.GetProperty("data").TryGetProperty("arrIndex", out _));
    }

    [Fact]
    public void BootObjIsPrivateAndUnnumbered()
    {
        var rows = new[] { new KeyValuePair<string, byte[]>("a", "[1]"u8.ToArray()), new KeyValuePair<string, byte[]>("b", "{\"x\":2}"u8.ToArray()) };
        using var document = JsonDocument.Parse(LiveArrayPacket.Boot("c", "n", "sess", rows));
        var root = document.RootElement;

        Assert.Equal("sess", root.GetProperty("sessid").GetString());
        var data = root.GetProperty("data");
        Assert.Equal("bootObj", data.GetProperty("action").GetString());
        Assert.Equal(-1, data.GetProperty("wireSerno").GetInt32());
        Assert.Equal("b", data.GetProperty("data")[1][0].GetString());
        Assert.Equal(2, data.GetProperty("data")[1][1].GetProperty("x").GetInt32());
    }

    [Fact]
    public void ClearResetsWithMinusOne()
    {
        using var document = JsonDocument.Parse(LiveArrayPacket.ClearAll("c", "n", null));

        Assert.Equal(-1, document.RootElement.GetProperty("data").GetProperty("wireSerno").GetInt32());
        Assert.Equal("clear", document.RootElement.GetProperty("data").GetProperty("action").GetString());
        Assert.False(document.RootElement.TryGetProperty("sessid", out _));
    }
}

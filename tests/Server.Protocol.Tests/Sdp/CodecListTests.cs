using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

public class CodecListTests
{
    [Fact]
    public void ParsesNamesInOrderIgnoringCaseAndSpaces()
    {
        Assert.True(CodecList.TryParse(" VP8, opus ,PCMA", out var list, out var error), error);

        Assert.Equal(["vp8", "opus", "pcma"], list!.Names);
        Assert.True(list.Allows("Opus"));
        Assert.True(list.Allows("telephone-event"));
        Assert.False(list.Allows("pcmu"));
        Assert.Equal("opus,pcmu,pcma,vp8", CodecList.Default.ToString());
    }

    [Theory]
    [InlineData("", "the codec list is empty")]
    [InlineData("  ", "the codec list is empty")]
    [InlineData("opus,,vp8", "codec 2 of 'opus,,vp8' is empty")]
    [InlineData("opus,g722", "unknown codec 'g722' (known: opus, pcmu, pcma, vp8)")]
    [InlineData("opus@48000h@20i", "unknown codec 'opus@48000h@20i' (known: opus, pcmu, pcma, vp8)")]
    [InlineData("opus,OPUS", "codec 'OPUS' is listed twice")]
    public void RefusesBadListsNamingTheCodec(string text, string message)
    {
        Assert.False(CodecList.TryParse(text, out var list, out var error));
        Assert.Null(list);
        Assert.Equal(message, error);
    }
}

using System.Text;
using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipStreamFramerTests
{
    private const int MaxHead = 16 * 1024;

    [Fact]
    public void WholeMessagesAreCutOutOfAStream()
    {
        byte[] stream = [.. SipSamples.Invite, .. SipSamples.Register, .. SipSamples.Ok];
        var offset = 0;
        var frames = new List<int>();
        while (SipStreamFramer.TryFrame(stream.AsSpan(offset), MaxHead, out var length, out var kind, out var error))
        {
            Assert.Null(error);
            Assert.Equal(SipFrameKind.Message, kind);
            Assert.True(SipMessage.TryParse(stream.AsSpan(offset, length), out _, out var parseError), parseError.ToString());
            frames.Add(length);
            offset += length;
        }

        Assert.Equal([SipSamples.Invite.Length, SipSamples.Register.Length, SipSamples.Ok.Length], frames);
        Assert.Equal(stream.Length, offset);
    }

    [Fact]
    public void EveryPrefixAsksForMore()
    {
        for (var cut = 0; cut < SipSamples.Invite.Length; cut++)
        {
            Assert.False(SipStreamFramer.TryFrame(SipSamples.Invite.AsSpan(0, cut), MaxHead, out _, out var error), $"cut at {cut}");
            Assert.Null(error);
        }
    }

    [Theory]
    [InlineData("\r\n\r\n", SipFrameKind.Ping, 4)]
    [InlineData("\r\n\r\n\r\n", SipFrameKind.Ping, 4)]
    [InlineData("\r\nINVITE", SipFrameKind.LineEnds, 2)]
    [InlineData("\nINVITE", SipFrameKind.LineEnds, 1)]
    [InlineData("\rX", SipFrameKind.LineEnds, 1)]
    public void KeepAlives(string text, SipFrameKind expectedKind, int expectedLength)
    {
        Assert.True(SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(text), MaxHead, out var length, out var kind, out var error));
        Assert.Null(error);
        Assert.Equal(expectedKind, kind);
        Assert.Equal(expectedLength, length);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\r\n\r")]
    public void PartialKeepAliveWaits(string text)
    {
        Assert.False(SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(text), MaxHead, out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void PongComesOutAtOnceWhenAsked()
    {
        Assert.True(SipStreamFramer.TryFrame("\r\n"u8, MaxHead, out var length, out var kind, out var error, waitOnLoneCrlf: false));
        Assert.Equal((2, SipFrameKind.LineEnds), (length, kind));
        Assert.Null(error);
    }

    [Fact]
    public void ContentLengthIsRequiredAndChecked()
    {
        var withoutLength = SipSamples.OptionsText.Replace("Content-Length: 0\r\n", string.Empty, StringComparison.Ordinal);
        Assert.False(SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(withoutLength), MaxHead, out _, out var error));
        Assert.Equal(new SipParseError(400, "Bad Request: missing Content-Length"), error);

        var doubled = SipSamples.OptionsText.Replace("Content-Length: 0\r\n", "l: 0\r\nContent-Length: 0\r\n", StringComparison.Ordinal);
        Assert.False(SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(doubled), MaxHead, out _, out error));
        Assert.Equal(400, error!.Value.StatusCode);

        var huge = SipSamples.OptionsText.Replace("Content-Length: 0", "Content-Length: 70000", StringComparison.Ordinal);
        Assert.False(SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(huge), MaxHead, out _, out error));
        Assert.Equal(513, error!.Value.StatusCode);

        var compact = SipSamples.OptionsText.Replace("Content-Length: 0", "l :\r\n 3", StringComparison.Ordinal) + "abcdef";
        Assert.True(SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(compact), MaxHead, out var length, out error));
        Assert.Equal(compact.Length - 3, length);
    }

    [Fact]
    public void OversizedHeadIsAnError()
    {
        var head = Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\nX-Pad: " + new string('a', 300));
        Assert.False(SipStreamFramer.TryFrame(head, 256, out _, out var error));
        Assert.Equal(513, error!.Value.StatusCode);
        Assert.False(SipStreamFramer.TryFrame(head.AsSpan(0, 200), 256, out _, out error));
        Assert.Null(error);
    }

    [Fact]
    public void BareLineFeedHeads()
    {
        var text = SipSamples.OptionsText.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(text + "OPTIONS"), MaxHead, out var length, out var error));
        Assert.Null(error);
        Assert.Equal(text.Length, length);
    }
}

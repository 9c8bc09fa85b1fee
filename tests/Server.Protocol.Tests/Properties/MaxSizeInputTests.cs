using System.Text;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Sip;
using MediaServer.Protocol.Stun;

namespace MediaServer.Protocol.Tests.Properties;

/// <summary>
/// Memory stays bounded: the largest input each text parser accepts, made of the smallest
/// elements it keeps (so the parse result is as big as it can get), costs at most a fixed
/// multiple of the input, and one byte more is refused before any work. The multiples are
/// loose on purpose: they catch a parser whose result grows faster than its input, not a few
/// bytes more per line.
/// </summary>
public class MaxSizeInputTests
{
    /// <summary>Allocated bytes per input byte that no parse result may exceed.</summary>
    private const long BytesPerInputByte = 40;

    [Fact]
    public void ALargestSdpOfTinyLinesStaysBounded()
    {
        // Attribute lines are kept one object each: the most objects per character.
        var text = Fill("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "a=x\r\n", SessionDescription.MaxLength);
        var allocated = Allocated(() => SessionDescription.TryParse(text, out _, out _));
        Assert.True(allocated <= BytesPerInputByte * text.Length * sizeof(char), $"{allocated} bytes for {text.Length} characters");

        Assert.False(SessionDescription.TryParse(text.PadRight(SessionDescription.MaxLength + 1, 'a'), out _, out var error));
        Assert.Contains("at most", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ALargestSdpOfMediaSectionsIsCappedAtMaxMedia()
    {
        var text = Fill("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "m=audio 9 RTP/AVP 0\r\n", SessionDescription.MaxLength);
        Assert.False(SessionDescription.TryParse(text, out _, out var error));
        Assert.Contains($"more than {SessionDescription.MaxMedia} m= lines", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ALargestSipMessageOfTinyHeadersStaysBounded()
    {
        const string head = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n";
        var lines = Fill(head, "X: y\r\n", SipMessageView.MaxMessageBytes - 200);
        var data = Encoding.ASCII.GetBytes(lines + "Content-Length: 0\r\n\r\n");
        Assert.True(data.Length <= SipMessageView.MaxMessageBytes);
        var allocated = Allocated(() => SipMessage.TryParse(data, out _, out _));
        Assert.True(allocated <= BytesPerInputByte * data.Length, $"{allocated} bytes for {data.Length} bytes");

        var tooLong = new byte[SipMessageView.MaxMessageBytes + 1];
        data.CopyTo(tooLong, 0);
        Assert.False(SipMessageView.TryParse(tooLong, out _, out _));
        Assert.False(SipMessage.TryParse(tooLong, out _, out _));
    }

    [Fact]
    public void ALargestStunDatagramOfEmptyAttributesAllocatesNothing()
    {
        // 65,507 bytes is the most a UDP datagram carries over IPv4; STUN lengths are multiples of 4.
        var packet = new byte[20 + ((65_507 - 20) & ~3)];
        packet[0] = 0x00;
        packet[1] = 0x01;
        packet[2] = (byte)((packet.Length - 20) >> 8);
        packet[3] = (byte)(packet.Length - 20);
        packet[4] = 0x21;
        packet[5] = 0x12;
        packet[6] = 0xa4;
        packet[7] = 0x42;
        for (var offset = 20; offset < packet.Length; offset += 4)
        {
            // Zero-length attributes of an unknown comprehension-optional type: the most of them that fit.
            packet[offset] = 0x80;
            packet[offset + 1] = 0x99;
        }

        var allocated = Allocated(() =>
        {
            if (StunMessage.TryParse(packet, out var message))
            {
                message.TryGetUsername(out _);
                message.VerifyFingerprint();
            }

            return true;
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AWideJsonFrameCostsAFixedMultipleOfItsLength()
    {
        // The most elements per byte: "[0,0,0,...]" at the 1 MiB a frame may have by default.
        var frame = Encoding.ASCII.GetBytes("[" + string.Join(',', Enumerable.Repeat("0", (1 << 20) / 2 - 1)) + "]");
        var allocated = Allocated(() =>
        {
            Assert.True(JsonRpcFrame.TryParse(frame, out var document));
            document!.Dispose();
            return true;
        });
        Assert.True(allocated <= BytesPerInputByte * frame.Length, $"{allocated} bytes for {frame.Length} bytes");
    }

    private static string Fill(string head, string line, int maxLength)
    {
        var builder = new StringBuilder(head, maxLength);
        while (builder.Length + line.Length <= maxLength)
        {
            builder.Append(line);
        }

        return builder.ToString();
    }

    private static long Allocated(Func<bool> parse)
    {
        parse();
        var before = GC.GetAllocatedBytesForCurrentThread();
        parse();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

using System.Text;
using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

public class SipMessageTests
{
    [Fact]
    public void InviteParses()
    {
        Assert.True(SipMessage.TryParse(SipSamples.Invite, out var message, out var error), error.ToString());
        Assert.True(message!.IsRequest);
        Assert.Equal("INVITE", message.Method);
        Assert.Equal("sip:3000@192.0.2.1:5060", message.RequestUri!.ToString());
        Assert.Equal("1-8012@192.0.2.10", message.CallId);
        Assert.Equal(new SipCSeq(1, "INVITE"), message.CSeq);
        Assert.Equal(70, message.MaxForwards);
        Assert.Equal("application/sdp", message.ContentType);
        var via = Assert.Single(message.Vias);
        Assert.Equal("SIP/2.0/UDP", via.Protocol);
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.0.2.10", via.Host);
        Assert.Equal(5061, via.Port);
        Assert.Equal("z9hG4bK-8012-1-0", via.Branch);
        Assert.True(via.HasRport);
        Assert.Null(via.Rport);
        Assert.Equal("sipp", message.From!.DisplayName);
        Assert.Equal("8012SIPpTag001", message.From.Tag);
        Assert.Null(message.To!.Tag);
        Assert.Equal("udp", Assert.Single(message.Contacts).Uri.Transport);
        Assert.StartsWith("v=0\r\n", Encoding.ASCII.GetString(message.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void SamplesRoundTripByteForByte()
    {
        foreach (var sample in SipSamples.All)
        {
            Assert.True(SipMessage.TryParse(sample, out var message, out var error), error.ToString());
            Assert.Equal(Encoding.UTF8.GetString(sample), Encoding.UTF8.GetString(message!.ToArray()));
        }
    }
}

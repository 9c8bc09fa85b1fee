using System.Net;
using System.Text;
using MediaServer.Bench.Load;
using MediaServer.Protocol.Stun;

namespace MediaServer.Tests.Load;

/// <summary>
/// The load generator's answer to a connectivity check from the server (bench/Bench.Load
/// IceCheckAnswer), which Janus's ICE-lite libnice agent needs before it nominates the pair:
/// a success response authenticated with our password that maps the sender's address, and a
/// 401 without MESSAGE-INTEGRITY for a check that is not for us or fails integrity.
/// </summary>
public sealed class IceCheckAnswerTests
{
    private static readonly byte[] OurUfrag = "rTljwOvg"u8.ToArray();
    private static readonly byte[] OurPassword = "phGylIayGsWD7gMRDL0f0MYW"u8.ToArray();
    private static readonly byte[] Transaction = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    [Fact]
    public void AnswersACheckForUsWithAnAuthenticatedSuccessMappingTheSender()
    {
        byte[] request = Check("rTljwOvg:FJUm", OurPassword);
        var from = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 37224);

        byte[] response = Answer(request, from, out bool answered);

        Assert.True(answered);
        Assert.True(StunMessage.TryParse(response, out StunMessage message));
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.Equal(Transaction, message.TransactionId.ToArray());
        Assert.True(message.VerifyMessageIntegrity(OurPassword));
        Assert.True(message.VerifyFingerprint());
        var address = new byte[16];
        Assert.True(message.TryGetXorMappedAddress(address, out int length, out ushort port));
        Assert.Equal(from.Address, new IPAddress(address.AsSpan(0, length)));
        Assert.Equal(from.Port, port);
    }

    [Fact]
    public void MapsAnIpv6Sender()
    {
        var from = new IPEndPoint(IPAddress.Parse("fd00::2"), 20099);

        byte[] response = Answer(Check("rTljwOvg:x", OurPassword), from, out bool answered);

        Assert.True(answered);
        Assert.True(StunMessage.TryParse(response, out StunMessage message));
        var address = new byte[16];
        Assert.True(message.TryGetXorMappedAddress(address, out int length, out ushort port));
        Assert.Equal(16, length);
        Assert.Equal(from.Address, new IPAddress(address));
        Assert.Equal(20099, port);
    }

    [Theory]
    [InlineData("FJUm:rTljwOvg")] // the server's ufrag first: a check meant for the server
    [InlineData("rTljwOvgX:FJUm")] // our ufrag only as a prefix of another
    [InlineData("rTljwOvg")] // no remote part
    public void RejectsACheckNotAddressedToUs(string username)
    {
        AssertUnauthorized(Check(username, OurPassword));
    }

    [Fact]
    public void RejectsACheckSignedWithAnotherPassword()
    {
        AssertUnauthorized(Check("rTljwOvg:FJUm", "7YxYBtg8qpqS+pGRxy7JrN"u8.ToArray()));
    }

    [Fact]
    public void RejectsACheckWithoutMessageIntegrity()
    {
        var buffer = new byte[128];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, Transaction);
        writer.AddUsername(Encoding.ASCII.GetBytes("rTljwOvg:FJUm"));
        writer.AddFingerprint();
        AssertUnauthorized(buffer[..writer.Length]);
    }

    private static void AssertUnauthorized(byte[] request)
    {
        byte[] response = Answer(request, new IPEndPoint(IPAddress.Loopback, 5000), out bool answered);

        Assert.False(answered);
        Assert.True(StunMessage.TryParse(response, out StunMessage message));
        Assert.Equal(StunClass.ErrorResponse, message.Class);
        Assert.Equal(Transaction, message.TransactionId.ToArray());
        Assert.True(message.TryGetErrorCode(out int code, out _));
        Assert.Equal(401, code);
        // RFC 8489 §9.1.3: no MESSAGE-INTEGRITY on a 401.
        Assert.False(message.HasMessageIntegrity);
        Assert.True(message.VerifyFingerprint());
    }

    private static byte[] Answer(byte[] request, IPEndPoint from, out bool answered)
    {
        Assert.True(StunMessage.TryParse(request, out StunMessage message));
        var response = new byte[IceCheckAnswer.MaxLength];
        answered = IceCheckAnswer.Write(message, OurUfrag, OurPassword, from, response, out int length);
        return response[..length];
    }

    /// <summary>A check as libnice sends it: USERNAME, PRIORITY, ICE-CONTROLLED, MESSAGE-INTEGRITY, FINGERPRINT.</summary>
    private static byte[] Check(string username, byte[] password)
    {
        var buffer = new byte[160];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, Transaction);
        writer.AddUsername(Encoding.ASCII.GetBytes(username));
        writer.AddPriority(0x6E2000FF);
        writer.AddIceControlled(15970528964061541150);
        writer.AddMessageIntegrity(password);
        writer.AddFingerprint();
        return buffer[..writer.Length];
    }
}

using MediaServer.Protocol.Sip;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Sip;

/// <summary>The per-datagram SIP paths that must allocate nothing once warm.</summary>
public class SipAllocationTests
{
    private static readonly SipDigestCredentials Credentials =
        SipDigest.Answer(new SipDigestChallenge("example.com", "n0nce", "SHA-256", null, false, "auth"), "bob", "secret", "REGISTER", "sip:example.com", "c0nce");

    private static long _sink;

    /// <summary>Parse a typical INVITE, walk every header, look a few up by full and compact name.</summary>
    [Fact]
    public void ViewParseEnumerateAndLookUp() => AllocationGuard.AssertNoAllocation(() =>
    {
        if (!SipMessageView.TryParse(SipSamples.Invite, out var view, out _))
        {
            throw new InvalidOperationException("the sample INVITE must parse");
        }

        foreach (var field in view.Headers)
        {
            _sink += field.Name.Length + field.Value.Length;
        }

        view.TryGetHeader("Call-ID"u8, out var callId);
        view.TryGetHeader("v"u8, out var via);
        view.TryGetHeader("content-type"u8, out var contentType);
        view.TryGetHeader("X-Absent"u8, out _);
        _sink += callId.Length + via.Length + contentType.Length + view.Body.Length + view.Method.Length + view.RequestUri.Length
            + view.CSeqNumber + view.MaxForwards;
    });

    /// <summary>Rejections allocate nothing either: a flood of garbage costs no garbage collection.</summary>
    [Fact]
    public void ViewRejection() => AllocationGuard.AssertNoAllocation(() =>
    {
        _sink += SipMessageView.TryParse("INVITE sip:a@b SIP/2.0\r\nVia: x\r\n\r\n"u8, out _, out var error) ? 0 : error.StatusCode;
        _sink += SipMessageView.TryParse("SIP/3.0 200 OK\r\n\r\n"u8, out _, out error) ? 0 : error.StatusCode;
    });

    [Fact]
    public void StreamFraming() => AllocationGuard.AssertNoAllocation(() =>
    {
        SipStreamFramer.TryFrame(SipSamples.Invite, 8192, out var length, out _);
        SipStreamFramer.TryFrame("\r\n\r\n"u8, 8192, out var ping, out _);
        _sink += length + ping;
    });

    [Fact]
    public void DigestVerify() => AllocationGuard.AssertNoAllocation(() =>
    {
        _sink += SipDigest.Verify(Credentials, "REGISTER", "secret") ? 1 : 0;
    });
}

using System.Text;
using BenchmarkDotNet.Attributes;
using MediaServer.Protocol.Sip;

namespace MediaServer.Bench.Micro;

/// <summary>
/// The SIP gateway's per-message costs: the allocation-free view over a SIPp-style INVITE with
/// SDP (what a transport looks at to route or drop), the full <see cref="SipMessage"/> the stack
/// works with, writing it back, and one digest computation per algorithm (a registrar checks
/// one per REGISTER).
/// </summary>
[MemoryDiagnoser]
public class SipBenchmarks
{
    private const string Sdp =
        "v=0\r\no=user1 53655765 2353687637 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" +
        "m=audio 6000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n";

    private static readonly byte[] Invite = Encoding.ASCII.GetBytes(
        "INVITE sip:3000@192.0.2.1:5060 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5061;branch=z9hG4bK-8012-1-0;rport\r\n" +
        "From: \"sipp\" <sip:sipp@192.0.2.10:5061>;tag=8012SIPpTag001\r\n" +
        "To: <sip:3000@192.0.2.1:5060>\r\n" +
        "Call-ID: 1-8012@192.0.2.10\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:sipp@192.0.2.10:5061;transport=udp>\r\n" +
        "Max-Forwards: 70\r\n" +
        "User-Agent: SIPp/3.7\r\n" +
        "Subject: Performance Test\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n" +
        "Content-Type: application/sdp\r\n" +
        $"Content-Length: {Sdp.Length}\r\n" +
        "\r\n" +
        Sdp);

    private readonly byte[] _buffer = new byte[2048];
    private SipMessage _message = null!;

    [GlobalSetup]
    public void Setup() => SipMessage.TryParse(Invite, out _message!, out _);

    /// <summary>Validate the message and read what routing needs: Call-ID, CSeq, the top Via.</summary>
    [Benchmark]
    public int ParseViewInvite()
    {
        SipMessageView.TryParse(Invite, out var view, out _);
        view.TryGetHeader("Via"u8, out var via);
        return view.CallId.Length + (int)view.CSeqNumber + via.Length;
    }

    [Benchmark]
    public SipMessage ParseMessageInvite()
    {
        SipMessage.TryParse(Invite, out var message, out _);
        return message!;
    }

    [Benchmark]
    public int WriteInvite()
    {
        _message.TryWrite(_buffer, out var written);
        return written;
    }

    [Benchmark]
    public string DigestMd5() => SipDigest.ComputeResponse(
        "MD5", "Mufasa", "http-auth@example.org", "Circle of Life", "REGISTER", "sip:example.org",
        "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth");

    [Benchmark]
    public string DigestSha256() => SipDigest.ComputeResponse(
        "SHA-256", "Mufasa", "http-auth@example.org", "Circle of Life", "REGISTER", "sip:example.org",
        "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth");
}

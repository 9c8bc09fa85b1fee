using System.Text;

namespace MediaServer.Protocol.Tests.Sip;

/// <summary>
/// Typical messages of a SIP gateway's life, as the seeds of the property tests and the subjects of
/// the unit tests: a SIPp-style INVITE with SDP, a REGISTER answering a digest challenge, a 200 OK
/// with Record-Route, and an OPTIONS ping.
/// </summary>
internal static class SipSamples
{
    private const string Sdp =
        "v=0\r\n" +
        "o=user1 53655765 2353687637 IN IP4 192.0.2.10\r\n" +
        "s=-\r\n" +
        "c=IN IP4 192.0.2.10\r\n" +
        "t=0 0\r\n" +
        "m=audio 6000 RTP/AVP 0 8 101\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\n";

    public static readonly string InviteText =
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
        Sdp;

    public static readonly string RegisterText =
        "REGISTER sip:example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP 198.51.100.7:49152;branch=z9hG4bK776asdhds;alias\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: \"Bob\" <sip:bob@example.com>\r\n" +
        "From: \"Bob\" <sip:bob@example.com>;tag=456248\r\n" +
        "Call-ID: 843817637684230@998sdasdh09\r\n" +
        "CSeq: 1827 REGISTER\r\n" +
        "Contact: <sip:bob@198.51.100.7:49152;transport=tcp>;expires=3600;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"\r\n" +
        "Authorization: Digest username=\"bob\", realm=\"example.com\", nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", uri=\"sip:example.com\", response=\"dfe56131d1958046689d83306477ecc\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001, opaque=\"\"\r\n" +
        "Expires: 3600\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";

    public static readonly string OkText =
        "SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/UDP server10.example.com;branch=z9hG4bKnashds8;received=192.0.2.3\r\n" +
        "Via: SIP/2.0/UDP bigbox3.site3.example.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2\r\n" +
        "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n" +
        "Record-Route: <sip:server10.example.com;lr>, <sip:bigbox3.site3.example.com;lr>\r\n" +
        "To: Bob <sip:bob@example.com>;tag=a6c85cf\r\n" +
        "From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:bob@192.0.2.4>\r\n" +
        "Content-Type: application/sdp\r\n" +
        $"Content-Length: {Sdp.Length}\r\n" +
        "\r\n" +
        Sdp;

    public static readonly string OptionsText =
        "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:carol@chicago.example.com>\r\n" +
        "From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710\r\n" +
        "CSeq: 63104 OPTIONS\r\n" +
        "Contact: <sip:alice@pc33.example.com>\r\n" +
        "Accept: application/sdp\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";

    public static readonly byte[] Invite = Encoding.UTF8.GetBytes(InviteText);
    public static readonly byte[] Register = Encoding.UTF8.GetBytes(RegisterText);
    public static readonly byte[] Ok = Encoding.UTF8.GetBytes(OkText);
    public static readonly byte[] Options = Encoding.UTF8.GetBytes(OptionsText);

    public static readonly byte[][] All = [Invite, Register, Ok, Options];
}

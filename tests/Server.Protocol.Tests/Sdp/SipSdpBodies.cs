namespace MediaServer.Protocol.Tests.Sdp;

/// <summary>
/// SDP bodies of SIP user agents for the plain-RTP offer/answer tests. The SIPp and baresip
/// ones are real: SIPp 3.6.1's built-in uac scenario (<c>sipp -sd uac</c>, fields filled as
/// SIPp fills them on 127.0.0.1), and baresip 1.0.0 (Debian) captured on this machine from a
/// UDP socket: its INVITE to us with config <c>rtcp_mux no</c> and <c>yes</c> (its default is no),
/// and its 200 OK to our offer. Baresip writes its interface address (192.0.2.2 on the capture
/// machine) in c=. The Linphone one is written after Linphone's usual shape (several
/// telephone-event rates, a=rtcp, rtcp-fb trr-int, a video line), the SRTP one after SDES
/// devices (RFC 4568 a=crypto). Kept here as text rather than files, CRLF restored on read.
/// </summary>
internal static class SipSdpBodies
{
    public static string SippUac => Crlf("""
        v=0
        o=user1 53655765 2353687637 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        m=audio 6000 RTP/AVP 0
        a=rtpmap:0 PCMU/8000

        """);

    public static string BaresipOffer => Crlf("""
        v=0
        o=- 2927432215 506548792 IN IP4 192.0.2.2
        s=-
        c=IN IP4 192.0.2.2
        t=0 0
        a=tool:baresip 1.0.0
        m=audio 19810 RTP/AVP 96 9 0 8 101
        a=rtpmap:96 opus/48000/2
        a=fmtp:96 stereo=1;sprop-stereo=1;maxaveragebitrate=28000
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=rtcp-rsize
        a=ssrc:1976249995 cname:sip:alice@127.0.0.1
        a=minptime:20
        a=ptime:20

        """);

    public static string BaresipOfferRtcpMux => Crlf("""
        v=0
        o=- 3890926919 1865491123 IN IP4 192.0.2.2
        s=-
        c=IN IP4 192.0.2.2
        t=0 0
        a=tool:baresip 1.0.0
        m=audio 40580 RTP/AVP 96 9 0 8 101
        a=rtpmap:96 opus/48000/2
        a=fmtp:96 stereo=1;sprop-stereo=1;maxaveragebitrate=28000
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=rtcp-rsize
        a=ssrc:194777521 cname:sip:alice@127.0.0.1
        a=rtcp-mux
        a=minptime:20
        a=ptime:20

        """);

    /// <summary>What we sent baresip in the INVITE it answered with <see cref="BaresipAnswer"/> (our CreateOffer's shape).</summary>
    public static string OfferToBaresip => Crlf("""
        v=0
        o=mediaserver 1234 1 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        m=audio 30000 RTP/AVP 0 8 101
        a=sendrecv
        a=rtcp-mux
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=ptime:20

        """);

    /// <summary>Baresip (answermode=auto, rtcp_mux no) answering <see cref="OfferToBaresip"/>: both codecs kept, rtcp-mux ignored.</summary>
    public static string BaresipAnswer => Crlf("""
        v=0
        o=- 919395344 106378529 IN IP4 192.0.2.2
        s=-
        c=IN IP4 192.0.2.2
        t=0 0
        a=tool:baresip 1.0.0
        m=audio 13782 RTP/AVP 0 8 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=ssrc:2144798383 cname:sip:bob@127.0.0.1:5070
        a=minptime:20
        a=ptime:20

        """);

    /// <summary>The same with rtcp_mux yes: it accepts our rtcp-mux.</summary>
    public static string BaresipAnswerRtcpMux => Crlf("""
        v=0
        o=- 4095633668 239397561 IN IP4 192.0.2.2
        s=-
        c=IN IP4 192.0.2.2
        t=0 0
        a=tool:baresip 1.0.0
        m=audio 3758 RTP/AVP 0 8 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=ssrc:3220662206 cname:sip:bob@127.0.0.1:5070
        a=minptime:20
        a=ptime:20
        a=rtcp-mux

        """);

    public static string LinphoneOffer => Crlf("""
        v=0
        o=alice 2201 1387 IN IP4 192.168.1.20
        s=Talk
        c=IN IP4 192.168.1.20
        t=0 0
        a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics
        a=record:off
        m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100
        a=rtpmap:96 opus/48000/2
        a=fmtp:96 useinbandfec=1
        a=rtpmap:97 speex/16000
        a=fmtp:97 vbr=on
        a=rtpmap:98 speex/8000
        a=fmtp:98 vbr=on
        a=fmtp:18 annexb=yes
        a=rtpmap:101 telephone-event/48000
        a=rtpmap:99 telephone-event/16000
        a=rtpmap:100 telephone-event/8000
        a=rtcp:7079
        a=rtcp-fb:* trr-int 1000
        a=rtcp-fb:* ccm tmmbr
        m=video 9078 RTP/AVP 96
        a=rtpmap:96 VP8/90000
        a=rtcp:9079
        a=rtcp-fb:* trr-int 1000
        a=rtcp-fb:* ccm tmmbr
        a=rtcp-fb:96 nack pli
        a=rtcp-fb:96 ccm fir

        """);

    public static string SrtpOnlyOffer => Crlf("""
        v=0
        o=- 8730 8730 IN IP4 203.0.113.5
        s=SIP Call
        c=IN IP4 203.0.113.5
        t=0 0
        m=audio 5004 RTP/SAVP 0 8 101
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4
        a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:4
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=ptime:20
        a=sendrecv

        """);

    /// <summary>FreeSWITCH's usual shape (written after it, not captured): CN offered, a=rtcp with an address.</summary>
    public static string FreeSwitchLikeOffer => Crlf("""
        v=0
        o=FreeSWITCH 1700000000 1700000001 IN IP4 203.0.113.1
        s=FreeSWITCH
        c=IN IP4 203.0.113.1
        t=0 0
        m=audio 16384 RTP/AVP 8 0 101 13
        a=rtpmap:8 PCMA/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=rtcp:16385 IN IP4 203.0.113.1
        a=rtpmap:13 CN/8000
        a=ptime:20
        a=sendrecv

        """);

    /// <summary>Asterisk's usual shape (written after it): no rtpmap for 0, a=maxptime, GSM and G726 first.</summary>
    public static string AsteriskLikeOffer => Crlf("""
        v=0
        o=- 1563277896 1563277896 IN IP4 10.0.0.5
        s=Asterisk
        c=IN IP4 10.0.0.5
        t=0 0
        m=audio 14508 RTP/AVP 3 111 0 8 101
        a=rtpmap:3 GSM/8000
        a=rtpmap:111 G726-32/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=ptime:20
        a=maxptime:150
        a=sendrecv

        """);

    /// <summary>A Cisco CUBE/CUCM-like trunk offer (written after them): b=TIAS and AS, telephone-event 0-15, media-level c=.</summary>
    public static string CiscoLikeOffer => Crlf("""
        v=0
        o=CiscoSystemsSIP-GW-UserAgent 4470 6390 IN IP4 198.18.0.20
        s=SIP Call
        t=0 0
        m=audio 17056 RTP/AVP 0 101 19
        c=IN IP4 198.18.0.21
        b=TIAS:64000
        b=AS:80
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=rtpmap:19 CN/8000
        a=ptime:20

        """);

    private static string Crlf(string text) => text.ReplaceLineEndings("\r\n");
}

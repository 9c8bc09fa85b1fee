namespace MediaServer.Media;

/// <summary>
/// How a <see cref="WebRtcTransport"/> reports upward to the media leg that owns it. RTP and
/// RTCP arrive decrypted on the media endpoint's receive thread, in a buffer that is only
/// valid during the call and may be rewritten in place (the relay does) with room for an
/// SRTP trailer after the packet; the other two may come from any thread.
/// </summary>
internal interface IWebRtcTransportListener
{
    void OnRtp(WebRtcTransport transport, Span<byte> buffer, int length);

    void OnRtcp(WebRtcTransport transport, Span<byte> buffer, int length);

    /// <summary>DTLS finished and SRTP is keyed: media can flow both ways.</summary>
    void OnSecure(WebRtcTransport transport);

    void OnFailed(WebRtcTransport transport, TransportFailure failure, string reason);
}

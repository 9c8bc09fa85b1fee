namespace MediaServer.Media;

/// <summary>
/// How an <see cref="IRtpTransport"/> reports upward to the media leg that owns it. RTP and
/// RTCP arrive in clear on a receive thread, in a buffer that is only valid during the call
/// and may be rewritten in place (the relay does) with room for an SRTP trailer after the
/// packet; failures may come from any thread.
/// </summary>
internal interface IRtpTransportListener
{
    void OnRtp(IRtpTransport transport, Span<byte> buffer, int length);

    void OnRtcp(IRtpTransport transport, Span<byte> buffer, int length);

    /// <summary>The transport gave up for good (ICE, consent, DTLS, or no RTP for too long).</summary>
    void OnFailed(IRtpTransport transport, TransportFailure failure, string reason);
}

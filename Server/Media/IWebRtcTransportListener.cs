namespace MediaServer.Media;

/// <summary>
/// How a <see cref="WebRtcTransport"/> reports upward to the media leg that owns it: the RTP
/// path every transport has (decrypted RTP and RTCP on the media endpoint's receive thread),
/// plus the moment DTLS made it secure, which may come from any thread.
/// </summary>
internal interface IWebRtcTransportListener : IRtpTransportListener
{
    /// <summary>DTLS finished and SRTP is keyed: media can flow both ways.</summary>
    void OnSecure(WebRtcTransport transport);
}

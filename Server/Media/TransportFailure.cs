namespace MediaServer.Media;

/// <summary>Why a media transport gave up; the call layer turns it into a hangup cause.</summary>
internal enum TransportFailure
{
    /// <summary>No valid connectivity check arrived in time after the answer.</summary>
    IceTimeout,

    /// <summary>The browser stopped refreshing consent (RFC 7675 §5.1: 30 s without a check).</summary>
    ConsentExpired,

    /// <summary>The DTLS handshake failed: timeout, alert, or a certificate that does not match the SDP fingerprint.</summary>
    DtlsFailed,

    /// <summary>The peer closed DTLS (close_notify or alert) after the handshake: the browser hung up its peer connection.</summary>
    PeerClosed,

    /// <summary>
    /// A plain RTP leg received no RTP for the media timeout (60 s) while the peer was supposed
    /// to send: the phone or trunk is gone without a BYE. Plain RTP has no consent checks, so
    /// silence is the only sign.
    /// </summary>
    RtpTimeout,
}

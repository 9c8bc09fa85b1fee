namespace MediaServer.Media;

/// <summary>
/// What a <see cref="MediaLeg"/> needs of the path to its peer, whichever it is: the WebRTC
/// transport (ICE-lite, DTLS-SRTP on the shared media port, protecting inside) or the plain
/// RTP transport of a SIP leg (its own two UDP ports, no protection). Owned by the leg; sends
/// come from the mixer, canvas and receive threads at once, so implementations are thread-safe.
/// </summary>
internal interface IRtpTransport : IDisposable
{
    /// <summary>Whether a send can succeed now: SRTP keyed (WebRTC), or a peer address known (plain).</summary>
    bool CanSend { get; }

    /// <summary>
    /// Sends one RTP packet. The buffer needs <see cref="Srtp.SrtpSession.MaxTrailer"/> spare
    /// bytes after the packet (a WebRTC transport protects in place). False when nothing was sent.
    /// </summary>
    bool SendRtp(Span<byte> buffer, int length);

    /// <summary>Sends one RTCP compound packet, with the same room rule as <see cref="SendRtp"/>.</summary>
    bool SendRtcp(Span<byte> buffer, int length);
}

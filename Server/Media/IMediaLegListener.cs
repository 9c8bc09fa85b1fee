namespace MediaServer.Media;

/// <summary>How a <see cref="MediaLeg"/> reports to the call that owns it (any thread).</summary>
internal interface IMediaLegListener
{
    /// <summary>
    /// Media flows: a WebRTC leg's current transport is secure, or a plain RTP leg received its
    /// first valid packet and latched to where it came from. Once per transport.
    /// </summary>
    void OnMediaReady(MediaLeg leg);

    /// <summary>The leg's current transport failed for good; the call should end.</summary>
    void OnMediaFailed(MediaLeg leg, TransportFailure failure, string reason);

    /// <summary>
    /// A DTMF digit (0-9, *, #, A-D) the peer sent as RFC 4733 telephone-events, reported once
    /// when the event ended. Comes from a receive thread: do not block it.
    /// </summary>
    void OnTelephoneEvent(MediaLeg leg, char digit);

    /// <summary>The owner's logging scope, opened around the leg's Debug lines (ICE, DTLS); null logs them without one.</summary>
    Observability.CallLogScope? LogScope => null;
}

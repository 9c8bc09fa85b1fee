namespace MediaServer.Media;

/// <summary>How a <see cref="MediaLeg"/> reports to the call that owns it (any thread).</summary>
internal interface IMediaLegListener
{
    /// <summary>The leg's current transport is secure and media flows.</summary>
    void OnMediaReady(MediaLeg leg);

    /// <summary>The leg's current transport failed for good; the call should end.</summary>
    void OnMediaFailed(MediaLeg leg, TransportFailure failure, string reason);
}

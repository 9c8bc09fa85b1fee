namespace MediaServer.Bench.Load;

/// <summary>
/// One simulated member's call into a room, whatever the signalling: Verto against our server
/// (<see cref="ConferenceCaller"/>) or the Janus AudioBridge REST API
/// (<see cref="JanusAudioBridgeCaller"/>). The media side, <see cref="AudioPeer"/>, is the same
/// for both, so the two targets are measured with the same packets. Owned by the run; the
/// sampler only reads it.
/// </summary>
internal interface IConferenceCall : IDisposable
{
    int Index { get; }

    int Room { get; }

    bool Talker { get; }

    AudioPeer Peer { get; }

    /// <summary>True once media could flow both ways: answer applied, ICE and DTLS done.</summary>
    bool Joined { get; }

    bool HungUpCleanly { get; }

    /// <summary>Why the server ended the call, when it did; else null.</summary>
    string? ServerHangup { get; }

    /// <summary>True when the signalling connection went away while the call was up.</summary>
    bool Dropped { get; }

    /// <summary>Offer sent to answer SDP received.</summary>
    double AnswerMilliseconds { get; }

    /// <summary>Start of the join to SRTP keyed.</summary>
    double JoinMilliseconds { get; }

    /// <summary>Signalling, answer, ICE, DTLS. On failure the error is tallied and false returned.</summary>
    Task<bool> JoinAsync(TimeSpan timeout, CancellationToken cancellation);

    /// <summary>Stops the media and ends the call on the server.</summary>
    Task HangUpAsync(CancellationToken cancellation);
}

namespace MediaServer.Calls;

/// <summary>A call's state as the server sees it; verto.js mirrors it (verto-protocol.md §6.1).</summary>
internal enum CallState
{
    /// <summary>Inbound: CALL CREATED sent, nothing else yet.</summary>
    Trying,

    /// <summary>Inbound: verto.media sent (our answer SDP), the far end is still ringing.</summary>
    Early,

    /// <summary>Outbound: verto.invite sent to the browser, waiting for its verto.answer or verto.bye.</summary>
    Ringing,

    Active,

    Held,

    Ended,
}

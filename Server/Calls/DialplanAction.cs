namespace MediaServer.Calls;

/// <summary>What a dialplan rule does with a call (conf/dialplan.json "action").</summary>
public enum DialplanAction
{
    /// <summary>Send the caller's own audio and video back (9196).</summary>
    Echo,

    /// <summary>Ring every logged-in connection of a directory user and bridge the first to answer.</summary>
    User,

    /// <summary>Join the conference room named by the target (rooms are made on first join).</summary>
    Conference,

    /// <summary>Call the target number out through the rule's SIP trunk (conf/sip-trunks.json).</summary>
    Trunk,
}

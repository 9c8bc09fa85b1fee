namespace MediaServer.Sip;

/// <summary>RFC 3261 §17 transaction states (client Calling is Trying here).</summary>
internal enum SipTransactionState
{
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Terminated,
}

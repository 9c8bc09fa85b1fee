namespace MediaServer.Calls;

/// <summary>Who placed the call leg: the browser (inbound to us) or the server (outbound to the browser).</summary>
internal enum CallDirection
{
    Inbound,
    Outbound,
}

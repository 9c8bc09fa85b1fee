namespace MediaServer.Sip;

/// <summary>How a SIP message travels (RFC 3261 §18): datagrams, or a stream we frame by Content-Length.</summary>
internal enum SipTransportKind
{
    Udp,
    Tcp,
}

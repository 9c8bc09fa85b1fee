namespace MediaServer.Media.Dtls;

/// <summary>
/// Our side of the DTLS handshake, from the SDP a=setup negotiation (RFC 5763 §5):
/// a=setup:passive on our side makes us the server, a=setup:active the client.
/// </summary>
public enum DtlsRole
{
    Server,
    Client,
}

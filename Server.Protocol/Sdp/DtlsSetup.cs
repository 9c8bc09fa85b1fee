namespace MediaServer.Protocol.Sdp;

/// <summary>a=setup (RFC 4145 §4, used for DTLS by RFC 5763 §5): who opens the DTLS association.</summary>
public enum DtlsSetup
{
    ActPass,
    Active,
    Passive,
    HoldConn,
}

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// The direction attributes of RFC 8866 §6.7 (a=sendrecv, a=sendonly, a=recvonly, a=inactive),
/// always from the point of view of the side that wrote the description.
/// </summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

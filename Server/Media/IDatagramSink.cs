namespace MediaServer.Media;

/// <summary>
/// A leg's path to its peer: the shared UDP socket plus the remote address ICE selected.
/// Owned by the leg; implementations must be thread-safe, because the DTLS handshake thread,
/// the media threads and the UDP receive thread all send through it.
/// </summary>
public interface IDatagramSink
{
    /// <summary>Sends one datagram. The span is only valid for the duration of the call.</summary>
    void Send(ReadOnlySpan<byte> datagram);
}

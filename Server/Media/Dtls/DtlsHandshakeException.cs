namespace MediaServer.Media.Dtls;

/// <summary>
/// A DTLS-SRTP handshake did not complete. The message is written for the call's hangup
/// cause and the log, e.g. "DTLS handshake timed out after 10 s".
/// </summary>
public sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException()
    {
    }

    public DtlsHandshakeException(string message)
        : base(message)
    {
    }

    public DtlsHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

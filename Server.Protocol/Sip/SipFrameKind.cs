namespace MediaServer.Protocol.Sip;

/// <summary>What a frame cut by <see cref="SipStreamFramer"/> holds.</summary>
public enum SipFrameKind
{
    /// <summary>One SIP message: hand it to <see cref="SipMessage.TryParse"/>.</summary>
    Message,

    /// <summary>"\r\n\r\n": an RFC 5626 §4.4.1 keep-alive ping; answer with one CRLF (pong).</summary>
    Ping,

    /// <summary>A lone CRLF (RFC 5626 pong) or stray line ends before a message (RFC 3261 §7.5): consume and ignore.</summary>
    LineEnds,
}

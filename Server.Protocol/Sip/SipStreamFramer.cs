namespace MediaServer.Protocol.Sip;

/// <summary>
/// Cuts SIP messages out of a TCP or TLS byte stream (RFC 3261 §7.5, §18.3): the head ends at
/// the first empty line, then Content-Length bytes of body follow; Content-Length is mandatory
/// on streams. Keep-alives come out as their own frames (RFC 5626 §4.4.1: a "\r\n\r\n" ping is
/// answered with "\r\n"; a lone CRLF is a pong). Stateless and allocation-free: call it on the unconsumed bytes, consume
/// <c>frameLength</c> when it returns true, call again.
/// </summary>
public static class SipStreamFramer
{
    /// <summary>
    /// True with the length of the first frame when a whole frame is buffered; false when more
    /// bytes are needed (error null) or the stream cannot be framed (error set: the head is
    /// malformed, has no usable Content-Length, or exceeds <paramref name="maxHeadBytes"/> or
    /// <see cref="SipMessageView.MaxMessageBytes"/>; close the connection). Keep-alive frames
    /// (CRLFs only) are reported as messages of that length; use the overload with
    /// <see cref="SipFrameKind"/> to tell them apart, or check whether the frame starts with CR or LF.
    /// </summary>
    public static bool TryFrame(ReadOnlySpan<byte> buffer, int maxHeadBytes, out int frameLength, out SipParseError? error) =>
        TryFrame(buffer, maxHeadBytes, out frameLength, out _, out error);

    /// <summary>
    /// As <see cref="TryFrame(ReadOnlySpan{byte}, int, out int, out SipParseError?)"/>, saying what the frame is.
    /// A buffer holding just "\r\n" may be the first half of a ping split by the network; by
    /// default the framer waits for the next bytes (right where the peer pings us: a lone CRLF
    /// needs no answer anyway). Where we are the one pinging, pass
    /// <paramref name="waitOnLoneCrlf"/> false so the peer's "\r\n" pong comes out at once.
    /// </summary>
    public static bool TryFrame(
        ReadOnlySpan<byte> buffer, int maxHeadBytes, out int frameLength, out SipFrameKind kind, out SipParseError? error, bool waitOnLoneCrlf = true)
    {
        frameLength = 0;
        kind = SipFrameKind.Message;
        error = null;
        if (buffer.IsEmpty)
        {
            return false;
        }

        if (buffer[0] is (byte)'\r' or (byte)'\n')
        {
            return TryFrameLineEnds(buffer, waitOnLoneCrlf, out frameLength, out kind);
        }

        var limit = Math.Min(Math.Max(maxHeadBytes, 0), SipMessageView.MaxMessageBytes);
        var headEnd = FindHeadEnd(buffer[..Math.Min(buffer.Length, limit)], out var bodyStart);
        if (headEnd < 0)
        {
            if (buffer.Length >= limit)
            {
                error = SipParseError.TooLarge;
            }

            return false;
        }

        // The header fields start after the start line (which FindHeadEnd saw end before headEnd).
        var fieldsStart = buffer.IndexOf((byte)'\n') + 1;
        var contentLength = -1;
        foreach (var field in new SipHeaderEnumerator(buffer[fieldsStart..headEnd]))
        {
            if (!field.Is("Content-Length"u8))
            {
                continue;
            }

            if (contentLength >= 0 || !SipGrammar.TryParseDigits(field.Value, int.MaxValue, out var value))
            {
                error = SipParseError.BadRequest(contentLength >= 0 ? "Bad Request: more than one Content-Length" : "Bad Request: malformed Content-Length");
                return false;
            }

            contentLength = (int)value;
        }

        if (contentLength < 0)
        {
            error = SipParseError.BadRequest("Bad Request: missing Content-Length");
            return false;
        }

        if (contentLength > SipMessageView.MaxMessageBytes - bodyStart)
        {
            error = SipParseError.TooLarge;
            return false;
        }

        if (buffer.Length - bodyStart < contentLength)
        {
            return false;
        }

        frameLength = bodyStart + contentLength;
        return true;
    }

    /// <summary>
    /// Leading line ends: "\r\n\r\n" is a ping; a CRLF or LF followed by anything else is
    /// skipped as line ends. "\r", "\r\n\r" and (when waiting) a lone "\r\n" wait for more.
    /// </summary>
    private static bool TryFrameLineEnds(ReadOnlySpan<byte> buffer, bool waitOnLoneCrlf, out int frameLength, out SipFrameKind kind)
    {
        kind = SipFrameKind.LineEnds;
        frameLength = 0;
        if (buffer.StartsWith("\r\n\r\n"u8))
        {
            kind = SipFrameKind.Ping;
            frameLength = 4;
            return true;
        }

        if (buffer[0] == '\n')
        {
            frameLength = 1;
            return true;
        }

        // buffer[0] is CR.
        if (buffer.Length == 1
            || (buffer.Length == 2 && buffer[1] == '\n' && waitOnLoneCrlf)
            || (buffer.Length == 3 && buffer[1] == '\n' && buffer[2] == '\r'))
        {
            return false;
        }

        frameLength = buffer[1] == '\n' ? 2 : 1;
        return true;
    }

    /// <summary>Index of the empty line ending the head (CRLF or bare LF line ends), with where the body starts; -1 if not yet seen.</summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> head, out int bodyStart)
    {
        var position = 0;
        while (true)
        {
            var lf = head[position..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                bodyStart = 0;
                return -1;
            }

            var next = position + lf + 1;
            if (next < head.Length && head[next] == '\n')
            {
                bodyStart = next + 1;
                return next;
            }

            if (next + 1 < head.Length && head[next] == '\r' && head[next + 1] == '\n')
            {
                bodyStart = next + 2;
                return next;
            }

            if (next + 1 >= head.Length)
            {
                bodyStart = 0;
                return -1;
            }

            position = next;
        }
    }
}

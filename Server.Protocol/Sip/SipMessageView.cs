using System.Buffers;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// A validated, zero-allocation view of one whole SIP message: a UDP datagram, or a TCP/TLS
/// message that <see cref="SipStreamFramer"/> has cut out of the stream (RFC 3261 §7).
/// <code>
///  generic-message  =  start-line *message-header CRLF [ message-body ]
///  start-line       =  Request-Line / Status-Line
///  Request-Line     =  Method SP Request-URI SP SIP-Version CRLF
///  Status-Line      =  SIP-Version SP Status-Code SP Reason-Phrase CRLF
///  message-header   =  field-name *(SP / HTAB) ":" SWS field-value CRLF
///                      (a line starting with SP or HTAB continues the previous field)
/// </code>
/// Strict where a mistake would mislead the stack: the start line (single SPs, SIP/2.0 only,
/// a sip/sips/tel Request-URI without headers), header names that are tokens, no control
/// characters, the mandatory fields (To, From, CSeq, Call-ID, Via) present once, CSeq and
/// Max-Forwards numeric and in range, the CSeq method equal to the request method, one
/// numeric Content-Length no larger than what arrived. Lenient where senders differ harmlessly:
/// bare LF line ends, CRLFs before the start line (§7.5), folded lines, whitespace before the
/// colon, a missing Max-Forwards (we are a UAS), a missing Content-Length (datagram: the body
/// is the rest, §18.3). A Content-Length shorter than the body truncates it (§18.3: RFC 4475
/// dblreq). The typed syntax of Via, From, To and Contact is checked by <see cref="SipMessage"/>.
/// <para>
/// The view borrows the caller's buffer and is valid while that buffer is neither reused nor
/// changed. Parsing allocates nothing and never throws; every loop is bounded by the input,
/// itself capped at <see cref="MaxMessageBytes"/>.
/// </para>
/// </summary>
public readonly ref struct SipMessageView
{
    /// <summary>Largest message accepted (RFC 3261 §18.1.1 puts UDP at 64 KB at most).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Longest start line or header line accepted; longer ones get 513.</summary>
    public const int MaxLineBytes = 8 * 1024;

    /// <summary>Most header fields accepted in one message.</summary>
    public const int MaxHeaderFields = 256;

    /// <summary>CTL (RFC 5234) but HTAB, which LWS allows. LF never occurs inside a line.</summary>
    private static readonly SearchValues<byte> ControlCharacters = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private readonly ReadOnlySpan<byte> _headerBlock;

    private SipMessageView(
        bool isRequest,
        ReadOnlySpan<byte> method,
        ReadOnlySpan<byte> requestUri,
        int statusCode,
        ReadOnlySpan<byte> reasonPhrase,
        ReadOnlySpan<byte> headerBlock,
        ReadOnlySpan<byte> body,
        FieldSummary fields,
        int length)
    {
        IsRequest = isRequest;
        Method = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        _headerBlock = headerBlock;
        Body = body;
        CallId = fields.CallId;
        CSeqNumber = fields.CSeqNumber;
        CSeqMethod = fields.CSeqMethod;
        MaxForwards = fields.MaxForwards;
        Length = length;
    }

    public bool IsRequest { get; }

    /// <summary>The request method (case-sensitive, RFC 3261 §7.1); empty for responses.</summary>
    public ReadOnlySpan<byte> Method { get; }

    /// <summary>The Request-URI as written; empty for responses.</summary>
    public ReadOnlySpan<byte> RequestUri { get; }

    /// <summary>100 to 699 for responses; 0 for requests.</summary>
    public int StatusCode { get; }

    /// <summary>The Reason-Phrase (UTF-8, possibly empty); empty for requests.</summary>
    public ReadOnlySpan<byte> ReasonPhrase { get; }

    /// <summary>The body: Content-Length bytes after the empty line, or the rest of the datagram without one.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>The Call-ID value.</summary>
    public ReadOnlySpan<byte> CallId { get; }

    /// <summary>The CSeq sequence number (below 2^31, RFC 3261 §8.1.1.5).</summary>
    public uint CSeqNumber { get; }

    /// <summary>The CSeq method; for a response, the method of the request it answers.</summary>
    public ReadOnlySpan<byte> CSeqMethod { get; }

    /// <summary>Max-Forwards (0 to 255), or -1 when the header is absent.</summary>
    public int MaxForwards { get; }

    /// <summary>
    /// Bytes of the input this message occupies, leading CRLFs included, up to the end of the
    /// body. Less than the input when Content-Length stops short of its end.
    /// </summary>
    public int Length { get; }

    /// <summary>Every header field in order; see <see cref="SipHeaderField"/> for folded values.</summary>
    public SipHeaderEnumerator Headers => new(_headerBlock);

    /// <summary>
    /// The value of the first field named <paramref name="name"/>: full or compact form
    /// ("Call-ID" and "i" find either), case-insensitive. A folded value keeps its line breaks.
    /// </summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var wanted = SipHeaderNames.ExpandCompact(name);
        foreach (var field in Headers)
        {
            if (SipGrammar.EqualsIgnoreCase(SipHeaderNames.ExpandCompact(field.Name), wanted))
            {
                value = field.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Parses and validates <paramref name="data"/> as one message. False with the status a UAS
    /// should answer (400, 416, 505, 513) when it is malformed; responses are checked the same
    /// way, though nobody answers a response.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out SipMessageView view, out SipParseError error)
    {
        view = default;
        if (data.Length > MaxMessageBytes)
        {
            error = SipParseError.TooLarge;
            return false;
        }

        // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives, stray line ends).
        var position = 0;
        while (position < data.Length && data[position] is (byte)'\r' or (byte)'\n')
        {
            position++;
        }

        if (!TryReadLine(data, position, out var startLine, out var next))
        {
            error = SipParseError.BadRequest(position == data.Length ? "Bad Request: empty message" : "Bad Request: incomplete message");
            return false;
        }

        if (!TryCheckLine(startLine, out error)
            || !TryParseStartLine(startLine, out var isRequest, out var method, out var requestUri, out var statusCode, out var reason, out error))
        {
            return false;
        }

        if (!TryFindHeaderBlock(data, next, out var blockEnd, out var bodyStart, out error))
        {
            return false;
        }

        var block = data[next..blockEnd];
        if (!TrySummarize(block, out var fields, out error) || !TryCheckFields(isRequest, method, fields, out error))
        {
            return false;
        }

        var available = data.Length - bodyStart;
        var bodyLength = available;
        if (fields.ContentLength >= 0)
        {
            if (fields.ContentLength > available)
            {
                error = SipParseError.BadRequest("Bad Request: Content-Length larger than the message");
                return false;
            }

            bodyLength = fields.ContentLength;
        }

        view = new SipMessageView(isRequest, method, requestUri, statusCode, reason, block, data.Slice(bodyStart, bodyLength), fields, bodyStart + bodyLength);
        error = default;
        return true;
    }

    /// <summary>The line at <paramref name="start"/> without its CRLF or LF; false when no LF follows.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> data, int start, out ReadOnlySpan<byte> line, out int next)
    {
        var lf = data[start..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            line = default;
            next = data.Length;
            return false;
        }

        line = data.Slice(start, lf);
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        next = start + lf + 1;
        return true;
    }

    /// <summary>
    /// Length limit, and no control characters but HTAB (a stray CR or NUL could split or hide a
    /// header) unless escaped by a backslash: quoted-pair allows every one but CR and LF
    /// (RFC 3261 §25.1; RFC 4475 intmeth quotes BEL, NUL and DEL in a display name).
    /// </summary>
    private static bool TryCheckLine(ReadOnlySpan<byte> line, out SipParseError error)
    {
        if (line.Length > MaxLineBytes)
        {
            error = SipParseError.TooLarge;
            return false;
        }

        // Vectorized search for the rare control character, then the quoted-pair exception.
        var offset = 0;
        while (true)
        {
            var found = line[offset..].IndexOfAny(ControlCharacters);
            if (found < 0)
            {
                break;
            }

            var i = offset + found;
            if (line[i] == '\r' || i == 0 || line[i - 1] != '\\')
            {
                error = SipParseError.BadRequest("Bad Request: control character in the message head");
                return false;
            }

            offset = i + 1;
        }

        error = default;
        return true;
    }

    private static bool TryParseStartLine(
        ReadOnlySpan<byte> line,
        out bool isRequest,
        out ReadOnlySpan<byte> method,
        out ReadOnlySpan<byte> requestUri,
        out int statusCode,
        out ReadOnlySpan<byte> reason,
        out SipParseError error)
    {
        method = default;
        requestUri = default;
        reason = default;
        statusCode = 0;
        isRequest = !(line.Length >= 4 && SipGrammar.EqualsIgnoreCase(line[..4], "SIP/"u8));
        if (!isRequest)
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; the SP before an empty
            // reason is tolerated missing (RFC 4475 noreason sends it, others do not).
            var sp = line.IndexOf((byte)' ');
            var version = sp < 0 ? line : line[..sp];
            if (!TryCheckVersion(version, out error))
            {
                return false;
            }

            var rest = sp < 0 ? default : line[(sp + 1)..];
            if (rest.Length < 3 || (rest.Length > 3 && rest[3] != ' ')
                || !SipGrammar.TryParseDigits(rest[..3], 699, out var code) || code < 100)
            {
                error = SipParseError.BadRequest("Bad Request: malformed Status-Code");
                return false;
            }

            statusCode = (int)code;
            reason = rest.Length > 4 ? rest[4..] : default;
            return true;
        }

        // Request-Line: exactly one SP between the three parts (RFC 4475 lwsstart, trws, lwsruri).
        var first = line.IndexOf((byte)' ');
        var second = first < 0 ? -1 : line[(first + 1)..].IndexOf((byte)' ');
        if (second < 0)
        {
            error = SipParseError.BadRequest("Bad Request: malformed Request-Line");
            return false;
        }

        second += first + 1;
        method = line[..first];
        requestUri = line[(first + 1)..second];
        var requestVersion = line[(second + 1)..];
        if (requestUri.IsEmpty || requestVersion.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            error = SipParseError.BadRequest("Bad Request: malformed Request-Line");
            return false;
        }

        if (!TryCheckVersion(requestVersion, out error))
        {
            return false;
        }

        if (!SipGrammar.IsToken(method))
        {
            error = SipParseError.BadRequest("Bad Request: malformed method");
            return false;
        }

        return TryCheckRequestUri(requestUri, out error);
    }

    /// <summary>SIP/2.0 in any case; another well-formed version is 505 (RFC 4475 badvers), anything else 400.</summary>
    private static bool TryCheckVersion(ReadOnlySpan<byte> version, out SipParseError error)
    {
        if (SipGrammar.EqualsIgnoreCase(version, "SIP/2.0"u8))
        {
            error = default;
            return true;
        }

        var numbers = version.Length > 4 && SipGrammar.EqualsIgnoreCase(version[..4], "SIP/"u8) ? version[4..] : default;
        var dot = numbers.IndexOf((byte)'.');
        var wellFormed = dot > 0
            && SipGrammar.TryParseDigits(numbers[..dot], int.MaxValue, out _)
            && SipGrammar.TryParseDigits(numbers[(dot + 1)..], int.MaxValue, out _);
        error = wellFormed ? SipParseError.VersionNotSupported : SipParseError.BadRequest("Bad Request: malformed SIP-Version");
        return false;
    }

    /// <summary>
    /// An absolute URI whose scheme we serve (sip, sips, tel; else 416, RFC 3261 §8.2.2.1), with no
    /// whitespace, no angle brackets (RFC 4475 ltgtruri) and, for sip and sips, no headers
    /// component: §19.1.5 forbids it in a Request-URI (RFC 4475 escruri).
    /// </summary>
    private static bool TryCheckRequestUri(ReadOnlySpan<byte> uri, out SipParseError error)
    {
        var colon = uri.IndexOf((byte)':');
        if (colon <= 0 || uri.IndexOfAny((byte)'\t', (byte)'<', (byte)'>') >= 0 || !IsScheme(uri[..colon]))
        {
            error = SipParseError.BadRequest("Bad Request: malformed Request-URI");
            return false;
        }

        var scheme = uri[..colon];
        var isSip = SipGrammar.EqualsIgnoreCase(scheme, "sip"u8) || SipGrammar.EqualsIgnoreCase(scheme, "sips"u8);
        if (!isSip && !SipGrammar.EqualsIgnoreCase(scheme, "tel"u8))
        {
            error = SipParseError.UnsupportedScheme;
            return false;
        }

        // The user part may hold '?' (RFC 4475 intmeth); headers can only follow the host.
        var rest = uri[(colon + 1)..];
        var at = rest.IndexOf((byte)'@');
        if (isSip && rest[(at + 1)..].IndexOf((byte)'?') >= 0)
        {
            error = SipParseError.BadRequest("Bad Request: Request-URI carries headers");
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1).</summary>
    internal static bool IsScheme(ReadOnlySpan<byte> scheme)
    {
        if (scheme.IsEmpty || !char.IsAsciiLetter((char)scheme[0]))
        {
            return false;
        }

        foreach (var b in scheme)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Finds the empty line ending the header section and checks each line: length, control
    /// characters, a token name before the colon, continuation lines only after a field.
    /// </summary>
    private static bool TryFindHeaderBlock(ReadOnlySpan<byte> data, int start, out int blockEnd, out int bodyStart, out SipParseError error)
    {
        var position = start;
        var fields = 0;
        while (true)
        {
            if (!TryReadLine(data, position, out var line, out var next))
            {
                blockEnd = bodyStart = 0;
                error = SipParseError.BadRequest("Bad Request: header section not terminated");
                return false;
            }

            if (line.IsEmpty)
            {
                blockEnd = position;
                bodyStart = next;
                error = default;
                return true;
            }

            if (!TryCheckLine(line, out error))
            {
                blockEnd = bodyStart = 0;
                return false;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (fields == 0)
                {
                    blockEnd = bodyStart = 0;
                    error = SipParseError.BadRequest("Bad Request: continuation line before the first header");
                    return false;
                }
            }
            else
            {
                var colon = line.IndexOf((byte)':');
                if (colon < 0 || !SipGrammar.IsToken(line[..colon].TrimEnd(" \t"u8)))
                {
                    blockEnd = bodyStart = 0;
                    error = SipParseError.BadRequest("Bad Request: malformed header field");
                    return false;
                }

                if (++fields > MaxHeaderFields)
                {
                    blockEnd = bodyStart = 0;
                    error = SipParseError.TooLarge;
                    return false;
                }
            }

            position = next;
        }
    }

    /// <summary>What the mandatory and single-valued fields say; counts catch repeats (RFC 4475 multi01, mcl01).</summary>
    private ref struct FieldSummary
    {
        public int To;
        public int From;
        public int CallIds;
        public int CSeqs;
        public int Vias;
        public int MaxForwardsCount;
        public int ContentLengths;
        public int ContentTypes;
        public ReadOnlySpan<byte> CallId;
        public uint CSeqNumber;
        public ReadOnlySpan<byte> CSeqMethod;
        public int MaxForwards;
        public int ContentLength;
    }

    private static bool TrySummarize(ReadOnlySpan<byte> block, out FieldSummary fields, out SipParseError error)
    {
        fields = default;
        fields.MaxForwards = -1;
        fields.ContentLength = -1;
        foreach (var field in new SipHeaderEnumerator(block))
        {
            var value = field.Value;
            var kind = Classify(field.Name);
            if (kind == FieldKind.Other)
            {
                continue;
            }

            if (kind == FieldKind.Via)
            {
                fields.Vias++;
                if (value.IsEmpty)
                {
                    error = SipParseError.BadRequest("Bad Request: malformed Via");
                    return false;
                }
            }
            else if (kind == FieldKind.To)
            {
                if (++fields.To > 1 || value.IsEmpty)
                {
                    error = SipParseError.BadRequest(fields.To > 1 ? "Bad Request: more than one To" : "Bad Request: malformed To");
                    return false;
                }
            }
            else if (kind == FieldKind.From)
            {
                if (++fields.From > 1 || value.IsEmpty)
                {
                    error = SipParseError.BadRequest(fields.From > 1 ? "Bad Request: more than one From" : "Bad Request: malformed From");
                    return false;
                }
            }
            else if (kind == FieldKind.CallId)
            {
                // callid = word [ "@" word ]: no whitespace inside.
                if (++fields.CallIds > 1 || value.IsEmpty || value.IndexOfAny(" \t\r\n"u8) >= 0)
                {
                    error = SipParseError.BadRequest(fields.CallIds > 1 ? "Bad Request: more than one Call-ID" : "Bad Request: malformed Call-ID");
                    return false;
                }

                fields.CallId = value;
            }
            else if (kind == FieldKind.CSeq)
            {
                if (++fields.CSeqs > 1 || !TryParseCSeq(value, out fields.CSeqNumber, out fields.CSeqMethod))
                {
                    error = SipParseError.BadRequest(fields.CSeqs > 1 ? "Bad Request: more than one CSeq" : "Bad Request: malformed CSeq");
                    return false;
                }
            }
            else if (kind == FieldKind.MaxForwards)
            {
                if (++fields.MaxForwardsCount > 1 || !SipGrammar.TryParseDigits(value, 255, out var hops))
                {
                    error = SipParseError.BadRequest(fields.MaxForwardsCount > 1 ? "Bad Request: more than one Max-Forwards" : "Bad Request: malformed Max-Forwards");
                    return false;
                }

                fields.MaxForwards = (int)hops;
            }
            else if (kind == FieldKind.ContentLength)
            {
                if (++fields.ContentLengths > 1 || !SipGrammar.TryParseDigits(value, int.MaxValue, out var length))
                {
                    error = SipParseError.BadRequest(fields.ContentLengths > 1 ? "Bad Request: more than one Content-Length" : "Bad Request: malformed Content-Length");
                    return false;
                }

                fields.ContentLength = (int)length;
            }
            else if (kind == FieldKind.ContentType)
            {
                if (++fields.ContentTypes > 1)
                {
                    error = SipParseError.BadRequest("Bad Request: more than one Content-Type");
                    return false;
                }
            }
        }

        error = default;
        return true;
    }

    private enum FieldKind
    {
        Other,
        Via,
        To,
        From,
        CallId,
        CSeq,
        MaxForwards,
        ContentLength,
        ContentType,
    }

    /// <summary>The fields the view checks, by full or compact name; length first, so most names cost one compare.</summary>
    private static FieldKind Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        1 => (name[0] | 0x20) switch
        {
            'v' => FieldKind.Via,
            't' => FieldKind.To,
            'f' => FieldKind.From,
            'i' => FieldKind.CallId,
            'l' => FieldKind.ContentLength,
            'c' => FieldKind.ContentType,
            _ => FieldKind.Other,
        },
        2 when SipGrammar.EqualsIgnoreCase(name, "To"u8) => FieldKind.To,
        3 when SipGrammar.EqualsIgnoreCase(name, "Via"u8) => FieldKind.Via,
        4 when SipGrammar.EqualsIgnoreCase(name, "From"u8) => FieldKind.From,
        4 when SipGrammar.EqualsIgnoreCase(name, "CSeq"u8) => FieldKind.CSeq,
        7 when SipGrammar.EqualsIgnoreCase(name, "Call-ID"u8) => FieldKind.CallId,
        12 when SipGrammar.EqualsIgnoreCase(name, "Max-Forwards"u8) => FieldKind.MaxForwards,
        12 when SipGrammar.EqualsIgnoreCase(name, "Content-Type"u8) => FieldKind.ContentType,
        14 when SipGrammar.EqualsIgnoreCase(name, "Content-Length"u8) => FieldKind.ContentLength,
        _ => FieldKind.Other,
    };

    /// <summary>CSeq = 1*DIGIT LWS Method, the number below 2^31 (RFC 3261 §8.1.1.5; RFC 4475 scalar02).</summary>
    internal static bool TryParseCSeq(ReadOnlySpan<byte> value, out uint number, out ReadOnlySpan<byte> method)
    {
        number = 0;
        method = default;
        var digits = 0;
        while (digits < value.Length && char.IsAsciiDigit((char)value[digits]))
        {
            digits++;
        }

        var rest = value[digits..];
        var methodText = SipGrammar.TrimWhitespace(rest);
        if (digits == 0 || methodText.Length == rest.Length || !SipGrammar.IsToken(methodText)
            || !SipGrammar.TryParseDigits(value[..digits], int.MaxValue, out var parsed))
        {
            return false;
        }

        number = (uint)parsed;
        method = methodText;
        return true;
    }

    private static bool TryCheckFields(bool isRequest, ReadOnlySpan<byte> method, in FieldSummary fields, out SipParseError error)
    {
        string? missing =
            fields.To == 0 ? "Bad Request: missing To"
            : fields.From == 0 ? "Bad Request: missing From"
            : fields.CSeqs == 0 ? "Bad Request: missing CSeq"
            : fields.CallIds == 0 ? "Bad Request: missing Call-ID"
            : fields.Vias == 0 ? "Bad Request: missing Via"
            : null;
        if (missing is not null)
        {
            error = SipParseError.BadRequest(missing);
            return false;
        }

        // RFC 3261 §8.1.1.5 (RFC 4475 mismatch01, mismatch02); methods are case-sensitive.
        if (isRequest && !fields.CSeqMethod.SequenceEqual(method))
        {
            error = SipParseError.BadRequest("Bad Request: CSeq method does not match the request method");
            return false;
        }

        error = default;
        return true;
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// A SIP request or response as the stack works with it: built from a validated
/// <see cref="SipMessageView"/> (or created with <see cref="CreateRequest"/> and
/// <see cref="CreateResponse"/>), changed through <see cref="Headers"/>, <see cref="Body"/> and
/// <see cref="RequestUri"/>, and written back canonically (full header names, CRLF, a
/// Content-Length computed from <see cref="Body"/>).
/// <para>
/// Parsing also checks the syntax of Via, From, To, Contact, Route and Record-Route, so a message
/// that parses has well-formed typed values; the typed accessors still parse on access (and
/// remember the result until the headers change) and return null or an empty list rather than
/// throw when a header was changed to something malformed. Owned by one transaction at a time;
/// not thread-safe.
/// </para>
/// </summary>
public sealed class SipMessage
{
    private const string Version = "SIP/2.0";

    private readonly string _method;
    private SipUri? _requestUri;
    private string? _requestUriText;
    private byte[] _body = [];

    private CacheSlot<IReadOnlyList<SipVia>> _vias;
    private CacheSlot<IReadOnlyList<SipNameAddr>> _contacts;
    private CacheSlot<IReadOnlyList<SipNameAddr>> _recordRoutes;
    private CacheSlot<IReadOnlyList<SipNameAddr>> _routes;
    private CacheSlot<SipNameAddr?> _from;
    private CacheSlot<SipNameAddr?> _to;

    private SipMessage(bool isRequest, string method, SipUri? requestUri, int statusCode, string reasonPhrase)
    {
        IsRequest = isRequest;
        _method = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
    }

    public bool IsRequest { get; }

    /// <summary>The request method; for a response, the method of its CSeq (empty if it has none).</summary>
    public string Method => IsRequest ? _method : CSeq?.Method ?? string.Empty;

    /// <summary>The Request-URI of a request; null for responses.</summary>
    public SipUri? RequestUri
    {
        get => _requestUri;
        set
        {
            _requestUri = value;
            _requestUriText = value?.ToString();
        }
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public SipHeaders Headers { get; } = new();

    /// <summary>The body; Content-Length is written from its length, whatever Headers say.</summary>
    public byte[] Body
    {
        get => _body;
        set => _body = value ?? [];
    }

    public string? ContentType => Headers.Get(SipHeaderNames.ContentType);

    public string? CallId => Headers.Get(SipHeaderNames.CallId);

    public SipCSeq? CSeq => SipCSeq.TryParse(Headers.Get(SipHeaderNames.CSeq), out var value) ? value : null;

    /// <summary>Every Via entry top to bottom, across field lines and comma lists; empty if any is malformed.</summary>
    public IReadOnlyList<SipVia> Vias => Cached(ref _vias, static m => m.ParseViaList());

    public SipNameAddr? From => Cached(ref _from, static m => SipNameAddr.TryParse(m.Headers.Get(SipHeaderNames.From), out var v) ? v : null);

    public SipNameAddr? To => Cached(ref _to, static m => SipNameAddr.TryParse(m.Headers.Get(SipHeaderNames.To), out var v) ? v : null);

    /// <summary>Every Contact entry; "Contact: *" is one entry with <see cref="SipNameAddr.IsWildcard"/>.</summary>
    public IReadOnlyList<SipNameAddr> Contacts => Cached(ref _contacts, static m => m.ParseNameAddrs(SipHeaderNames.Contact));

    public IReadOnlyList<SipNameAddr> RecordRoutes => Cached(ref _recordRoutes, static m => m.ParseNameAddrs(SipHeaderNames.RecordRoute));

    public IReadOnlyList<SipNameAddr> Routes => Cached(ref _routes, static m => m.ParseNameAddrs(SipHeaderNames.Route));

    /// <summary>Max-Forwards 0 to 255; null when absent or malformed.</summary>
    public int? MaxForwards =>
        Headers.Get(SipHeaderNames.MaxForwards) is { } text && SipGrammar.TryParseDigits(text.AsSpan().Trim(), 255, out var value) ? (int)value : null;

    /// <summary>Expires in seconds; null when absent, malformed or beyond int range.</summary>
    public int? Expires =>
        Headers.Get(SipHeaderNames.Expires) is { } text && SipGrammar.TryParseDigits(text.AsSpan().Trim(), int.MaxValue, out var value) ? (int)value : null;

    /// <summary>A request with no headers: the caller adds Via, From, To, Call-ID, CSeq, Max-Forwards and Contact.</summary>
    public static SipMessage CreateRequest(string method, SipUri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        if (!SipGrammar.IsToken(method.AsSpan()))
        {
            throw new ArgumentException($"'{method}' is not a SIP method (RFC 3261 token).", nameof(method));
        }

        return new SipMessage(true, method, requestUri, 0, string.Empty);
    }

    /// <summary>
    /// A response to <paramref name="request"/> per RFC 3261 §8.2.6.2: every Via in order, From,
    /// To (with <paramref name="toTag"/> added when given and To has none), Call-ID and CSeq,
    /// copied as they were; no body. Record-Route (§12.1.1) and Contact are the caller's.
    /// </summary>
    public static SipMessage CreateResponse(SipMessage request, int statusCode, string reasonPhrase, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (statusCode is < 100 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A status code is 100 to 699.");
        }

        if (reasonPhrase.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("A reason phrase is one line.", nameof(reasonPhrase));
        }

        var response = new SipMessage(false, string.Empty, null, statusCode, reasonPhrase);
        foreach (var field in request.Headers.Fields)
        {
            var name = field.Key;
            if (name is SipHeaderNames.Via or SipHeaderNames.From or SipHeaderNames.CallId or SipHeaderNames.CSeq)
            {
                response.Headers.AddParsed(name, field.Value);
            }
            else if (name == SipHeaderNames.To)
            {
                response.Headers.AddParsed(name, toTag is null ? field.Value : AddTag(field.Value, toTag));
            }
        }

        return response;
    }

    private static string AddTag(string to, string tag)
    {
        if (!SipNameAddr.TryParse(to, out var address))
        {
            return to;
        }

        return address!.Tag is null ? address.WithTag(tag).ToString() : to;
    }

    /// <summary>
    /// Parses one whole message (a datagram or a framed stream message): the checks of
    /// <see cref="SipMessageView.TryParse"/>, then the Request-URI and the syntax of Via, From,
    /// To, Contact, Route and Record-Route. Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out SipMessage? message, out SipParseError error)
    {
        message = null;
        if (!SipMessageView.TryParse(data, out var view, out error))
        {
            return false;
        }

        SipUri? requestUri = null;
        if (view.IsRequest && !SipUri.TryParse(Encoding.UTF8.GetString(view.RequestUri).AsSpan(), out requestUri))
        {
            error = SipParseError.BadRequest("Bad Request: malformed Request-URI");
            return false;
        }

        var parsed = new SipMessage(
            view.IsRequest,
            view.IsRequest ? Encoding.ASCII.GetString(view.Method) : string.Empty,
            requestUri,
            view.StatusCode,
            Encoding.UTF8.GetString(view.ReasonPhrase));
        foreach (var field in view.Headers)
        {
            parsed.Headers.AddParsed(DecodeName(field.Name), DecodeValue(field));
        }

        parsed._body = view.Body.ToArray();
        if (!parsed.TryCheckTypedHeaders(out error))
        {
            return false;
        }

        message = parsed;
        return true;
    }

    private static string DecodeName(ReadOnlySpan<byte> name)
    {
        Span<char> chars = stackalloc char[Math.Min(name.Length, 128)];
        if (name.Length > chars.Length)
        {
            return Encoding.ASCII.GetString(name);
        }

        // Header names are tokens, so one byte is one char.
        for (var i = 0; i < name.Length; i++)
        {
            chars[i] = (char)name[i];
        }

        return SipHeaderNames.Normalize(chars[..name.Length]) ?? new string(chars[..name.Length]);
    }

    private static string DecodeValue(SipHeaderField field)
    {
        if (!field.IsFolded)
        {
            return Encoding.UTF8.GetString(field.Value);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(field.Value.Length);
        try
        {
            var length = field.CopyUnfolded(buffer);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool TryCheckTypedHeaders(out SipParseError error)
    {
        string? bad = null;
        var contacts = 0;
        var wildcard = false;
        foreach (var field in Headers.Fields)
        {
            IReadOnlyList<SipNameAddr>? entries = null;
            var ok = field.Key switch
            {
                SipHeaderNames.Via => SipVia.TryParseList(field.Value, out _),
                SipHeaderNames.From or SipHeaderNames.To => SipNameAddr.TryParse(field.Value, out var address) && !address!.IsWildcard,
                SipHeaderNames.Contact => SipNameAddr.TryParseList(field.Value, out entries),
                SipHeaderNames.Route or SipHeaderNames.RecordRoute => SipNameAddr.TryParseList(field.Value, out entries)
                    && !entries.Any(static r => r.IsWildcard),
                _ => true,
            };
            if (ok && field.Key == SipHeaderNames.Contact)
            {
                contacts += entries!.Count;
                wildcard |= entries.Any(static c => c.IsWildcard);

                // "Contact: *" stands alone (RFC 3261 §10.2.2).
                ok = !wildcard || contacts == 1;
            }

            if (!ok)
            {
                bad = field.Key;
                break;
            }
        }

        error = bad switch
        {
            null => default,
            SipHeaderNames.Via => SipParseError.BadRequest("Bad Request: malformed Via"),
            SipHeaderNames.From => SipParseError.BadRequest("Bad Request: malformed From"),
            SipHeaderNames.To => SipParseError.BadRequest("Bad Request: malformed To"),
            SipHeaderNames.Contact => SipParseError.BadRequest("Bad Request: malformed Contact"),
            SipHeaderNames.Route => SipParseError.BadRequest("Bad Request: malformed Route"),
            _ => SipParseError.BadRequest("Bad Request: malformed Record-Route"),
        };
        return bad is null;
    }

    private IReadOnlyList<SipVia> ParseViaList()
    {
        var all = new List<SipVia>();
        foreach (var value in Headers.GetAll(SipHeaderNames.Via))
        {
            if (!SipVia.TryParseList(value, out var vias))
            {
                return [];
            }

            all.AddRange(vias);
        }

        return all;
    }

    private IReadOnlyList<SipNameAddr> ParseNameAddrs(string name)
    {
        var all = new List<SipNameAddr>();
        foreach (var value in Headers.GetAll(name))
        {
            if (!SipNameAddr.TryParseList(value, out var entries))
            {
                return [];
            }

            all.AddRange(entries);
        }

        // "*" stands alone, and only in Contact (RFC 3261 §10.2.2, §20.10).
        var wildcards = all.Count(static e => e.IsWildcard);
        return wildcards == 0 || (name == SipHeaderNames.Contact && all.Count == 1) ? all : [];
    }

    private T Cached<T>(ref CacheSlot<T> slot, Func<SipMessage, T> parse)
    {
        if (!slot.IsSet || slot.Version != Headers.Version)
        {
            slot = new CacheSlot<T>(true, Headers.Version, parse(this));
        }

        return slot.Value;
    }

    private readonly record struct CacheSlot<T>(bool IsSet, int Version, T Value);

    /// <summary>The exact number of bytes <see cref="TryWrite"/> produces.</summary>
    public int GetSize()
    {
        var size = StartLineSize();
        foreach (var field in Headers.Fields)
        {
            if (!IsContentLength(field.Key))
            {
                size += Encoding.UTF8.GetByteCount(field.Key) + 2 + Encoding.UTF8.GetByteCount(field.Value) + 2;
            }
        }

        return size + "Content-Length: "u8.Length + DigitCount(_body.Length) + 4 + _body.Length;
    }

    /// <summary>
    /// Writes the canonical form: start line, every header but Content-Length as "Name: value",
    /// then "Content-Length" from <see cref="Body"/>, the empty line and the body. False, with
    /// nothing written, when <paramref name="destination"/> is shorter than <see cref="GetSize"/>.
    /// </summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < GetSize())
        {
            return false;
        }

        var position = 0;
        if (IsRequest)
        {
            position += Encoding.ASCII.GetBytes(_method, destination);
            destination[position++] = (byte)' ';
            position += Encoding.UTF8.GetBytes(RequestUriText, destination[position..]);
            destination[position++] = (byte)' ';
            position += Encoding.ASCII.GetBytes(Version, destination[position..]);
        }
        else
        {
            position += Encoding.ASCII.GetBytes(Version, destination);
            destination[position++] = (byte)' ';
            StatusCode.TryFormat(destination[position..], out var digits, default, CultureInfo.InvariantCulture);
            position += digits;
            destination[position++] = (byte)' ';
            position += Encoding.UTF8.GetBytes(ReasonPhrase, destination[position..]);
        }

        position = WriteCrlf(destination, position);
        foreach (var field in Headers.Fields)
        {
            if (IsContentLength(field.Key))
            {
                continue;
            }

            position += Encoding.UTF8.GetBytes(field.Key, destination[position..]);
            destination[position++] = (byte)':';
            destination[position++] = (byte)' ';
            position += Encoding.UTF8.GetBytes(field.Value, destination[position..]);
            position = WriteCrlf(destination, position);
        }

        "Content-Length: "u8.CopyTo(destination[position..]);
        position += "Content-Length: "u8.Length;
        _body.Length.TryFormat(destination[position..], out var lengthDigits, default, CultureInfo.InvariantCulture);
        position += lengthDigits;
        position = WriteCrlf(destination, position);
        position = WriteCrlf(destination, position);
        _body.CopyTo(destination[position..]);
        written = position + _body.Length;
        return true;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[GetSize()];
        TryWrite(bytes, out _);
        return bytes;
    }

    /// <summary>The message as text (UTF-8 decoded), for logs and tests.</summary>
    public override string ToString() => Encoding.UTF8.GetString(ToArray());

    private string RequestUriText =>
        _requestUriText ?? throw new InvalidOperationException("A request needs a Request-URI before it is written.");

    private int StartLineSize() => IsRequest
        ? Encoding.ASCII.GetByteCount(_method) + 1 + Encoding.UTF8.GetByteCount(RequestUriText) + 1 + Version.Length + 2
        : Version.Length + 1 + DigitCount(StatusCode) + 1 + Encoding.UTF8.GetByteCount(ReasonPhrase) + 2;

    private static bool IsContentLength(string name) => string.Equals(name, SipHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase);

    private static int WriteCrlf(Span<byte> destination, int position)
    {
        destination[position] = (byte)'\r';
        destination[position + 1] = (byte)'\n';
        return position + 2;
    }

    private static int DigitCount(int value)
    {
        var count = 1;
        while (value >= 10)
        {
            value /= 10;
            count++;
        }

        return count;
    }
}

namespace MediaServer.Protocol.Sip;

/// <summary>
/// Header field names: the canonical spelling of the ones we know, and the compact forms of
/// RFC 3261 §7.3.3 and the IANA SIP parameters registry ("i" is Call-ID, "o" is Event ...).
/// Names compare case-insensitively everywhere (RFC 3261 §7.3.1).
/// </summary>
public static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string Contact = "Contact";
    public const string MaxForwards = "Max-Forwards";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Expires = "Expires";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Authorization = "Authorization";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string ProxyAuthenticate = "Proxy-Authenticate";

    /// <summary>Compact form letter to full name, indexed by the lowercase letter.</summary>
    private static readonly string?[] Compact = BuildCompact();

    /// <summary>Every name we spell canonically, looked up case-insensitively.</summary>
    private static readonly Dictionary<string, string> Canonical = BuildCanonical();

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CanonicalLookup =
        Canonical.GetAlternateLookup<ReadOnlySpan<char>>();

    private static string?[] BuildCompact()
    {
        var table = new string?[26];
        void Set(char letter, string name) => table[letter - 'a'] = name;
        Set('a', "Accept-Contact");
        Set('b', "Referred-By");
        Set('c', ContentType);
        Set('d', "Request-Disposition");
        Set('e', "Content-Encoding");
        Set('f', From);
        Set('i', CallId);
        Set('j', "Reject-Contact");
        Set('k', "Supported");
        Set('l', ContentLength);
        Set('m', Contact);
        Set('n', "Identity-Info");
        Set('o', "Event");
        Set('r', "Refer-To");
        Set('s', "Subject");
        Set('t', To);
        Set('u', "Allow-Events");
        Set('v', Via);
        Set('x', "Session-Expires");
        Set('y', "Identity");
        return table;
    }

    private static Dictionary<string, string> BuildCanonical()
    {
        string[] names =
        [
            Via, From, To, CallId, CSeq, Contact, MaxForwards, ContentLength, ContentType, Expires, Route, RecordRoute,
            Authorization, ProxyAuthorization, WwwAuthenticate, ProxyAuthenticate,
            "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events",
            "Authentication-Info", "Call-Info", "Content-Disposition", "Content-Encoding", "Content-Language", "Date",
            "Error-Info", "Event", "Identity", "Identity-Info", "In-Reply-To", "Min-Expires", "Min-SE", "MIME-Version",
            "Organization", "P-Asserted-Identity", "P-Preferred-Identity", "Path", "Priority", "Privacy",
            "Proxy-Require", "RAck", "Reason", "Refer-To", "Referred-By", "Reject-Contact", "Replaces", "Reply-To",
            "Request-Disposition", "Require", "Retry-After", "RSeq", "Server", "Service-Route", "Session-Expires",
            "Subject", "Subscription-State", "Supported", "Timestamp", "Unsupported", "User-Agent", "Warning",
        ];
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            map[name] = name;
        }

        return map;
    }

    /// <summary>
    /// The canonical full form of a header name: compact letters expanded, known names in their
    /// RFC spelling ("call-id" becomes "Call-ID"); unknown names are returned as given.
    /// </summary>
    public static string Normalize(string name) => Normalize(name.AsSpan()) ?? name;

    /// <summary>As <see cref="Normalize(string)"/>, or null for a name we do not know (the caller keeps its own string).</summary>
    internal static string? Normalize(ReadOnlySpan<char> name)
    {
        if (name.Length == 1)
        {
            var letter = (char)(name[0] | 0x20);
            return letter is >= 'a' and <= 'z' ? Compact[letter - 'a'] : null;
        }

        return CanonicalLookup.TryGetValue(name, out var canonical) ? canonical : null;
    }

    /// <summary>The full name a compact letter stands for, or the name itself (byte form, no allocation).</summary>
    internal static ReadOnlySpan<byte> ExpandCompact(ReadOnlySpan<byte> name)
    {
        if (name.Length != 1)
        {
            return name;
        }

        return (char)(name[0] | 0x20) switch
        {
            'a' => "Accept-Contact"u8,
            'b' => "Referred-By"u8,
            'c' => "Content-Type"u8,
            'd' => "Request-Disposition"u8,
            'e' => "Content-Encoding"u8,
            'f' => "From"u8,
            'i' => "Call-ID"u8,
            'j' => "Reject-Contact"u8,
            'k' => "Supported"u8,
            'l' => "Content-Length"u8,
            'm' => "Contact"u8,
            'n' => "Identity-Info"u8,
            'o' => "Event"u8,
            'r' => "Refer-To"u8,
            's' => "Subject"u8,
            't' => "To"u8,
            'u' => "Allow-Events"u8,
            'v' => "Via"u8,
            'x' => "Session-Expires"u8,
            'y' => "Identity"u8,
            _ => name,
        };
    }

    /// <summary>Whether two names denote the same header: case-insensitive, compact forms expanded.</summary>
    internal static bool SameHeader(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        SipGrammar.EqualsIgnoreCase(ExpandCompact(a), ExpandCompact(b));

    /// <summary>String form of <see cref="SameHeader(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.</summary>
    internal static bool SameHeader(string a, string b) =>
        string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);
}

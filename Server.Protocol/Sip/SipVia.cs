using System.Globalization;
using System.Text;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// One Via entry (RFC 3261 §20.42, §25.1; rport from RFC 3581):
/// <code>
///  via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
///  sent-protocol = protocol-name SLASH protocol-version SLASH transport
///  sent-by       = host [ COLON port ]
///  via-params    = via-ttl / via-maddr / via-received / via-branch / response-port / via-extension
/// </code>
/// LWS is allowed around the slashes, the colon, ';' and '=' (RFC 4475 wsinv folds one Via over
/// three lines). <see cref="Protocol"/> is written without that whitespace, name and transport
/// uppercased ("SIP/2.0/UDP"). Parameter values are kept as written. Equality is that of the
/// canonical text.
/// </summary>
public sealed record SipVia(string Protocol, string Transport, string Host, int? Port, IReadOnlyDictionary<string, string?> Parameters)
{
    public string? Branch => Parameters.TryGetValue("branch", out var value) ? value : null;

    public string? Received => Parameters.TryGetValue("received", out var value) ? value : null;

    /// <summary>The rport parameter is present, with or without a value (RFC 3581 §3: the client asks for it empty).</summary>
    public bool HasRport => Parameters.ContainsKey("rport");

    public int? Rport =>
        Parameters.TryGetValue("rport", out var value) && value is not null && SipGrammar.TryParseDigits(value, 65535, out var port) ? (int)port : null;

    /// <summary>
    /// A copy with the parameter set, in place when present, else appended; null for a flag.
    /// For RFC 3581: <c>via.WithParameter("received", ip).WithParameter("rport", port)</c>.
    /// </summary>
    public SipVia WithParameter(string name, string? value)
    {
        var copy = new OrderedDictionary<string, string?>(Parameters, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return this with { Parameters = copy.Freeze() };
    }

    public bool Equals(SipVia? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    public override string ToString()
    {
        var builder = new StringBuilder(96);
        builder.Append(Protocol).Append(' ').Append(Host);
        if (Port is { } port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        SipGrammar.AppendParameters(builder, Parameters);
        return builder.ToString();
    }

    public static bool TryParse(string? text, out SipVia? via)
    {
        via = null;
        return text is not null && TryParse(text.AsSpan(), out via);
    }

    /// <summary>Every via-parm of a header value (comma-separated); empty when any is malformed.</summary>
    public static IReadOnlyList<SipVia> ParseList(string? text) => TryParseList(text, out var list) ? list : [];

    /// <summary>As <see cref="ParseList"/>, saying whether every entry was well formed (RFC 4475 badinv01 is not).</summary>
    public static bool TryParseList(string? text, out IReadOnlyList<SipVia> list)
    {
        list = [];
        if (text is null || !SipGrammar.TrySplitList(text, out var items))
        {
            return false;
        }

        var result = new List<SipVia>(items.Count);
        foreach (var item in items)
        {
            if (!TryParse(item.AsSpan(), out var via))
            {
                return false;
            }

            result.Add(via!);
        }

        list = result;
        return true;
    }

    private static bool TryParse(ReadOnlySpan<char> text, out SipVia? via)
    {
        via = null;
        if (text.Length > SipMessageView.MaxLineBytes)
        {
            return false;
        }

        var i = 0;
        if (!TryReadToken(text, ref i, out var name) || !TrySkipSlash(text, ref i)
            || !TryReadToken(text, ref i, out var version) || !TrySkipSlash(text, ref i)
            || !TryReadToken(text, ref i, out var transport))
        {
            return false;
        }

        // LWS is required between the protocol and sent-by.
        var afterProtocol = i;
        SkipWhitespace(text, ref i);
        if (i == afterProtocol)
        {
            return false;
        }

        var semicolon = text[i..].IndexOf(';');
        var sentBy = SipGrammar.TrimWhitespace(semicolon < 0 ? text[i..] : text[i..(i + semicolon)]);
        Span<char> compact = stackalloc char[Math.Min(sentBy.Length, 512)];
        if (sentBy.Length > compact.Length || !TryRemoveColonSpace(sentBy, compact, out var length)
            || !SipUri.TryParseHostPort(compact[..length], out var host, out var port))
        {
            return false;
        }

        if (!SipGrammar.TryParseParameters(semicolon < 0 ? default : text[(i + semicolon)..], out var parameters))
        {
            return false;
        }

        var transportText = transport.ToUpperInvariant();
        via = new SipVia(
            string.Concat(name.ToUpperInvariant(), "/", version, "/", transportText),
            transportText,
            host!,
            port,
            parameters.Freeze());
        return true;
    }

    private static bool TryReadToken(ReadOnlySpan<char> text, ref int i, out string token)
    {
        SkipWhitespace(text, ref i);
        var start = i;
        while (i < text.Length && SipGrammar.IsToken(text[i]))
        {
            i++;
        }

        token = text[start..i].ToString();
        return i > start;
    }

    private static bool TrySkipSlash(ReadOnlySpan<char> text, ref int i)
    {
        SkipWhitespace(text, ref i);
        if (i >= text.Length || text[i] != '/')
        {
            return false;
        }

        i++;
        return true;
    }

    private static void SkipWhitespace(ReadOnlySpan<char> text, ref int i)
    {
        while (i < text.Length && SipGrammar.IsWhitespace(text[i]))
        {
            i++;
        }
    }

    /// <summary>Copies sent-by dropping whitespace next to the port colon (COLON = SWS ":" SWS); other whitespace is an error.</summary>
    private static bool TryRemoveColonSpace(ReadOnlySpan<char> sentBy, Span<char> destination, out int length)
    {
        length = 0;
        for (var i = 0; i < sentBy.Length; i++)
        {
            var c = sentBy[i];
            if (SipGrammar.IsWhitespace(c))
            {
                var j = i;
                while (j < sentBy.Length && SipGrammar.IsWhitespace(sentBy[j]))
                {
                    j++;
                }

                var besideColon = (length > 0 && destination[length - 1] == ':') || (j < sentBy.Length && sentBy[j] == ':');
                if (!besideColon)
                {
                    return false;
                }

                i = j - 1;
                continue;
            }

            destination[length++] = c;
        }

        return true;
    }
}

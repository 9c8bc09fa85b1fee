using System.Text;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// One From, To, Contact, Route or Record-Route entry (RFC 3261 §20.10, §25.1):
/// <code>
///  ( name-addr / addr-spec ) *( SEMI generic-param )
///  name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
///  display-name = *(token LWS) / quoted-string
/// </code>
/// In the addr-spec form (no angle brackets) everything after the first ';' is a header
/// parameter, not a URI parameter (§20.10; RFC 4475 cparam01), and the URI may not carry
/// headers (RFC 4475 regbadct). <see cref="Parameters"/> are the header parameters (tag, q,
/// expires ...), values kept as written, quotes included; URI parameters such as lr live in
/// <see cref="SipUri.Parameters"/>. The display name is held unquoted and unescaped.
/// Equality is that of the canonical text.
/// </summary>
public sealed record SipNameAddr(string? DisplayName, SipUri Uri, IReadOnlyDictionary<string, string?> Parameters)
{
    /// <summary>Contact: * (RFC 3261 §10.2.2, removing all bindings); <see cref="Uri"/> is then a placeholder.</summary>
    public static readonly SipNameAddr Wildcard =
        new(null, new SipUri("*", null, string.Empty) { Opaque = string.Empty }, Empty()) { IsWildcard = true };

    public SipNameAddr(SipUri uri)
        : this(null, uri, Empty())
    {
    }

    public string? Tag => Parameters.TryGetValue("tag", out var tag) ? tag : null;

    public bool IsWildcard { get; private init; }

    public SipNameAddr WithTag(string tag) => WithParameter("tag", tag);

    /// <summary>A copy with the header parameter set (replaced in place, or added at the end).</summary>
    public SipNameAddr WithParameter(string name, string? value)
    {
        var copy = new OrderedDictionary<string, string?>(Parameters, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return this with { Parameters = copy.Freeze() };
    }

    public bool Equals(SipNameAddr? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>Always the name-addr form: <c>"Display" &lt;uri&gt;;param=value</c>, or <c>*</c>.</summary>
    public override string ToString()
    {
        if (IsWildcard)
        {
            return "*";
        }

        var builder = new StringBuilder(80);
        if (!string.IsNullOrEmpty(DisplayName))
        {
            builder.Append(SipGrammar.Quote(DisplayName)).Append(' ');
        }

        builder.Append('<').Append(Uri.ToString()).Append('>');
        SipGrammar.AppendParameters(builder, Parameters);
        return builder.ToString();
    }

    public static bool TryParse(string? text, out SipNameAddr? value)
    {
        value = null;
        return text is not null && TryParse(text.AsSpan(), out value);
    }

    /// <summary>A comma-separated list respecting quotes and angle brackets; empty when any entry is malformed.</summary>
    public static IReadOnlyList<SipNameAddr> ParseList(string? text) => TryParseList(text, out var list) ? list : [];

    /// <summary>As <see cref="ParseList"/>, saying whether every entry was well formed.</summary>
    public static bool TryParseList(string? text, out IReadOnlyList<SipNameAddr> list)
    {
        list = [];
        if (text is null || !SipGrammar.TrySplitList(text, out var items))
        {
            return false;
        }

        var result = new List<SipNameAddr>(items.Count);
        foreach (var item in items)
        {
            if (!TryParse(item, out var entry))
            {
                return false;
            }

            result.Add(entry!);
        }

        list = result;
        return true;
    }

    private static bool TryParse(ReadOnlySpan<char> text, out SipNameAddr? value)
    {
        value = null;
        text = SipGrammar.TrimWhitespace(text);
        if (text.IsEmpty || text.Length > SipMessageView.MaxLineBytes)
        {
            return false;
        }

        if (text.Length == 1 && text[0] == '*')
        {
            value = Wildcard;
            return true;
        }

        string? displayName = null;
        ReadOnlySpan<char> uriText;
        ReadOnlySpan<char> rest;
        var open = FindAddrOpen(text, out var quoteEnd);
        if (open == -2)
        {
            return false;
        }

        if (open >= 0)
        {
            var display = SipGrammar.TrimWhitespace(text[..open]);
            if (quoteEnd >= 0)
            {
                // quoted-string display name: nothing but whitespace between it and '<'.
                if (text[0] != '"' || !SipGrammar.TrimWhitespace(text[(quoteEnd + 1)..open]).IsEmpty)
                {
                    return false;
                }

                displayName = SipGrammar.Unquote(text[..(quoteEnd + 1)]);
            }
            else if (!display.IsEmpty)
            {
                // *(token LWS): tokens separated by whitespace, joined with one SP (RFC 4475 lwsdisp, baddn).
                var builder = new StringBuilder(display.Length);
                foreach (var range in display.SplitAny(" \t\r\n"))
                {
                    var word = display[range];
                    if (word.IsEmpty)
                    {
                        continue;
                    }

                    if (!SipGrammar.IsToken(word))
                    {
                        return false;
                    }

                    if (builder.Length > 0)
                    {
                        builder.Append(' ');
                    }

                    builder.Append(word);
                }

                displayName = builder.ToString();
            }

            var close = text[open..].IndexOf('>');
            if (close < 0)
            {
                return false;
            }

            // No whitespace inside the brackets (RFC 4475 badaspec is refused, not repaired).
            uriText = text[(open + 1)..(open + close)];
            rest = text[(open + close + 1)..];
        }
        else
        {
            var end = text.IndexOfAny(';', ' ', '\t');
            uriText = end < 0 ? text : text[..end];
            rest = end < 0 ? default : text[end..];
            if (uriText.Contains('?') || uriText.Contains(','))
            {
                return false;
            }
        }

        if (!SipUri.TryParse(uriText, out var uri) || !SipGrammar.TryParseParameters(rest, out var parameters))
        {
            return false;
        }

        value = new SipNameAddr(displayName, uri!, parameters.Freeze());
        return true;
    }

    /// <summary>
    /// Index of the '&lt;' opening a name-addr, -1 for the addr-spec form, -2 for an unterminated
    /// quote (RFC 4475 quotbal). <paramref name="quoteEnd"/> is the closing quote of a quoted
    /// display name before it, or -1.
    /// </summary>
    private static int FindAddrOpen(ReadOnlySpan<char> text, out int quoteEnd)
    {
        quoteEnd = -1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"':
                    if (quoteEnd >= 0)
                    {
                        return -2;
                    }

                    quoteEnd = SipGrammar.FindQuoteEnd(text, i);
                    if (quoteEnd < 0)
                    {
                        return -2;
                    }

                    i = quoteEnd;
                    break;
                case '<':
                    return i;
                case ';':
                    return quoteEnd >= 0 ? -2 : -1;
            }
        }

        return quoteEnd >= 0 ? -2 : -1;
    }

    private static OrderedDictionary<string, string?> Empty() => new(StringComparer.OrdinalIgnoreCase);
}

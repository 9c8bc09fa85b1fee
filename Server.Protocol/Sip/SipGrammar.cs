using System.Runtime.CompilerServices;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// Character classes of RFC 3261 §25.1 and the small scanning routines every SIP text parser
/// here shares (quoted strings, parameter lists, comma lists). Byte and char versions exist
/// because the view scans the wire bytes and the typed values scan decoded strings.
/// </summary>
internal static class SipGrammar
{
    private const byte Token = 1;
    private const byte Unreserved = 2;      // alphanum / mark
    private const byte UserExtra = 4;       // user-unreserved: & = + $ , ; ? /
    private const byte PasswordExtra = 8;   // & = + $ ,
    private const byte ParamExtra = 16;     // param-unreserved: [ ] / : & + $
    private const byte HeaderExtra = 32;    // hnv-unreserved: [ ] / ? : + $
    private const byte HostChar = 64;       // alphanum - . _ (underscore tolerated: seen in the wild)

    private static readonly byte[] Classes = BuildClasses();

    private static byte[] BuildClasses()
    {
        var table = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            var alnum = char.IsAsciiLetterOrDigit((char)c);
            byte bits = 0;
            if (alnum || "-.!%*_+`'~".Contains((char)c, StringComparison.Ordinal))
            {
                bits |= Token;
            }

            if (alnum || "-_.!~*'()".Contains((char)c, StringComparison.Ordinal))
            {
                bits |= Unreserved;
            }

            if ("&=+$,;?/".Contains((char)c, StringComparison.Ordinal))
            {
                bits |= UserExtra;
            }

            if ("&=+$,".Contains((char)c, StringComparison.Ordinal))
            {
                bits |= PasswordExtra;
            }

            if ("[]/:&+$".Contains((char)c, StringComparison.Ordinal))
            {
                bits |= ParamExtra;
            }

            if ("[]/?:+$".Contains((char)c, StringComparison.Ordinal))
            {
                bits |= HeaderExtra;
            }

            if (alnum || c is '-' or '.' or '_')
            {
                bits |= HostChar;
            }

            table[c] = bits;
        }

        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Has(int c, byte bits) => (uint)c < 128 && (Classes[c] & bits) != 0;

    public static bool IsToken(int c) => Has(c, Token);

    public static bool IsUnreserved(int c) => Has(c, Unreserved);

    public static bool IsUserChar(int c) => Has(c, Unreserved | UserExtra);

    public static bool IsPasswordChar(int c) => Has(c, Unreserved | PasswordExtra);

    public static bool IsParamChar(int c) => Has(c, Unreserved | ParamExtra);

    public static bool IsHeaderChar(int c) => Has(c, Unreserved | HeaderExtra);

    public static bool IsHostChar(int c) => Has(c, HostChar);

    public static bool IsWhitespace(int c) => c is ' ' or '\t' or '\r' or '\n';

    public static bool IsToken(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (!IsToken(b))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsToken(c))
            {
                return false;
            }
        }

        return true;
    }

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> text)
    {
        var start = 0;
        while (start < text.Length && IsWhitespace(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    public static ReadOnlySpan<char> TrimWhitespace(ReadOnlySpan<char> text)
    {
        var start = 0;
        while (start < text.Length && IsWhitespace(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>ASCII case-insensitive equality of two byte strings (header names, schemes).</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && ToLower(a[i]) != ToLower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ToLower(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

    /// <summary>
    /// Parses 1*DIGIT with leading zeros allowed ("0068", RFC 4475 wsinv) into a value no larger
    /// than <paramref name="max"/>; false on anything else, including overflow.
    /// </summary>
    public static bool TryParseDigits(ReadOnlySpan<byte> text, long max, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
            if (value > max)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParseDigits(ReadOnlySpan<char> text, long max, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
            if (value > max)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Index of the closing DQUOTE of the quoted-string that opens at <paramref name="open"/>,
    /// honouring quoted-pairs (RFC 3261 §25.1); -1 when it is unterminated.
    /// </summary>
    public static int FindQuoteEnd(ReadOnlySpan<char> text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The content of a quoted-string with its quoted-pairs resolved.</summary>
    public static string Unquote(ReadOnlySpan<char> quoted)
    {
        var inner = quoted[1..^1];
        if (!inner.Contains('\\'))
        {
            return inner.ToString();
        }

        var builder = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            builder.Append(inner[i]);
        }

        return builder.ToString();
    }

    /// <summary>
    /// A quoted-string for <paramref name="text"/>: DQUOTE, backslash and control characters
    /// escaped as quoted-pairs; CR and LF, which no quoted-pair may carry, become SP.
    /// </summary>
    public static string Quote(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length + 8);
        builder.Append('"');
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                builder.Append(' ');
                continue;
            }

            if (c is '"' or '\\' or (char)0x7F || (c < ' ' && c != '\t'))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// Splits a header value at the commas that separate list elements (RFC 3261 §7.3.1),
    /// ignoring commas inside quoted strings and angle brackets. False when a quote or bracket
    /// is unbalanced or an element is empty (RFC 4475 badinv01: "a;,,").
    /// </summary>
    public static bool TrySplitList(string text, out List<string> items)
    {
        items = [];
        var span = text.AsSpan();
        var start = 0;
        var inAngle = false;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i == span.Length || (span[i] == ',' && !inAngle))
            {
                var item = TrimWhitespace(span[start..i]);
                if (item.IsEmpty)
                {
                    return false;
                }

                items.Add(item.ToString());
                start = i + 1;
                continue;
            }

            switch (span[i])
            {
                case '"':
                    var end = FindQuoteEnd(span, i);
                    if (end < 0)
                    {
                        return false;
                    }

                    i = end;
                    break;
                case '<':
                    if (inAngle)
                    {
                        return false;
                    }

                    inAngle = true;
                    break;
                case '>':
                    if (!inAngle)
                    {
                        return false;
                    }

                    inAngle = false;
                    break;
            }
        }

        return !inAngle;
    }

    /// <summary>
    /// Reads <c>*( SEMI generic-param )</c> (RFC 3261 §25.1) from <paramref name="text"/> into an
    /// ordered, case-insensitive map. Names are tokens; a value is a token, a host (IPv6
    /// references included) or a quoted-string kept with its quotes so it writes back as read.
    /// LWS is allowed around ';' and '='. Repeated names are refused: the RFCs never repeat a
    /// header parameter and a second "tag" would be ambiguous.
    /// </summary>
    public static bool TryParseParameters(ReadOnlySpan<char> text, out OrderedDictionary<string, string?> parameters)
    {
        parameters = new OrderedDictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (true)
        {
            while (i < text.Length && IsWhitespace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                return true;
            }

            if (text[i] != ';')
            {
                return false;
            }

            i++;
            while (i < text.Length && IsWhitespace(text[i]))
            {
                i++;
            }

            var nameStart = i;
            while (i < text.Length && IsToken(text[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                return false;
            }

            var name = text[nameStart..i].ToString();
            while (i < text.Length && IsWhitespace(text[i]))
            {
                i++;
            }

            string? value = null;
            if (i < text.Length && text[i] == '=')
            {
                i++;
                while (i < text.Length && IsWhitespace(text[i]))
                {
                    i++;
                }

                var valueStart = i;
                if (i < text.Length && text[i] == '"')
                {
                    var end = FindQuoteEnd(text, i);
                    if (end < 0)
                    {
                        return false;
                    }

                    i = end + 1;
                }
                else
                {
                    while (i < text.Length && (IsToken(text[i]) || text[i] is ':' or '[' or ']'))
                    {
                        i++;
                    }
                }

                if (i == valueStart)
                {
                    return false;
                }

                value = text[valueStart..i].ToString();
            }

            if (!parameters.TryAdd(name, value))
            {
                return false;
            }
        }
    }

    /// <summary>A read-only wrapper, so records holding parameter maps stay immutable.</summary>
    public static IReadOnlyDictionary<string, TValue> Freeze<TValue>(this OrderedDictionary<string, TValue> map) =>
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, TValue>(map);

    public static void AppendParameters(System.Text.StringBuilder builder, IReadOnlyDictionary<string, string?> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            builder.Append(';').Append(name);
            if (value is not null)
            {
                builder.Append('=').Append(value);
            }
        }
    }
}

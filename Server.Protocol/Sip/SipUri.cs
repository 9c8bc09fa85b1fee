using System.Globalization;
using System.Text;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// A SIP, SIPS or tel URI (RFC 3261 §19.1, §25.1; RFC 3966), or any other absolute URI kept
/// opaque (RFC 4475 unksm2 puts one in To).
/// <code>
///  SIP-URI   =  "sip:" [ userinfo ] hostport uri-parameters [ headers ]
///  userinfo  =  ( user / telephone-subscriber ) [ ":" password ] "@"
///  hostport  =  host [ ":" port ]        host = hostname / IPv4address / "[" IPv6address "]"
///  uri-parameters = *( ";" pname [ "=" pvalue ] )
///  headers   =  "?" hname "=" hvalue *( "&" hname "=" hvalue )
///  tel URI   =  "tel:" number *( ";" par )
/// </code>
/// Users, passwords, parameters and headers are held unescaped (RFC 4475 esc01: "sip:%75se%72@..."
/// has the user "user", ";%6C%72" is lr) and escaped again where §25.1 requires on output;
/// parameter and header names compare case-insensitively. An IPv6 host keeps its brackets. For tel,
/// <see cref="User"/> is the number and <see cref="Host"/> is empty; for other schemes
/// <see cref="Opaque"/> holds everything after the colon. Equality is that of the canonical
/// text (<see cref="ToString"/>), which is what a round trip preserves.
/// </summary>
public sealed record SipUri(
    string Scheme,
    string? User,
    string Host,
    int? Port,
    IReadOnlyDictionary<string, string?> Parameters,
    IReadOnlyDictionary<string, string> Headers)
{
    private static readonly IReadOnlyDictionary<string, string?> NoParameters =
        new OrderedDictionary<string, string?>(StringComparer.OrdinalIgnoreCase).Freeze();

    private static readonly IReadOnlyDictionary<string, string> NoHeaders =
        new OrderedDictionary<string, string>(StringComparer.OrdinalIgnoreCase).Freeze();

    /// <summary>A sip: URI with no parameters or headers.</summary>
    public SipUri(string scheme, string? user, string host, int? port = null)
        : this(scheme, user, host, port, NoParameters, NoHeaders)
    {
    }

    /// <summary>The unescaped password of sip:user:password@host (deprecated by RFC 3261 §19.1.1, still parsed).</summary>
    public string? Password { get; init; }

    /// <summary>For schemes other than sip, sips and tel: the text after "scheme:", as written.</summary>
    public string? Opaque { get; init; }

    public bool IsSip => Scheme is "sip" or "sips";

    /// <summary>The transport parameter, lowercased; null when absent.</summary>
    public string? Transport =>
        Parameters.TryGetValue("transport", out var value) && value is not null ? value.ToLowerInvariant() : null;

    /// <summary>A copy with the URI parameter set (added at the end, or replaced in place); null value for a flag such as lr.</summary>
    public SipUri WithParameter(string name, string? value)
    {
        var copy = new OrderedDictionary<string, string?>(Parameters, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return this with { Parameters = copy.Freeze() };
    }

    public bool Equals(SipUri? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>
    /// The canonical text: lowercase scheme, user and password escaped where §25.1 requires,
    /// then host, port, parameters and headers as held.
    /// </summary>
    public override string ToString()
    {
        var builder = new StringBuilder(64);
        builder.Append(Scheme).Append(':');
        if (Opaque is not null)
        {
            return builder.Append(Opaque).ToString();
        }

        if (Scheme == "tel")
        {
            builder.Append(User);
        }
        else
        {
            if (!string.IsNullOrEmpty(User))
            {
                AppendEscaped(builder, User, SipGrammar.IsUserChar);
                if (Password is not null)
                {
                    builder.Append(':');
                    AppendEscaped(builder, Password, SipGrammar.IsPasswordChar);
                }

                builder.Append('@');
            }

            builder.Append(Host);
            if (Port is { } port)
            {
                builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
            }
        }

        foreach (var (name, value) in Parameters)
        {
            builder.Append(';');
            AppendEscaped(builder, name, SipGrammar.IsParamChar);
            if (value is not null)
            {
                builder.Append('=');
                AppendEscaped(builder, value, SipGrammar.IsParamChar);
            }
        }

        var separator = '?';
        foreach (var (name, value) in Headers)
        {
            builder.Append(separator);
            AppendEscaped(builder, name, SipGrammar.IsHeaderChar);
            builder.Append('=');
            AppendEscaped(builder, value, SipGrammar.IsHeaderChar);
            separator = '&';
        }

        return builder.ToString();
    }

    public static bool TryParse(string? text, out SipUri? uri)
    {
        uri = null;
        return text is not null && TryParse(text.AsSpan(), out uri);
    }

    internal static bool TryParse(ReadOnlySpan<char> text, out SipUri? uri)
    {
        uri = null;
        var colon = text.IndexOf(':');
        if (colon <= 0 || text.Length > SipMessageView.MaxLineBytes || !IsScheme(text[..colon]))
        {
            return false;
        }

        var scheme = text[..colon].ToString().ToLowerInvariant();
        var rest = text[(colon + 1)..];
        return scheme switch
        {
            "sip" or "sips" => TryParseSip(scheme, rest, out uri),
            "tel" => TryParseTel(rest, out uri),
            _ => TryParseOpaque(scheme, rest, out uri),
        };
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseSip(string scheme, ReadOnlySpan<char> rest, out SipUri? uri)
    {
        uri = null;
        string? user = null;
        string? password = null;

        // A user may contain ';' '?' '/' (RFC 4475 intmeth) but never an unescaped '@', so the
        // first '@' ends the userinfo.
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userinfo = rest[..at];
            var passwordColon = userinfo.IndexOf(':');
            var userText = passwordColon < 0 ? userinfo : userinfo[..passwordColon];
            if (userText.IsEmpty || !TryUnescape(userText, SipGrammar.IsUserChar, out user))
            {
                return false;
            }

            if (passwordColon >= 0 && !TryUnescape(userinfo[(passwordColon + 1)..], SipGrammar.IsPasswordChar, out password))
            {
                return false;
            }

            rest = rest[(at + 1)..];
        }

        var hostEnd = rest.IndexOfAny(';', '?');
        var hostport = hostEnd < 0 ? rest : rest[..hostEnd];
        if (!TryParseHostPort(hostport, out var host, out var port))
        {
            return false;
        }

        rest = hostEnd < 0 ? default : rest[hostEnd..];
        var question = rest.IndexOf('?');
        var parameterText = question < 0 ? rest : rest[..question];
        if (!TryParseUriParameters(parameterText, out var parameters))
        {
            return false;
        }

        var headers = new OrderedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (question >= 0 && !TryParseUriHeaders(rest[(question + 1)..], headers))
        {
            return false;
        }

        uri = new SipUri(scheme, user, host!, port, parameters.Freeze(), headers.Count == 0 ? NoHeaders : headers.Freeze())
        {
            Password = password,
        };
        return true;
    }

    /// <summary>tel: the number up to the first ';' (visual separators kept), then parameters.</summary>
    private static bool TryParseTel(ReadOnlySpan<char> rest, out SipUri? uri)
    {
        uri = null;
        var semicolon = rest.IndexOf(';');
        var number = semicolon < 0 ? rest : rest[..semicolon];
        if (number.IsEmpty)
        {
            return false;
        }

        foreach (var c in number)
        {
            if (!char.IsAsciiHexDigit(c) && c is not ('+' or '-' or '.' or '(' or ')' or '*' or '#'))
            {
                return false;
            }
        }

        if (!TryParseUriParameters(semicolon < 0 ? default : rest[semicolon..], out var parameters))
        {
            return false;
        }

        uri = new SipUri("tel", number.ToString(), string.Empty, null, parameters.Freeze(), NoHeaders);
        return true;
    }

    private static bool TryParseOpaque(string scheme, ReadOnlySpan<char> rest, out SipUri? uri)
    {
        uri = null;
        if (rest.IsEmpty)
        {
            return false;
        }

        foreach (var c in rest)
        {
            if (c <= ' ' || c is '<' or '>' or '"' or (char)0x7F)
            {
                return false;
            }
        }

        uri = new SipUri(scheme, null, string.Empty, null, NoParameters, NoHeaders) { Opaque = rest.ToString() };
        return true;
    }

    /// <summary>host [":" port]: a hostname or IPv4 address, or an IPv6 reference in brackets.</summary>
    internal static bool TryParseHostPort(ReadOnlySpan<char> text, out string? host, out int? port)
    {
        host = null;
        port = null;
        ReadOnlySpan<char> hostText;
        ReadOnlySpan<char> portText = default;
        var hasPort = false;
        if (text.Length > 0 && text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0 || !IsIPv6(text[1..close]))
            {
                return false;
            }

            hostText = text[..(close + 1)];
            var after = text[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                hasPort = true;
                portText = after[1..];
            }
        }
        else
        {
            var colon = text.IndexOf(':');
            hostText = colon < 0 ? text : text[..colon];
            if (colon >= 0)
            {
                hasPort = true;
                portText = text[(colon + 1)..];
            }

            if (!IsHostname(hostText))
            {
                return false;
            }
        }

        if (hasPort)
        {
            if (!SipGrammar.TryParseDigits(portText, 65535, out var value))
            {
                return false;
            }

            port = (int)value;
        }

        host = hostText.ToString();
        return true;
    }

    private static bool IsHostname(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] is '.' or '-')
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!SipGrammar.IsHostChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIPv6(ReadOnlySpan<char> text)
    {
        if (text.Length < 2)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c is not (':' or '.'))
            {
                return false;
            }
        }

        return System.Net.IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    /// <summary>;pname[=pvalue] with paramchar names and values (escapes allowed, kept as written).</summary>
    private static bool TryParseUriParameters(ReadOnlySpan<char> text, out OrderedDictionary<string, string?> parameters)
    {
        parameters = new OrderedDictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (text.IsEmpty)
        {
            return true;
        }

        if (text[0] != ';')
        {
            return false;
        }

        foreach (var range in text[1..].Split(';'))
        {
            var parameter = text[1..][range];
            var equals = parameter.IndexOf('=');
            var nameText = equals < 0 ? parameter : parameter[..equals];
            if (nameText.IsEmpty || !TryUnescape(nameText, SipGrammar.IsParamChar, out var name))
            {
                return false;
            }

            string? value = null;
            if (equals >= 0)
            {
                var valueText = parameter[(equals + 1)..];
                if (valueText.IsEmpty || !TryUnescape(valueText, SipGrammar.IsParamChar, out value))
                {
                    return false;
                }
            }

            if (!parameters.TryAdd(name!, value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseUriHeaders(ReadOnlySpan<char> text, OrderedDictionary<string, string> headers)
    {
        foreach (var range in text.Split('&'))
        {
            var header = text[range];
            var equals = header.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            if (!TryUnescape(header[..equals], SipGrammar.IsHeaderChar, out var name)
                || !TryUnescape(header[(equals + 1)..], SipGrammar.IsHeaderChar, out var value)
                || !headers.TryAdd(name!, value!))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every character allowed by <paramref name="allowed"/> or part of a well-formed %HH escape.</summary>
    private static bool IsEscapedText(ReadOnlySpan<char> text, Func<int, bool> allowed)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (!allowed(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Resolves %HH escapes (as UTF-8) after checking every other character against <paramref name="allowed"/>.</summary>
    private static bool TryUnescape(ReadOnlySpan<char> text, Func<int, bool> allowed, out string? result)
    {
        result = null;
        if (!IsEscapedText(text, allowed))
        {
            return false;
        }

        if (!text.Contains('%'))
        {
            result = text.ToString();
            return true;
        }

        var bytes = new byte[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                bytes[count++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else
            {
                bytes[count++] = (byte)text[i];
            }
        }

        result = Encoding.UTF8.GetString(bytes, 0, count);
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Writes <paramref name="text"/> with every character outside <paramref name="allowed"/> as %HH of its UTF-8 bytes.</summary>
    private static void AppendEscaped(StringBuilder builder, string text, Func<int, bool> allowed)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (allowed(c))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < text.Length
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), utf8);
            for (var j = 0; j < length; j++)
            {
                builder.Append('%').Append(utf8[j].ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }
}

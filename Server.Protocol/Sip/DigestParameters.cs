namespace MediaServer.Protocol.Sip;

/// <summary>
/// The comma-separated auth-params after "Digest" (RFC 7616 §3.3, §3.4; RFC 3261 §25.1):
/// <c>name = ( token / quoted-string )</c>, names case-insensitive, quoted values unquoted.
/// A repeated name or any other scheme makes the whole value unreadable.
/// </summary>
internal static class DigestParameters
{
    public static bool TryParse(string? headerValue, out Dictionary<string, string?> parameters)
    {
        parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (headerValue is null || headerValue.Length > SipMessageView.MaxLineBytes)
        {
            return false;
        }

        var text = SipGrammar.TrimWhitespace(headerValue.AsSpan());
        if (text.Length <= 6 || !text[..6].Equals("Digest", StringComparison.OrdinalIgnoreCase) || !SipGrammar.IsWhitespace(text[6]))
        {
            return false;
        }

        var i = 6;
        while (true)
        {
            SkipWhitespace(text, ref i);
            var nameStart = i;
            while (i < text.Length && SipGrammar.IsToken(text[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                return false;
            }

            var name = text[nameStart..i].ToString();
            SkipWhitespace(text, ref i);
            if (i >= text.Length || text[i] != '=')
            {
                return false;
            }

            i++;
            SkipWhitespace(text, ref i);
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = SipGrammar.FindQuoteEnd(text, i);
                if (end < 0)
                {
                    return false;
                }

                value = SipGrammar.Unquote(text[i..(end + 1)]);
                i = end + 1;
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && SipGrammar.IsToken(text[i]))
                {
                    i++;
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

            SkipWhitespace(text, ref i);
            if (i == text.Length)
            {
                return true;
            }

            if (text[i] != ',')
            {
                return false;
            }

            i++;
        }
    }

    private static void SkipWhitespace(ReadOnlySpan<char> text, ref int i)
    {
        while (i < text.Length && SipGrammar.IsWhitespace(text[i]))
        {
            i++;
        }
    }
}

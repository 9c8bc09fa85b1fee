namespace MediaServer.Mixer.Video;

/// <summary>
/// The text of a <c>vid-banner</c> command as it comes off the wire. Verto clients pass the
/// banner through JavaScript's <c>escape()</c> (spaces as <c>%20</c>, non-Latin-1 characters as
/// <c>%u263A</c>), so the mixer undoes that with the matching <c>unescape()</c> and caps the
/// length. Pure functions; any thread.
/// </summary>
public static class BannerText
{
    /// <summary>The longest banner kept, in UTF-16 code units; the strip cuts far shorter text with an ellipsis anyway.</summary>
    public const int MaxLength = 200;

    /// <summary>
    /// JavaScript <c>unescape()</c> (ECMA-262 Annex B.2.1.2): <c>%uXXXX</c> becomes that UTF-16
    /// code unit, <c>%XX</c> that Latin-1 character, and a <c>%</c> not followed by a whole
    /// sequence of hex digits stays as it is, as do <c>+</c> signs (escape() never writes them
    /// for spaces). The result is cut to <see cref="MaxLength"/> code units, never between the
    /// halves of a surrogate pair. Returns <paramref name="jsEscaped"/> itself when there is
    /// nothing to do.
    /// </summary>
    public static string Unescape(string jsEscaped)
    {
        ArgumentNullException.ThrowIfNull(jsEscaped);
        var source = jsEscaped.AsSpan();
        if (!source.Contains('%'))
        {
            return source.Length <= MaxLength ? jsEscaped : new string(source[..SafeLength(source, MaxLength)]);
        }

        Span<char> result = stackalloc char[MaxLength + 1];
        var length = 0;
        for (var k = 0; k < source.Length && length <= MaxLength;)
        {
            var c = source[k];
            if (c == '%')
            {
                if (k + 6 <= source.Length && source[k + 1] == 'u' && TryParseHex(source.Slice(k + 2, 4), out var unit))
                {
                    result[length++] = (char)unit;
                    k += 6;
                    continue;
                }

                if (k + 3 <= source.Length && TryParseHex(source.Slice(k + 1, 2), out var latin1))
                {
                    result[length++] = (char)latin1;
                    k += 3;
                    continue;
                }
            }

            result[length++] = c;
            k++;
        }

        // One code unit past the cap tells SafeLength whether the last kept one starts a pair.
        return new string(result[..SafeLength(result[..length], MaxLength)]);
    }

    /// <summary>
    /// True when the (unescaped) text asks to remove the moderator's banner rather than show
    /// a text: <c>vid-banner &lt;member&gt; reset</c>, or <c>clear</c> as FreeSWITCH also
    /// accepts; either case, surrounding white space ignored. The member's name shows again.
    /// </summary>
    public static bool IsRemoval(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var word = text.AsSpan().Trim();
        return word.Equals("reset", StringComparison.OrdinalIgnoreCase) || word.Equals("clear", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The banner to show: the moderator's text if one is set, else the member's name.</summary>
    public static string Effective(string? moderatorText, string memberName) =>
        string.IsNullOrEmpty(moderatorText) ? memberName : moderatorText;

    /// <summary>How many of <paramref name="text"/>'s code units to keep for at most <paramref name="limit"/>, not splitting a surrogate pair.</summary>
    private static int SafeLength(ReadOnlySpan<char> text, int limit)
    {
        if (text.Length <= limit)
        {
            return text.Length;
        }

        return char.IsHighSurrogate(text[limit - 1]) && char.IsLowSurrogate(text[limit]) ? limit - 1 : limit;
    }

    private static bool TryParseHex(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= '0' and <= '9' => digit - '0',
                >= 'a' and <= 'f' => digit - 'a' + 10,
                >= 'A' and <= 'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | nibble;
        }

        return true;
    }
}

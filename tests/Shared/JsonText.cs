namespace MediaServer.Tests.Shared;

/// <summary>
/// Reading JSON text as text, for the property tests that damage valid JSON in place (swap a
/// value, cut a member): where a value ends, without parsing. Linked into both test projects.
/// </summary>
internal static class JsonText
{
    /// <summary>Where the JSON value starting at <paramref name="start"/> ends: the comma or closing bracket after it, or the end of the text (good enough for well-formed seeds).</summary>
    public static int ValueEnd(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']' when depth == 0:
                    return i;
                case '}' or ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    return i;
            }
        }

        return text.Length;
    }
}

using System.Text.Json;
using System.Text.Unicode;

namespace MediaServer.Protocol.JsonRpc;

/// <summary>
/// Turns one WebSocket text frame into a <see cref="JsonDocument"/>. A frame holds exactly one
/// JSON value (an object, or an array for a batch); anything else is "not parseable".
/// </summary>
public static class JsonRpcFrame
{
    /// <summary>Nesting deeper than this is refused: no Verto message comes close, and it bounds the parser's work.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// Parses the frame. Returns false for invalid UTF-8, invalid JSON, trailing data after
    /// the value, or nesting deeper than <see cref="MaxDepth"/>. The caller disposes the document.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> frame, out JsonDocument? document)
    {
        // The reader checks structure but not the bytes inside strings; a bad sequence there
        // would only throw later, deep in a handler. WebSocket text frames must be UTF-8 anyway.
        if (!Utf8.IsValid(frame.Span))
        {
            document = null;
            return false;
        }

        try
        {
            document = JsonDocument.Parse(frame, Options);
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }

        if (HasLoneSurrogateEscape(frame.Span))
        {
            document.Dispose();
            document = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// True when a \u escape makes a lone UTF-16 surrogate ("\ud800" without its low half, or a
    /// low half alone). Such a string is valid JSON but not text: every later read of it throws,
    /// so, like invalid UTF-8, it is refused here once instead of in each handler. Called on a
    /// frame that parsed, so a backslash is always inside a string.
    /// </summary>
    private static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var i = json.IndexOf((byte)'\\');
        if (i < 0)
        {
            return false;
        }

        var expectLow = false;
        while (i < json.Length)
        {
            if (json[i] != (byte)'\\')
            {
                if (expectLow)
                {
                    return true;
                }

                i++;
                continue;
            }

            if (json[i + 1] != (byte)'u')
            {
                if (expectLow)
                {
                    return true;
                }

                i += 2;
                continue;
            }

            // The parser already checked the four hex digits.
            var unit = (HexValue(json[i + 2]) << 12) | (HexValue(json[i + 3]) << 8) | (HexValue(json[i + 4]) << 4) | HexValue(json[i + 5]);
            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (expectLow != isLow)
            {
                return true;
            }

            expectLow = isHigh;
            i += 6;
        }

        return expectLow;
    }

    private static int HexValue(byte digit) => digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10;
}

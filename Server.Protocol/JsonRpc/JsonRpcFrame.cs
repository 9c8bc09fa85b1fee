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
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }
}

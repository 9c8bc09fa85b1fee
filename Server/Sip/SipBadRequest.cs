using System.Text;

namespace MediaServer.Sip;

/// <summary>
/// The answer to a request that does not parse (RFC 3261 §16.3 / §21.4.1 400 Bad Request).
/// Its Via, From, To, Call-ID and CSeq lines are copied verbatim when they can be found, so
/// the sender can match the answer; without a Via line nothing can be answered. Responses
/// that do not parse are never answered.
/// </summary>
internal static class SipBadRequest
{
    private static readonly string[] Copied = ["via", "v", "from", "f", "to", "t", "call-id", "i", "cseq"];

    /// <summary>Builds the 400 (or the parser's status) for <paramref name="data"/>; false when it is no request or has no Via.</summary>
    public static bool TryBuild(ReadOnlySpan<byte> data, int status, string reason, out byte[] response)
    {
        response = [];
        var text = Encoding.UTF8.GetString(data[..Math.Min(data.Length, 16 * 1024)]);
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[0].StartsWith("SIP/", StringComparison.OrdinalIgnoreCase) || !lines[0].Contains("SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var builder = new StringBuilder(512);
        builder.Append("SIP/2.0 ").Append(status).Append(' ').Append(Clean(reason)).Append("\r\n");
        var hasVia = false;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            if (Array.IndexOf(Copied, name) < 0 || line.Length > 2048 || line.Any(c => c < ' ' && c != '\t'))
            {
                continue;
            }

            hasVia |= name is "via" or "v";
            builder.Append(line).Append("\r\n");
        }

        if (!hasVia)
        {
            return false;
        }

        builder.Append("Content-Length: 0\r\n\r\n");
        response = Encoding.UTF8.GetBytes(builder.ToString());
        return true;
    }

    /// <summary>A reason phrase is one line of printable text.</summary>
    private static string Clean(string reason) => new(reason.Where(c => c >= ' ' && c != '\x7f').Take(200).ToArray());
}

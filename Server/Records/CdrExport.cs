using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MediaServer.Records;

/// <summary>
/// Call detail records as the admin export writes them: a JSON array of objects, or CSV per
/// RFC 4180 (a header row, CRLF line ends, fields with a comma, quote or line break quoted,
/// quotes doubled). Both have the same fields in the same order; times are UTC ISO 8601 with
/// milliseconds (<c>2025-01-31T12:00:00.000Z</c>), absent values are null in JSON and empty in CSV.
/// </summary>
internal static class CdrExport
{
    /// <summary>The field names, in order: JSON keys and the CSV header.</summary>
    public static readonly string[] Fields =
    [
        "id", "kind", "callId", "room", "memberId", "direction", "user", "callerIdName", "callerIdNumber", "protocol", "remoteAddress",
        "destination", "startedAt", "answeredAt", "endedAt", "hangupCause", "hangupCauseCode", "audioCodec", "videoCodec",
        "packetsSent", "packetsReceived", "packetsLost", "jitterMs", "roundTripMs", "mos",
    ];

    public static byte[] ToJson(IReadOnlyList<CallDetailRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var record in records)
            {
                json.WriteStartObject();
                var values = Values(record);
                for (var i = 0; i < Fields.Length; i++)
                {
                    switch (values[i])
                    {
                        case null:
                            json.WriteNull(Fields[i]);
                            break;
                        case string text:
                            json.WriteString(Fields[i], text);
                            break;
                        case long number:
                            json.WriteNumber(Fields[i], number);
                            break;
                        case int number:
                            json.WriteNumber(Fields[i], number);
                            break;
                        case double number:
                            json.WriteNumber(Fields[i], number);
                            break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    public static string ToCsv(IReadOnlyList<CallDetailRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        AppendRow(text, Fields);
        foreach (var record in records)
        {
            AppendRow(text, Values(record));
        }

        return text.ToString();
    }

    /// <summary>UTC, ISO 8601, milliseconds, Z.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static object?[] Values(CallDetailRecord r) =>
    [
        r.Id, r.Kind, r.CallId, r.Room, r.MemberId, r.Direction, r.User, r.CallerIdName, r.CallerIdNumber, r.Protocol, r.RemoteAddress,
        r.Destination, Timestamp(r.StartedAt), r.AnsweredAt is { } answered ? Timestamp(answered) : null, Timestamp(r.EndedAt),
        r.HangupCause, r.HangupCauseCode, r.AudioCodec, r.VideoCodec,
        r.PacketsSent, r.PacketsReceived, r.PacketsLost, r.JitterMs, r.RoundTripMs, r.Mos,
    ];

    private static void AppendRow(StringBuilder text, IReadOnlyList<object?> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var field = values[i] switch
            {
                null => string.Empty,
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? string.Empty,
            };
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(field);
            }
        }

        text.Append("\r\n");
    }
}

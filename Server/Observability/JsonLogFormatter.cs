using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace MediaServer.Observability;

/// <summary>
/// <c>--log-format json</c>: one JSON object per line, as the framework's JSON console writes it
/// (<c>Timestamp</c> UTC, <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>, <c>Message</c>, the event's
/// named fields under <c>State</c>, the scopes under <c>Scopes</c>), plus <c>EventName</c> (the
/// LoggerMessage method's name, e.g. <c>MediaFailed</c>), which the framework's formatter leaves
/// out and an operator filters on more easily than on a number. Scopes that are lists of fields (a call's
/// <see cref="CallLogScope"/>) are written as objects.
/// </summary>
internal sealed class JsonLogFormatter : ConsoleFormatter
{
    public const string FormatterName = "mediaserver-json";

    public JsonLogFormatter()
        : base(FormatterName)
    {
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", DateTime.UtcNow.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("EventId", logEntry.EventId.Id);
            if (!string.IsNullOrEmpty(logEntry.EventId.Name))
            {
                json.WriteString("EventName", logEntry.EventId.Name);
            }

            json.WriteString("LogLevel", logEntry.LogLevel.ToString());
            json.WriteString("Category", logEntry.Category);
            json.WriteString("Message", message);
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("Exception", exception.ToString());
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                json.WriteStartObject("State");
                WriteFields(json, fields);
                json.WriteEndObject();
            }

            json.WriteStartArray("Scopes");
            scopeProvider?.ForEachScope(
                static (scope, writer) =>
                {
                    if (scope is IReadOnlyList<KeyValuePair<string, object?>> scopeFields)
                    {
                        writer.WriteStartObject();
                        WriteFields(writer, scopeFields);
                        writer.WriteEndObject();
                    }
                    else if (scope is not null)
                    {
                        writer.WriteStringValue(scope.ToString());
                    }
                },
                json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write(Environment.NewLine);
    }

    private static void WriteFields(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        foreach (var (name, value) in fields)
        {
            // "{OriginalFormat}" is the message template; Message already holds the text.
            if (name == "{OriginalFormat}")
            {
                continue;
            }

            switch (value)
            {
                case null:
                    json.WriteNull(name);
                    break;
                case int or long or short or byte or uint or ulong or ushort:
                    json.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal:
                    json.WriteNumber(name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                default:
                    json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
    }
}

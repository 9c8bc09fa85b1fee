using MediaServer.Protocol.JsonRpc;

namespace MediaServer.Protocol.Verto;

/// <summary>
/// Writes the event objects that carry live-array changes (verto-protocol.md §8.1). The
/// result is the event (the params of a verto.event) ready for <see cref="VertoEventEnvelope"/>:
/// <code>
/// {"eventChannel":C,"data":{"action":"add","name":N,"hashKey":K,"wireSerno":S,"arrIndex":I,"data":ROW}}
/// {"eventChannel":C,"sessid":S,"data":{"action":"bootObj","name":N,"wireSerno":-1,"data":[[K,ROW],...]}}
/// </code>
/// </summary>
public static class LiveArrayPacket
{
    public const string Add = "add";
    public const string Modify = "modify";
    public const string Delete = "del";
    public const string Clear = "clear";
    public const string BootObj = "bootObj";

    /// <summary>
    /// An add, modify or del packet. <paramref name="rowJson"/> is the row as valid JSON (the caller
    /// took it from a parsed document); <paramref name="arrIndex"/> is left out when null (FS omits it on modify).
    /// </summary>
    public static byte[] Change(string channel, string action, string name, long wireSerno, string hashKey, int? arrIndex, ReadOnlySpan<byte> rowJson)
    {
        var writer = JsonRpcWriter.Rent();
        writer.WriteStartObject();
        writer.WriteString("eventChannel"u8, channel);
        writer.WritePropertyName("data"u8);
        writer.WriteStartObject();
        writer.WriteString("action"u8, action);
        writer.WriteString("name"u8, name);
        writer.WriteString("hashKey"u8, hashKey);
        writer.WriteNumber("wireSerno"u8, wireSerno);
        if (arrIndex is { } index)
        {
            writer.WriteNumber("arrIndex"u8, index);
        }

        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(rowJson, skipInputValidation: true);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return JsonRpcWriter.End(writer);
    }

    /// <summary>
    /// A clear packet (wireSerno -1, resets the client's serno tracking). With a sessid it is
    /// a private packet for one connection, used to re-sync a client just before a bootObj.
    /// </summary>
    public static byte[] ClearAll(string channel, string name, string? sessid)
    {
        var writer = JsonRpcWriter.Rent();
        writer.WriteStartObject();
        writer.WriteString("eventChannel"u8, channel);
        if (sessid is not null)
        {
            writer.WriteString("sessid"u8, sessid);
        }

        writer.WritePropertyName("data"u8);
        writer.WriteStartObject();
        writer.WriteString("action"u8, Clear);
        writer.WriteString("name"u8, name);
        writer.WriteNumber("wireSerno"u8, -1);
        writer.WritePropertyName("data"u8);
        writer.WriteStartObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return JsonRpcWriter.End(writer);
    }

    /// <summary>The private bootObj answering a bootstrap: every row in array order, wireSerno -1.</summary>
    public static byte[] Boot(string channel, string name, string sessid, IEnumerable<KeyValuePair<string, byte[]>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var writer = JsonRpcWriter.Rent();
        writer.WriteStartObject();
        writer.WriteString("eventChannel"u8, channel);
        writer.WriteString("sessid"u8, sessid);
        writer.WritePropertyName("data"u8);
        writer.WriteStartObject();
        writer.WriteString("action"u8, BootObj);
        writer.WriteString("name"u8, name);
        writer.WriteNumber("wireSerno"u8, -1);
        writer.WritePropertyName("data"u8);
        writer.WriteStartArray();
        foreach (var (key, row) in rows)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(key);
            writer.WriteRawValue(row, skipInputValidation: true);

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return JsonRpcWriter.End(writer);
    }

    /// <summary>Writes a JSON string value (quotes and escapes included), e.g. a subscription name for the envelope.</summary>
    public static byte[] JsonString(string value)
    {
        var writer = JsonRpcWriter.Rent();
        writer.WriteStringValue(value);
        return JsonRpcWriter.End(writer);
    }

}

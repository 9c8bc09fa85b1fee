using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Protocol.JsonRpc;

/// <summary>
/// Writes JSON-RPC 2.0 messages as UTF-8 bytes ready for one WebSocket text frame.
/// Each call returns a fresh array sized exactly to the message (it goes into a send
/// queue and outlives the call); the scratch writer behind it is reused per thread.
/// </summary>
public static class JsonRpcWriter
{
    /// <summary>Relaxed escaping: text such as chat keeps its characters instead of \uXXXX; still valid JSON.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// <c>{"jsonrpc":"2.0","id":ID,"result":{...,"sessid":S}}</c>. Verto puts the connection's
    /// sessid into every result (§1.2); a sessid member already in <paramref name="result"/> is replaced.
    /// </summary>
    public static byte[] Result(JsonElement id, JsonObject? result, string? sessid)
    {
        var writer = Begin(id);
        writer.WritePropertyName("result"u8);
        writer.WriteStartObject();
        if (result is not null)
        {
            foreach (var (name, value) in result)
            {
                if (sessid is not null && name == "sessid")
                {
                    continue;
                }

                WriteMember(writer, name, value);
            }
        }

        if (sessid is not null)
        {
            writer.WriteString("sessid"u8, sessid);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary><c>{"jsonrpc":"2.0","id":ID,"error":{"code":C,"message":M}}</c>; id null when absent.</summary>
    public static byte[] Error(JsonElement id, int code, string message)
    {
        var writer = Begin(id);
        writer.WritePropertyName("error"u8);
        writer.WriteStartObject();
        writer.WriteNumber("code"u8, code);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary>An error object built by a handler, written as is (it may lack code, §1.3).</summary>
    public static byte[] Error(JsonElement id, JsonObject error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var writer = Begin(id);
        writer.WritePropertyName("error"u8);
        error.WriteTo(writer);
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary>A server-to-client request: <c>{"jsonrpc":"2.0","id":N,"method":M,"params":{...}}</c>.</summary>
    public static byte[] Request(long id, string method, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var writer = Rent();
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WriteNumber("id"u8, id);
        writer.WriteString("method"u8, method);
        writer.WritePropertyName("params"u8);
        parameters.WriteTo(writer);
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary>Joins already written responses into the array that answers a batch.</summary>
    public static byte[] Batch(IReadOnlyList<byte[]> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var length = 2 + Math.Max(0, responses.Count - 1);
        foreach (var response in responses)
        {
            length += response.Length;
        }

        var output = new byte[length];
        output[0] = (byte)'[';
        var offset = 1;
        for (var i = 0; i < responses.Count; i++)
        {
            if (i > 0)
            {
                output[offset++] = (byte)',';
            }

            responses[i].CopyTo(output, offset);
            offset += responses[i].Length;
        }

        output[offset] = (byte)']';
        return output;
    }

    /// <summary>Writes one member; used by Verto writers that copy handler-built objects.</summary>
    public static void WriteMember(Utf8JsonWriter writer, string name, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    /// <summary>
    /// The per-thread scratch writer, reset and empty. Finish with <see cref="End"/> on the
    /// same thread before anything else rents it.
    /// </summary>
    public static Utf8JsonWriter Rent()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>Flushes the scratch writer and copies what it holds into an exact-size array.</summary>
    public static byte[] End(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Flush();
        var bytes = t_buffer!.WrittenSpan.ToArray();
        if (t_buffer.Capacity > 1 << 20)
        {
            // One huge message (a large echo) must not pin a megabyte per thread forever.
            t_buffer = null;
            t_writer = null;
        }

        return bytes;
    }

    private static Utf8JsonWriter Begin(JsonElement id)
    {
        var writer = Rent();
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (id.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            id.WriteTo(writer);
        }

        return writer;
    }
}

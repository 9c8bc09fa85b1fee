using System.Buffers.Text;

namespace MediaServer.Protocol.Verto;

/// <summary>
/// Wraps an event object into the S->C <c>verto.event</c> request (verto-protocol.md §7.3, §7.4).
/// The event is serialized once; each delivery only adds its own id and, for subscribers,
/// <c>eventSerno</c> and <c>subscribedChannel</c>:
/// <code>
/// {"jsonrpc":"2.0","method":"verto.event","params":{EVENT...,"eventSerno":N,"subscribedChannel":"C"},"id":ID}
/// </code>
/// </summary>
public static class VertoEventEnvelope
{
    private static ReadOnlySpan<byte> Prefix => "{\"jsonrpc\":\"2.0\",\"method\":\"verto.event\",\"params\":"u8;
    private static ReadOnlySpan<byte> SernoMember => "\"eventSerno\":"u8;
    private static ReadOnlySpan<byte> ChannelMember => ",\"subscribedChannel\":"u8;
    private static ReadOnlySpan<byte> IdMember => ",\"id\":"u8;

    /// <summary>Direct delivery (bootObj, pvtData): the event as is, no subscription members.</summary>
    public static byte[] Direct(long id, ReadOnlySpan<byte> eventObject)
    {
        Span<byte> idDigits = stackalloc byte[20];
        Utf8Formatter.TryFormat(id, idDigits, out var idLength);
        var output = new byte[Prefix.Length + eventObject.Length + IdMember.Length + idLength + 1];
        var span = output.AsSpan();
        Prefix.CopyTo(span);
        var offset = Prefix.Length;
        eventObject.CopyTo(span[offset..]);
        offset += eventObject.Length;
        IdMember.CopyTo(span[offset..]);
        offset += IdMember.Length;
        idDigits[..idLength].CopyTo(span[offset..]);
        offset += idLength;
        span[offset] = (byte)'}';
        return output;
    }

    /// <summary>
    /// Fan-out delivery to one subscription. <paramref name="eventObject"/> is a serialized JSON
    /// object; <paramref name="subscribedChannelJson"/> is the subscription's name already
    /// written as a JSON string (quotes included).
    /// </summary>
    public static byte[] Subscribed(long id, ReadOnlySpan<byte> eventObject, long eventSerno, ReadOnlySpan<byte> subscribedChannelJson)
    {
        if (eventObject.Length < 2 || eventObject[^1] != (byte)'}')
        {
            throw new ArgumentException("The event must be a serialized JSON object.", nameof(eventObject));
        }

        Span<byte> idDigits = stackalloc byte[20];
        Utf8Formatter.TryFormat(id, idDigits, out var idLength);
        Span<byte> sernoDigits = stackalloc byte[20];
        Utf8Formatter.TryFormat(eventSerno, sernoDigits, out var sernoLength);

        var body = eventObject[..^1];
        var needsComma = body.Length > 1;
        var length = Prefix.Length + body.Length + (needsComma ? 1 : 0) + SernoMember.Length + sernoLength
            + ChannelMember.Length + subscribedChannelJson.Length + 1 + IdMember.Length + idLength + 1;
        var output = new byte[length];
        var span = output.AsSpan();
        var offset = 0;
        Append(span, ref offset, Prefix);
        Append(span, ref offset, body);
        if (needsComma)
        {
            span[offset++] = (byte)',';
        }

        Append(span, ref offset, SernoMember);
        Append(span, ref offset, sernoDigits[..sernoLength]);
        Append(span, ref offset, ChannelMember);
        Append(span, ref offset, subscribedChannelJson);
        span[offset++] = (byte)'}';
        Append(span, ref offset, IdMember);
        Append(span, ref offset, idDigits[..idLength]);
        span[offset] = (byte)'}';
        return output;
    }

    private static void Append(Span<byte> destination, ref int offset, ReadOnlySpan<byte> source)
    {
        source.CopyTo(destination[offset..]);
        offset += source.Length;
    }
}

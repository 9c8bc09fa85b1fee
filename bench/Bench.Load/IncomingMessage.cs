using System.Text.Json;

namespace MediaServer.Bench.Load;

/// <summary>
/// The few facts the load client needs from a server message, pulled out in one forward pass
/// with <see cref="Utf8JsonReader"/> so the receive path allocates nothing (except the SDP
/// and hangup cause of call messages, which are rare). Member order is not assumed; unknown
/// members are skipped.
/// </summary>
internal struct IncomingMessage
{
    public bool HasMethod;
    public IncomingMethod Method;
    public bool HasCallId;
    /// <summary>params.sdp of verto.answer / verto.media / verto.attach; null otherwise.</summary>
    public string? Sdp;
    /// <summary>params.cause of a server verto.bye; null otherwise.</summary>
    public string? Cause;
    public bool HasId;
    public long Id;
    public bool HasResult;
    public bool ResultHasCode;
    public long ResultCode;
    public bool ResultIsCallCreated;
    public bool ResultIsCallEnded;
    public bool ResultHasSubscribedChannels;
    public bool ResultHasUnauthorizedChannels;
    public bool HasError;
    public long ErrorCode;
    public bool HasEventData;
    public long SendTimestamp;
    public long SenderIndex;
    public long Sequence;

    public readonly bool IsEvent => Method == IncomingMethod.Event;

    private const int SawT = 1;
    private const int SawC = 2;
    private const int SawN = 4;

    public static bool TryParse(ReadOnlySpan<byte> json, out IncomingMessage message)
    {
        message = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        message.HasMethod = true;
                        message.Method = MethodOf(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    // Our request ids are numbers; a string id cannot be one of ours.
                    message.HasId = true;
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long id))
                    {
                        message.Id = id;
                    }
                    else
                    {
                        message.Id = -1;
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("result"u8))
                {
                    reader.Read();
                    message.HasResult = true;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadResult(ref reader, ref message);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    message.HasError = true;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadError(ref reader, ref message);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadParams(ref reader, ref message);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadResult(ref Utf8JsonReader reader, ref IncomingMessage message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                message.ResultHasCode = true;
                message.ResultCode = ReadCode(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message.ResultIsCallCreated = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("CALL CREATED"u8);
                message.ResultIsCallEnded = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("CALL ENDED"u8);
            }
            else if (reader.ValueTextEquals("subscribedChannels"u8))
            {
                reader.Read();
                message.ResultHasSubscribedChannels = IsNonEmptyArray(ref reader);
            }
            else if (reader.ValueTextEquals("unauthorizedChannels"u8))
            {
                reader.Read();
                message.ResultHasUnauthorizedChannels = IsNonEmptyArray(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadError(ref Utf8JsonReader reader, ref IncomingMessage message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                message.ErrorCode = ReadCode(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadParams(ref Utf8JsonReader reader, ref IncomingMessage message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadEventData(ref reader, ref message);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("callID"u8))
            {
                message.HasCallId = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("sdp"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    message.Sdp = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("cause"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    message.Cause = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadEventData(ref Utf8JsonReader reader, ref IncomingMessage message)
    {
        int seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("t"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out message.SendTimestamp))
                {
                    seen |= SawT;
                }
            }
            else if (reader.ValueTextEquals("c"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out message.SenderIndex))
                {
                    seen |= SawC;
                }
            }
            else if (reader.ValueTextEquals("n"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out message.Sequence))
                {
                    seen |= SawN;
                }
            }
            else
            {
                reader.Skip();
            }
        }
        message.HasEventData = seen == (SawT | SawC | SawN);
    }

    private static IncomingMethod MethodOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("verto.event"u8))
        {
            return IncomingMethod.Event;
        }
        if (reader.ValueTextEquals("verto.answer"u8))
        {
            return IncomingMethod.Answer;
        }
        if (reader.ValueTextEquals("verto.media"u8))
        {
            return IncomingMethod.Media;
        }
        if (reader.ValueTextEquals("verto.bye"u8))
        {
            return IncomingMethod.Bye;
        }
        if (reader.ValueTextEquals("verto.display"u8))
        {
            return IncomingMethod.Display;
        }
        if (reader.ValueTextEquals("verto.invite"u8))
        {
            return IncomingMethod.Invite;
        }
        if (reader.ValueTextEquals("verto.attach"u8))
        {
            return IncomingMethod.Attach;
        }
        if (reader.ValueTextEquals("verto.info"u8))
        {
            return IncomingMethod.Info;
        }
        if (reader.ValueTextEquals("verto.ping"u8))
        {
            return IncomingMethod.Ping;
        }
        if (reader.ValueTextEquals("verto.clientReady"u8))
        {
            return IncomingMethod.ClientReady;
        }
        return reader.ValueTextEquals("verto.punt"u8) ? IncomingMethod.Punt : IncomingMethod.Other;
    }

    // Codes are numbers in this protocol; anything else is reported as 0 rather than dropped.
    private static long ReadCode(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long code))
        {
            return code;
        }
        reader.Skip();
        return 0;
    }

    private static bool IsNonEmptyArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }
        bool any = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            any = true;
            reader.Skip();
        }
        return any;
    }
}

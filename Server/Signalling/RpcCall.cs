using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.JsonRpc;

namespace MediaServer.Signalling;

/// <summary>
/// One request being handled: its message and the way to answer it. A handler answers
/// exactly once; it may answer early and keep working when something must follow the
/// answer on the wire (a bootObj after the bootstrap's result, §8.3). Reused per connection:
/// valid only during the handler call.
/// </summary>
internal sealed class RpcCall
{
    private List<byte[]>? _batch;

    public RpcCall(VertoConnection connection)
    {
        Connection = connection;
    }

    public VertoConnection Connection { get; }

    public JsonRpcMessage Message { get; private set; }

    public string Method => Message.Method!;

    public JsonElement Params => Message.Params;

    public bool Replied { get; private set; }

    /// <summary>Set by a handler when the socket must close once the answer is out ("Session in use").</summary>
    public bool CloseAfterReply { get; set; }

    public void Reset(JsonRpcMessage message, List<byte[]>? batch)
    {
        Message = message;
        _batch = batch;
        Replied = false;
        CloseAfterReply = false;
    }

    /// <summary>Answers with a result; the connection's sessid is added (§1.2), and requestParams when echoParams asks for it.</summary>
    public void Reply(JsonObject? result)
    {
        if (Replied)
        {
            return;
        }

        if (Message.HasObjectParams && Message.Params.TryGetProperty("echoParams"u8, out var echo))
        {
            result ??= [];
            result["requestParams"] = echo.ValueKind == JsonValueKind.True || (echo.ValueKind == JsonValueKind.String && echo.ValueEquals("true"u8))
                ? JsonNode.Parse(Message.Params.GetRawText())
                : JsonNode.Parse(echo.GetRawText());
        }

        Emit(JsonRpcWriter.Result(Message.Id, result, Connection.SessionId));
    }

    public void Fail(int code, string message) => Emit(JsonRpcWriter.Error(Message.Id, code, message));

    /// <summary>Answers with an error object built by the handler (it may carry extra members or no code, §1.3).</summary>
    public void Fail(JsonObject error) => Emit(JsonRpcWriter.Error(Message.Id, error));

    /// <summary>The handler error of §1.3: <c>{"message":M,"code":-32002}</c>.</summary>
    public void FailSession(string message) => Fail(new JsonObject { ["message"] = message, ["code"] = JsonRpcErrorCode.SessionError });

    private void Emit(byte[] response)
    {
        if (Replied)
        {
            return;
        }

        Replied = true;
        if (_batch is not null)
        {
            _batch.Add(response);
        }
        else
        {
            Connection.Send(response);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Protocol.Verto;

namespace MediaServer.Signalling;

/// <summary>
/// The method table and the authentication gate (verto-protocol.md §2.1): before login,
/// a request carrying credentials authenticates and is then processed; one without gets
/// -32000 and the client logs in and re-sends it with the same id.
/// </summary>
internal static class VertoDispatcher
{
    private static readonly Dictionary<string, Action<RpcCall>> Handlers = new(StringComparer.Ordinal)
    {
        [VertoMethod.Ping] = call => call.Reply(new JsonObject { ["message"] = "PONG" }),
        [VertoMethod.Echo] = Echo,
        [VertoMethod.Subscribe] = SubscriptionHandler.Subscribe,
        [VertoMethod.Unsubscribe] = SubscriptionHandler.Unsubscribe,
        [VertoMethod.Broadcast] = BroadcastHandler.Broadcast,
        [VertoMethod.Invite] = Calls.VertoCallHandler.Invite,
        [VertoMethod.Answer] = Calls.VertoCallHandler.Answer,
        [VertoMethod.Bye] = Calls.VertoCallHandler.Bye,
        [VertoMethod.Modify] = Calls.VertoCallHandler.Modify,
        [VertoMethod.Info] = Calls.VertoCallHandler.Info,
        [VertoMethod.Attach] = Calls.VertoCallHandler.Attach,
    };

    public static void Dispatch(RpcCall call)
    {
        var connection = call.Connection;
        var method = call.Method;
        var isLogin = method == VertoMethod.Login;
        if (!connection.IsAuthenticated || isLogin)
        {
            var hasCredentials = LoginHandler.HasLogin(call.Params);
            if (isLogin && !call.Message.HasObjectParams)
            {
                call.Fail(JsonRpcErrorCode.AuthenticationFailed, JsonRpcErrorMessage.MissingParams);
                return;
            }

            if (!hasCredentials)
            {
                // Also the answer to verto.js's first, empty login: only a credentialed login may succeed (§11.1).
                call.Fail(JsonRpcErrorCode.AuthenticationRequired, JsonRpcErrorMessage.AuthenticationRequired);
                return;
            }

            if (!LoginHandler.Authenticate(call))
            {
                return;
            }

            if (isLogin)
            {
                var result = new JsonObject { ["message"] = "logged in" };
                if (connection.User!.Entry.Moderator)
                {
                    result["moderator"] = true;
                }

                call.Reply(result);
                return;
            }
        }

        if (!connection.User!.Permissions.MayCall(method) || !Handlers.TryGetValue(method, out var handler))
        {
            call.Fail(JsonRpcErrorCode.MethodNotFound, JsonRpcErrorMessage.InvalidMethod);
            return;
        }

        // Every line logged while a call method runs carries the call's fields (README "Logs").
        using var scope = CallScope(call);
        handler(call);
    }

    /// <summary>The logging scope of the call a call method names in dialogParams.callID, or null for other methods.</summary>
    private static IDisposable? CallScope(RpcCall call)
    {
        if (call.Method is not (VertoMethod.Invite or VertoMethod.Answer or VertoMethod.Bye or VertoMethod.Modify or VertoMethod.Info or VertoMethod.Attach)
            || call.Params.ValueKind != JsonValueKind.Object
            || !call.Params.TryGetProperty("dialogParams"u8, out var dialog)
            || StringParam(dialog, "callID") is not { Length: > 0 } callId)
        {
            return null;
        }

        var server = call.Connection.Server;
        var scope = server.Calls?.Find(callId) is { } existing && existing.Sessid == call.Connection.SessionId
            ? existing.LogScope
            : new Observability.CallLogScope(callId, call.Connection.User?.Uid);
        return server.Log.BeginScope(scope);
    }

    /// <summary>echo: the result is a copy of params (§3.13); sessid is the connection's, as in every result.</summary>
    private static void Echo(RpcCall call)
    {
        var copy = call.Message.HasObjectParams ? JsonNode.Parse(call.Params.GetRawText())!.AsObject() : [];
        call.Reply(copy);
    }

    /// <summary>Reads a string member of params, or null.</summary>
    public static string? StringParam(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

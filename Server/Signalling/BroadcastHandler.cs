using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.JsonRpc;

namespace MediaServer.Signalling;

/// <summary>
/// verto.broadcast (verto-protocol.md §3.11). The server adds the sender's userid, sessid and
/// display name; a <c>liveArray</c> command goes to the live arrays; with
/// <c>localBroadcast:true</c> the event goes to every subscriber of exactly that channel,
/// sender included. Failures come back in the result, not as errors (a Verto quirk).
/// </summary>
internal static class BroadcastHandler
{
    public static void Broadcast(RpcCall call)
    {
        var connection = call.Connection;
        var parameters = call.Params;
        var channel = VertoDispatcher.StringParam(parameters, "eventChannel");
        if (string.IsNullOrEmpty(channel))
        {
            call.Reply(Problem("eventChannel not specified."));
            return;
        }

        // Mod commands and chat are authorised by membership of the room, not by channel grants.
        if (connection.Server.Conferences is { } conferences && conferences.HandleBroadcast(call, channel, parameters))
        {
            return;
        }

        if (!connection.MayUseChannel(channel))
        {
            call.Reply(Problem("Permission Denied."));
            return;
        }

        if (parameters.TryGetProperty("data"u8, out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("liveArray"u8, out var command) && command.ValueKind == JsonValueKind.Object)
        {
            connection.Server.LiveArrays.HandleCommand(call, channel, command);
            return;
        }

        // The answer precedes the event: the sender, a subscriber too, sees its result first.
        call.Reply(null);
        if (parameters.TryGetProperty("localBroadcast"u8, out var local) && local.ValueKind == JsonValueKind.True)
        {
            connection.Server.Bus.Publish(channel, WriteEvent(parameters, connection), exactOnly: true);
        }
    }

    /// <summary>A failure in the result: <c>{"message":M,"code":-32002}</c>.</summary>
    public static JsonObject Problem(string message) => new() { ["message"] = message, ["code"] = JsonRpcErrorCode.SessionError };

    /// <summary>The params as sent, with the server's word on who sent them replacing the client's.</summary>
    private static byte[] WriteEvent(JsonElement parameters, VertoConnection sender)
    {
        var writer = JsonRpcWriter.Rent();
        writer.WriteStartObject();
        foreach (var member in parameters.EnumerateObject())
        {
            if (member.NameEquals("sessid"u8) || member.NameEquals("userid"u8) || member.NameEquals("fromDisplay"u8) || member.NameEquals("echoParams"u8))
            {
                continue;
            }

            member.WriteTo(writer);
        }

        var user = sender.User!;
        writer.WriteString("userid"u8, user.Uid);
        writer.WriteString("sessid"u8, sender.SessionId);
        if (!string.IsNullOrEmpty(user.DisplayName))
        {
            writer.WriteString("fromDisplay"u8, user.DisplayName);
        }

        writer.WriteEndObject();
        return JsonRpcWriter.End(writer);
    }
}

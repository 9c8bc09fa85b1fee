using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Protocol.JsonRpc;

namespace MediaServer.Signalling;

/// <summary>
/// verto.subscribe and verto.unsubscribe with the exact shapes of verto-protocol.md §3.9-3.10:
/// each channel lands in subscribedChannels, alreadySubscribedChannels or
/// unauthorizedChannels; with no new channel the object is sent as a code-less error.
/// </summary>
internal static class SubscriptionHandler
{
    /// <summary>Subscriptions one connection may hold; bounds what a client can make the server keep.</summary>
    public const int MaxPerConnection = 1000;

    public static void Subscribe(RpcCall call)
    {
        var connection = call.Connection;
        if (!TryReadNames(call.Params, out var names))
        {
            call.FailSession(JsonRpcErrorMessage.InvalidChannel);
            return;
        }

        var subscribed = new List<string>();
        var already = new JsonArray();
        var unauthorized = new JsonArray();
        foreach (var name in names)
        {
            if (connection.HasSubscription(name) || subscribed.Contains(name, StringComparer.Ordinal))
            {
                already.Add(name);
            }
            else if (connection.SubscriptionCount + subscribed.Count < MaxPerConnection && connection.MayUseChannel(name))
            {
                subscribed.Add(name);
            }
            else
            {
                unauthorized.Add(name);
            }
        }

        var answer = new JsonObject();
        AddIfAny(answer, "subscribedChannels", new JsonArray([.. subscribed.Select(n => (JsonNode?)n)]));
        AddIfAny(answer, "alreadySubscribedChannels", already);
        AddIfAny(answer, "unauthorizedChannels", unauthorized);
        if (subscribed.Count == 0)
        {
            call.Fail(answer);
            return;
        }

        // The answer goes out before the subscriptions start, so no event on these channels can
        // overtake it: the client drops events of a subscription it has not seen confirmed (§3.9).
        call.Reply(answer);
        foreach (var name in subscribed)
        {
            connection.AddSubscription(connection.Server.Bus.Subscribe(connection, name));
        }
    }

    public static void Unsubscribe(RpcCall call)
    {
        var connection = call.Connection;
        if (!TryReadNames(call.Params, out var names))
        {
            call.FailSession(JsonRpcErrorMessage.InvalidChannel);
            return;
        }

        var removed = new JsonArray();
        var notSubscribed = new JsonArray();
        foreach (var name in names)
        {
            if (connection.RemoveSubscription(name, out var subscription))
            {
                connection.Server.Bus.Unsubscribe(subscription!);
                removed.Add(name);
            }
            else
            {
                notSubscribed.Add(name);
            }
        }

        var answer = new JsonObject();
        AddIfAny(answer, "unsubscribedChannels", removed);
        AddIfAny(answer, "notSubscribedChannels", notSubscribed);
        if (removed.Count == 0)
        {
            call.Fail(answer);
        }
        else
        {
            call.Reply(answer);
        }
    }

    /// <summary>eventChannel is one name or a list of names; anything else is not a channel.</summary>
    private static bool TryReadNames(JsonElement parameters, out List<string> names)
    {
        names = [];
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("eventChannel"u8, out var channel))
        {
            return false;
        }

        if (channel.ValueKind == JsonValueKind.String)
        {
            names.Add(channel.GetString()!);
            return true;
        }

        if (channel.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in channel.EnumerateArray())
        {
            names.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
        }

        return names.Count > 0;
    }

    private static void AddIfAny(JsonObject answer, string name, JsonArray list)
    {
        if (list.Count > 0)
        {
            answer[name] = list;
        }
    }
}

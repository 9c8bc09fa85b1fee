using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Observability;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;

namespace MediaServer.Calls;

/// <summary>
/// The call methods of verto-protocol.md §3.3-3.8: verto.invite, verto.answer, verto.bye,
/// verto.modify, verto.info and verto.attach, with FreeSWITCH's result shapes and error
/// strings. Translates JSON to <see cref="CallRegistry"/> operations; runs on the
/// connection's receive loop.
/// </summary>
internal static class VertoCallHandler
{
    /// <summary>Offers past this are not SDP a browser makes; refuse before parsing.</summary>
    private const int MaxSdpLength = 64 * 1024;

    public static void Invite(RpcCall call)
    {
        if (!TryGetCalls(call, out var calls) || !TryGetDialog(call, out var dialog) || !TryGetSdp(call, dialog, out var offer))
        {
            return;
        }

        if (calls.Admit() is { } refusal)
        {
            // Refused before anything is made: the client destroys the dialog without a bye (§3.3).
            CallLog.Refused(call.Connection.Server.Log, dialog.CallId, refusal.Reason);
            call.Fail(new JsonObject
            {
                ["callID"] = dialog.CallId,
                ["message"] = "CALL ERROR",
                ["detail"] = refusal.Reason,
                ["causeCode"] = HangupCauseNames.Code(refusal.Cause),
                ["cause"] = HangupCauseNames.Name(refusal.Cause),
                ["code"] = JsonRpcErrorCode.SessionError,
            });
            return;
        }

        var created = calls.CreateInbound(call.Connection, dialog, offer, out var answer, out var failure, out var error, out var refusedWith);
        if (created is null)
        {
            CallLog.Refused(call.Connection.Server.Log, dialog.CallId, error ?? failure.ToString());
            // The client destroys the dialog on any error without sending a bye (§3.3): nothing was kept.
            var noCodec = failure == NegotiationFailure.NoCommonCodec;
            var cause = noCodec ? HangupCause.IncompatibleDestination : refusedWith;
            call.Fail(new JsonObject
            {
                ["callID"] = dialog.CallId,
                ["message"] = noCodec ? "CODEC NEGOTIATION ERROR" : "CALL ERROR",
                ["detail"] = error ?? failure.ToString(),
                ["causeCode"] = HangupCauseNames.Code(cause),
                ["cause"] = HangupCauseNames.Name(cause),
                ["code"] = JsonRpcErrorCode.SessionError,
            });
            return;
        }

        call.Reply(new JsonObject { ["message"] = "CALL CREATED", ["callID"] = created.CallId });
        calls.Route(created, answer!);
    }

    public static void Answer(RpcCall call)
    {
        if (!TryGetCalls(call, out var calls) || !TryGetDialog(call, out var dialog) || !TryGetSdp(call, dialog, out var answer))
        {
            return;
        }

        var problem = calls.Answer(call.Connection, dialog, answer);
        if (problem is not null)
        {
            FailCall(call, dialog.CallId, problem);
            return;
        }

        call.Reply([]);
    }

    public static void Bye(RpcCall call)
    {
        if (!TryGetCalls(call, out var calls) || !TryGetDialog(call, out var dialog))
        {
            return;
        }

        var cause = HangupCause.NormalClearing;
        var parameters = call.Params;
        if (parameters.TryGetProperty("cause"u8, out var name) && name.ValueKind == JsonValueKind.String && HangupCauseNames.TryParseName(name.GetString(), out var named))
        {
            cause = named;
        }
        else if (parameters.TryGetProperty("causeCode"u8, out var code) && TryReadInt(code, out var number) && HangupCauseNames.TryParseCode(number, out var coded))
        {
            cause = coded;
        }

        var ended = calls.Bye(call.Connection, dialog.CallId, cause);
        if (ended is null)
        {
            // Also the answer to the bye verto.js sends after our own (§3.5, §11.11).
            FailCall(call, dialog.CallId, "CALL DOES NOT EXIST");
            return;
        }

        call.Reply(new JsonObject
        {
            ["callID"] = dialog.CallId,
            ["message"] = "CALL ENDED",
            ["causeCode"] = HangupCauseNames.Code(cause),
            ["cause"] = HangupCauseNames.Name(cause),
        });
    }

    public static void Modify(RpcCall call)
    {
        if (!TryGetCalls(call, out var calls) || !TryGetDialog(call, out var dialog))
        {
            return;
        }

        var action = VertoDispatcher.StringParam(call.Params, "action");
        if (string.IsNullOrEmpty(action))
        {
            call.FailSession("action missing");
            return;
        }

        var target = calls.Find(dialog.CallId);
        if (target is null || target.Sessid != call.Connection.SessionId)
        {
            FailCall(call, dialog.CallId, "CALL DOES NOT EXIST");
            return;
        }

        bool? held = action switch
        {
            "hold" => calls.SetHold(call.Connection, dialog.CallId, true),
            "unhold" => calls.SetHold(call.Connection, dialog.CallId, false),
            "toggleHold" => calls.SetHold(call.Connection, dialog.CallId, null),
            _ => target.State == CallState.Held,
        };
        switch (action)
        {
            case "videoRefresh":
                // The client wants a keyframe of the video it receives: ask whoever sends it.
                target.Leg?.Target?.RequestKeyFrame();
                break;
            case "transfer" or "replace" or "updateMedia":
                // Not offered by this server yet; saying so beats pretending it happened.
                call.Fail(new JsonObject { ["callID"] = dialog.CallId, ["action"] = action, ["message"] = $"{action} is not supported", ["code"] = JsonRpcErrorCode.SessionError });
                return;
        }

        if (held is null)
        {
            FailCall(call, dialog.CallId, "CALL DOES NOT EXIST");
            return;
        }

        call.Reply(new JsonObject { ["callID"] = dialog.CallId, ["action"] = action, ["holdState"] = held.Value ? "held" : "active" });
    }

    public static void Info(RpcCall call)
    {
        var parameters = call.Params;
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            call.FailSession("Params data missing");
            return;
        }

        if (parameters.TryGetProperty("msg"u8, out var message))
        {
            SendMessage(call, message);
            return;
        }

        if (parameters.TryGetProperty("dtmf"u8, out var dtmf))
        {
            var dialog = DialogParams.Read(parameters, out var problem);
            if (dialog is null)
            {
                call.FailSession(problem!);
                return;
            }

            var calls = call.Connection.Server.Calls;
            var target = calls?.Find(dialog.CallId);
            if (target is null || target.Sessid != call.Connection.SessionId)
            {
                FailCall(call, dialog.CallId, "CALL DOES NOT EXIST");
                return;
            }

            var digits = dtmf.ValueKind == JsonValueKind.String ? dtmf.GetString() ?? string.Empty : dtmf.GetRawText();
            if (digits.Length == 0 || digits.Length > 64 || !digits.All(IsDtmf))
            {
                call.FailSession("INVALID DTMF");
                return;
            }

            call.Reply(new JsonObject { ["message"] = "SENT" });
            // Echo and two-party calls have no DTMF consumer; in a room the digits are caller controls (§9.6).
            if (target.Member is { } member)
            {
                call.Connection.Server.Conferences?.OnDtmf(member, digits);
            }

            return;
        }

        call.Reply([]);
    }

    public static void Attach(RpcCall call)
    {
        if (!TryGetCalls(call, out var calls) || !TryGetDialog(call, out var dialog) || !TryGetSdp(call, dialog, out var answer))
        {
            return;
        }

        var problem = calls.CompleteAttach(call.Connection, dialog.CallId, answer);
        if (problem is not null)
        {
            FailCall(call, dialog.CallId, problem);
            return;
        }

        call.Reply([]);
        // §3.8: the client rebuilds its call display from the last verto.display.
        calls.Find(dialog.CallId)?.ResendDisplay();
    }

    /// <summary>verto.info msg (§3.7, §4.7): delivered to every connection of the addressee; the sender is the authenticated user.</summary>
    private static void SendMessage(RpcCall call, JsonElement message)
    {
        var to = message.ValueKind == JsonValueKind.Object ? VertoDispatcher.StringParam(message, "to") : null;
        var body = message.ValueKind == JsonValueKind.Object ? VertoDispatcher.StringParam(message, "body") : null;
        if (string.IsNullOrEmpty(to) || body is null)
        {
            call.Fail(new JsonObject { ["message"] = "INVALID MESSAGE to and body params required" });
            return;
        }

        var connection = call.Connection;
        var server = connection.Server;
        var user = connection.User!;
        var plus = to.IndexOf('+', StringComparison.Ordinal);
        var address = plus >= 0 ? to[(plus + 1)..] : to;
        var at = address.IndexOf('@', StringComparison.Ordinal);
        var uid = at >= 0 ? address[..at] : address;
        var domain = at >= 0 ? address[(at + 1)..] : server.Settings.Directory.Domain;
        var recipient = server.Settings.Directory.Find(uid, domain);
        var delivery = new JsonObject { ["from"] = user.Uid, ["to"] = to, ["body"] = body };
        foreach (var property in message.EnumerateObject())
        {
            if (property.Name.StartsWith("from_", StringComparison.Ordinal) || property.Name.StartsWith("to_", StringComparison.Ordinal))
            {
                delivery[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        if (recipient is not null)
        {
            foreach (var target in server.Sessions.ConnectionsOf(recipient.Uid))
            {
                target.SendRequest(VertoMethod.Info, new JsonObject { ["msg"] = delivery.DeepClone() });
            }
        }

        call.Reply(new JsonObject { ["message"] = "SENT" });
    }

    private static bool TryGetCalls(RpcCall call, out CallRegistry calls)
    {
        calls = call.Connection.Server.Calls!;
        if (calls is not null)
        {
            return true;
        }

        call.FailSession("MEDIA ERROR");
        return false;
    }

    private static bool TryGetDialog(RpcCall call, out DialogParams dialog)
    {
        if (call.Params.ValueKind != JsonValueKind.Object)
        {
            dialog = null!;
            call.FailSession("Params data missing");
            return false;
        }

        dialog = DialogParams.Read(call.Params, out var problem)!;
        if (dialog is null)
        {
            call.FailSession(problem!);
            return false;
        }

        return true;
    }

    private static bool TryGetSdp(RpcCall call, DialogParams dialog, out SessionDescription description)
    {
        description = null!;
        var text = VertoDispatcher.StringParam(call.Params, "sdp");
        if (string.IsNullOrWhiteSpace(text))
        {
            FailCall(call, dialog.CallId, "SDP missing");
            return false;
        }

        SessionDescription? parsed = null;
        string? error = null;
        if (text.Length > MaxSdpLength || !SessionDescription.TryParse(text, out parsed, out error))
        {
            var detail = text.Length > MaxSdpLength ? $"SDP over {MaxSdpLength} bytes" : error ?? "unreadable SDP";
            CallLog.Refused(call.Connection.Server.Log, dialog.CallId, detail);
            call.Fail(new JsonObject
            {
                ["callID"] = dialog.CallId,
                ["message"] = "CALL ERROR",
                ["detail"] = detail,
                ["causeCode"] = HangupCauseNames.Code(HangupCause.InvalidMsgUnspecified),
                ["cause"] = HangupCauseNames.Name(HangupCause.InvalidMsgUnspecified),
                ["code"] = JsonRpcErrorCode.SessionError,
            });
            return false;
        }

        description = parsed!;
        return true;
    }

    private static void FailCall(RpcCall call, string callId, string message) =>
        call.Fail(new JsonObject { ["callID"] = callId, ["message"] = message, ["code"] = JsonRpcErrorCode.SessionError });

    private static bool TryReadInt(JsonElement value, out int number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out number),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static bool IsDtmf(char c) => c is (>= '0' and <= '9') or '*' or '#' or (>= 'A' and <= 'D') or (>= 'a' and <= 'd');
}

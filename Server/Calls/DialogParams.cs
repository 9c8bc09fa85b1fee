using System.Globalization;
using System.Text.Json;

namespace MediaServer.Calls;

/// <summary>
/// The members of a call request's <c>dialogParams</c> the server uses (verto-protocol.md
/// §3.1); verto.js sends many more, which are ignored. Booleans and numbers may arrive as
/// strings, as verto.js sometimes sends them.
/// </summary>
internal sealed record DialogParams
{
    public required string CallId { get; init; }
    public string? DestinationNumber { get; init; }
    public string? CallerIdName { get; init; }
    public string? CallerIdNumber { get; init; }
    public string? RemoteCallerIdName { get; init; }
    public string? RemoteCallerIdNumber { get; init; }
    public string? CalleeIdName { get; init; }
    public string? CalleeIdNumber { get; init; }
    public bool UseVideo { get; init; }
    public bool UseStereo { get; init; }
    public bool ScreenShare { get; init; }

    /// <summary>The conference PIN the caller gives (dialogParams <c>pin</c>), checked when the room has one.</summary>
    public string? Pin { get; init; }

    /// <summary>dialogParams <c>userVariables</c> (VC: email, avatar), shown in the conference member row; raw JSON object text.</summary>
    public string? UserVariablesJson { get; init; }

    /// <summary>false: hang up instead of detaching when the socket goes (§6.6).</summary>
    public bool RecoverCall { get; init; } = true;

    /// <summary>Reads <c>params.dialogParams</c>; null with the §1.3 message when it or its callID is missing.</summary>
    public static DialogParams? Read(JsonElement parameters, out string? problem)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("dialogParams"u8, out var dialog) || dialog.ValueKind != JsonValueKind.Object)
        {
            problem = "Dialog data missing";
            return null;
        }

        var callId = Text(dialog, "callID");
        if (string.IsNullOrEmpty(callId) || callId.Length > 256)
        {
            problem = "CallID missing";
            return null;
        }

        problem = null;
        return new DialogParams
        {
            CallId = callId,
            DestinationNumber = Text(dialog, "destination_number"),
            CallerIdName = Text(dialog, "caller_id_name"),
            CallerIdNumber = Text(dialog, "caller_id_number"),
            RemoteCallerIdName = Text(dialog, "remote_caller_id_name"),
            RemoteCallerIdNumber = Text(dialog, "remote_caller_id_number"),
            CalleeIdName = Text(dialog, "callee_id_name"),
            CalleeIdNumber = Text(dialog, "callee_id_number"),
            UseVideo = Flag(dialog, "useVideo", false),
            UseStereo = Flag(dialog, "useStereo", false),
            ScreenShare = Flag(dialog, "screenShare", false),
            RecoverCall = Flag(dialog, "recoverCall", true),
            Pin = Text(dialog, "pin"),
            UserVariablesJson = dialog.TryGetProperty("userVariables"u8, out var variables) && variables.ValueKind == JsonValueKind.Object && variables.GetRawText().Length <= 4096
                ? variables.GetRawText()
                : null,
        };
    }

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static bool Flag(JsonElement element, string name, bool fallback)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => bool.TryParse(value.GetString(), out var parsed) ? parsed : fallback,
            JsonValueKind.Number => value.TryGetInt32(out var number) ? number != 0 : fallback,
            _ => fallback,
        };
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

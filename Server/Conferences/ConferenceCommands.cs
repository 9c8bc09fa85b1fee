using System.Globalization;
using System.Text.Json;
using MediaServer.Calls;
using MediaServer.Mixer.Audio;
using MediaServer.Observability;
using MediaServer.Signalling;
using Microsoft.Extensions.Logging;

namespace MediaServer.Conferences;

/// <summary>
/// Moderator commands from the mod channel (verto-protocol.md §9.3) and the DTMF caller
/// controls (§9.6). A command runs like FreeSWITCH's conference API line
/// <c>&lt;conf&gt; &lt;command&gt; &lt;id&gt; &lt;value&gt;</c> and its text answer goes to the mod channel.
/// Unlike FreeSWITCH, the sender must be a member of this room and, for the profile's
/// moderator-only commands (all by default), a moderator; anyone else gets "Permission
/// Denied" in the broadcast result and nothing happens.
/// </summary>
internal static class ConferenceCommands
{
    /// <summary>Energy threshold change per DTMF step (FreeSWITCH's energy up/down).</summary>
    public const int EnergyStep = 100;

    public static void Handle(RpcCall call, Conference conference, ConferenceMember sender, JsonElement data, CallRegistry? calls, ILogger log)
    {
        var command = data.ValueKind == JsonValueKind.Object ? VertoDispatcher.StringParam(data, "command") : null;
        if (string.IsNullOrEmpty(command))
        {
            call.Reply(null);
            conference.PublishModEvent(new() { ["action"] = "response", ["error"] = "Invalid Command" });
            return;
        }

        var uid = call.Connection.User!.Uid;
        if (!sender.IsModerator && conference.Profile.IsModeratorOnly(command))
        {
            ConferenceLog.Forbidden(log, conference.Name, uid, command);
            call.Reply(BroadcastHandler.Problem("Permission Denied: only moderators may send conference commands."));
            return;
        }

        call.Reply(null);
        var id = MemberId(data);
        var value = Value(data);
        var line = string.Join(' ', new[] { conference.Name, command, id?.ToString(CultureInfo.InvariantCulture), value }.Where(p => !string.IsNullOrEmpty(p)));
        var (response, kicked) = Execute(conference, command, id, value);
        if (response is null)
        {
            conference.PublishModEvent(new() { ["action"] = "response", ["error"] = "Invalid Command" });
            return;
        }

        ConferenceLog.Command(log, conference.Name, uid, line, response.TrimEnd());
        conference.PublishModResponse(line, response);
        if (kicked is not null)
        {
            // Outside every conference lock: the hangup cascades back into the registry's Leave.
            calls?.Hangup(kicked.Call, HangupCause.NormalClearing, notify: true);
        }
    }

    /// <summary>Runs one command; null response means "Invalid Command". A kick returns the member to hang up.</summary>
    public static (string? Response, ConferenceMember? Kicked) Execute(Conference conference, string command, int? id, string? value)
    {
        switch (command)
        {
            case "lock":
                conference.Locked = true;
                return ($"+OK {conference.Name} locked\n", null);
            case "unlock":
                conference.Locked = false;
                return ($"+OK {conference.Name} unlocked\n", null);
            case "kick" or "tmute" or "mute" or "unmute" or "deaf" or "undeaf" or "tvmute" or "vmute" or "unvmute"
                or "volume_in" or "volume_out" or "energy":
                break;
            default:
                return (null, null);
        }

        if (id is not { } memberId)
        {
            return ("-ERR Member ID required\n", null);
        }

        var member = conference.Find(memberId);
        if (member is null)
        {
            return ($"-ERR Non-Existant ID {memberId}\n", null);
        }

        string response;
        switch (command)
        {
            case "kick":
                return ($"+OK kicked {memberId}\n", member);
            case "tmute":
                member.Muted = !member.Muted;
                response = member.Muted ? $"+OK mute {memberId}\n" : $"+OK unmute {memberId}\n";
                break;
            case "mute" or "unmute":
                member.Muted = command == "mute";
                response = $"+OK {command} {memberId}\n";
                break;
            case "deaf" or "undeaf":
                member.Deaf = command == "deaf";
                response = $"+OK {command} {memberId}\n";
                break;
            case "tvmute":
                member.VideoMuted = !member.VideoMuted;
                response = member.VideoMuted ? $"+OK vmute {memberId}\n" : $"+OK unvmute {memberId}\n";
                break;
            case "vmute" or "unvmute":
                member.VideoMuted = command == "vmute";
                response = $"+OK {command} {memberId}\n";
                break;
            case "volume_in":
                member.VolumeIn = Level(value, member.VolumeIn);
                response = $"+OK Volume IN {memberId} = {member.VolumeIn}\n";
                break;
            case "volume_out":
                member.VolumeOut = Level(value, member.VolumeOut);
                response = $"+OK Volume OUT {memberId} = {member.VolumeOut}\n";
                break;
            default:
                member.EnergyThreshold = Energy(value, member.EnergyThreshold, conference.Profile.EnergyThreshold);
                response = $"+OK Energy {memberId} = {member.EnergyThreshold}\n";
                break;
        }

        conference.PublishRow(member);
        return (response, null);
    }

    /// <summary>
    /// FreeSWITCH's default caller controls, plus <c>*0</c> for video mute as Verto Communicator
    /// sends it: 0 mute, * deaf-mute, 1/2/3 talk volume down/zero/up, 4/5/6 listen volume
    /// down/zero/up, 7/8/9 energy down/reset/up, # hang up. Returns true for a hang-up.
    /// </summary>
    public static bool ApplyDtmf(ConferenceMember member, string digits)
    {
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[i];
            if (digit == '*' && i + 1 < digits.Length && digits[i + 1] == '0')
            {
                member.VideoMuted = !member.VideoMuted;
                i++;
                continue;
            }

            switch (digit)
            {
                case '0':
                    member.Muted = !member.Muted;
                    break;
                case '*':
                    var both = member.Muted && member.Deaf;
                    member.Muted = !both;
                    member.Deaf = !both;
                    break;
                case '1':
                    member.VolumeIn = VolumeLevel.Clamp(member.VolumeIn - 1);
                    break;
                case '2':
                    member.VolumeIn = 0;
                    break;
                case '3':
                    member.VolumeIn = VolumeLevel.Clamp(member.VolumeIn + 1);
                    break;
                case '4':
                    member.VolumeOut = VolumeLevel.Clamp(member.VolumeOut - 1);
                    break;
                case '5':
                    member.VolumeOut = 0;
                    break;
                case '6':
                    member.VolumeOut = VolumeLevel.Clamp(member.VolumeOut + 1);
                    break;
                case '7':
                    member.EnergyThreshold = Math.Max(0, member.EnergyThreshold - EnergyStep);
                    break;
                case '8':
                    member.EnergyThreshold = member.Conference.Profile.EnergyThreshold;
                    break;
                case '9':
                    member.EnergyThreshold += EnergyStep;
                    break;
                case '#':
                    return true;
            }
        }

        return false;
    }

    /// <summary>verto.js sends the member id as a number (parseInt); tolerate a numeric string.</summary>
    private static int? MemberId(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("id"u8, out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.Number when id.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(id.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    /// <summary><c>value</c> is absent, a string, or an array of strings (joined by spaces, as the API line has them).</summary>
    private static string? Value(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("value"u8, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Array => string.Join(' ', value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            _ => null,
        };
    }

    /// <summary>"up", "down", "0" or a level; anything else keeps the current level.</summary>
    private static int Level(string? value, int current) => value switch
    {
        "up" => VolumeLevel.Clamp(current + 1),
        "down" => VolumeLevel.Clamp(current - 1),
        _ when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) => VolumeLevel.Clamp(level),
        _ => current,
    };

    private static int Energy(string? value, int current, int profileDefault) => value switch
    {
        "up" => current + EnergyStep,
        "down" => Math.Max(0, current - EnergyStep),
        "reset" => profileDefault,
        _ when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) => Math.Clamp(level, 0, 32768),
        _ => current,
    };
}

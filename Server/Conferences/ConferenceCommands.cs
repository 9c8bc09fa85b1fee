using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Calls;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Video;
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
        if (command is "list-videoLayouts" or "canvasInfo")
        {
            // Data commands answer with "OK" and the data in responseData (§9.3).
            var responseData = command == "list-videoLayouts" ? ListLayouts(conference) : CanvasInfos(conference, data);
            conference.PublishModResponse(command, "OK", responseData);
            if (command == "list-videoLayouts")
            {
                conference.PublishLayoutInfo();
            }

            return;
        }

        var line = string.Join(' ', new[] { conference.Name, command, id?.ToString(CultureInfo.InvariantCulture), value }.Where(p => !string.IsNullOrEmpty(p)));
        var (response, kicked) = command == "dial"
            ? (calls?.DialIntoConference(conference.Name, value) ?? "-ERR calls are not available\n", null)
            : Execute(conference, command, id, value);
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
            case "vid-layout":
                return (SetLayout(conference, value), null);
            case "vid-canvas" or "vid-watching-canvas":
                return ("-ERR Only 1 Canvas\n", null);
            case "recording":
                return (Recording(conference, value), null);
            case "record":
                return (Recording(conference, "start"), null);
            case "norecord":
                return (Recording(conference, "stop"), null);
            case "kick" or "tmute" or "mute" or "unmute" or "deaf" or "undeaf" or "tvmute" or "vmute" or "unvmute"
                or "volume_in" or "volume_out" or "energy" or "vid-floor" or "vid-res-id" or "vid-banner" or "vid-layer":
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
            case "energy":
                member.EnergyThreshold = Energy(value, member.EnergyThreshold, conference.Profile.EnergyThreshold);
                response = $"+OK Energy {memberId} = {member.EnergyThreshold}\n";
                break;
            default:
                response = VideoMemberCommand(conference, member, command, value);
                break;
        }

        conference.PublishRow(member);
        return (response, null);
    }

    /// <summary>
    /// <c>recording start|stop|pause|resume|check</c> (verto-protocol.md §9.3). FreeSWITCH's forms
    /// with a path (<c>start /tmp/x.webm</c>, <c>stop all</c>) are accepted, but a client never
    /// names the file: it is always <c>&lt;data&gt;/recordings/&lt;room&gt;-&lt;UTC time&gt;.webm|.ogg</c>.
    /// </summary>
    private static string Recording(Conference conference, string? value)
    {
        var action = (value ?? string.Empty).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var current = conference.Recording;
        switch (action)
        {
            case "start":
                var (started, error) = conference.StartRecording();
                return started is null ? $"-ERR Cannot record: {error}\n" : $"+OK Record file [{RecordingName(started.Path)}]\n";
            case "stop":
                var stopped = conference.StopRecording();
                if (stopped is null)
                {
                    return "-ERR Not recording\n";
                }

                return stopped.Failure is { } failure
                    ? $"-ERR Recording [{RecordingName(stopped.Path)}] failed: {failure.Message}\n"
                    : $"+OK Stopped recording file [{RecordingName(stopped.Path)}]\n";
            case "pause" or "resume":
                if (current is null)
                {
                    return "-ERR Not recording\n";
                }

                return conference.PauseRecording(action == "pause")
                    ? $"+OK {(action == "pause" ? "Pause" : "Resume")} recording file [{RecordingName(current.Path)}]\n"
                    : $"-ERR Recording already {(action == "pause" ? "paused" : "running")}\n";
            case "check":
                return current is null ? "+OK Not recording\n" : $"+OK Record file [{RecordingName(current.Path)}] {(current.Paused ? "paused" : "recording")}\n";
            default:
                return "-ERR Usage: recording start|stop|pause|resume|check\n";
        }
    }

    /// <summary>A recording as the answer names it: relative to the data folder, so no server path leaks to clients.</summary>
    private static string RecordingName(string path) => $"recordings/{Path.GetFileName(path)}";

    /// <summary>vid-floor, vid-res-id, vid-banner, vid-layer on one member (§9.3).</summary>
    private static string VideoMemberCommand(Conference conference, ConferenceMember member, string command, string? value)
    {
        if (conference.Canvas is not { } canvas || member.Source is not { } source)
        {
            return $"-ERR Member {member.Id} has no video\n";
        }

        switch (command)
        {
            case "vid-floor":
                // "force" pins the floor; the same again (or without force) lets it follow the talker again.
                if (canvas.FloorId == member.Id && (canvas.FloorLocked || value != "force"))
                {
                    canvas.SetFloor(-1, locked: true);
                    return "+OK floor none\n";
                }

                canvas.SetFloor(member.Id, locked: value == "force");
                return $"+OK floor {member.Id}\n";
            case "vid-res-id":
                if (string.IsNullOrEmpty(value) || value == "clear" || value == source.ReservationId)
                {
                    source.ReservationId = null;
                    canvas.MarkDirty();
                    return "+OK reservation_id cleared\n";
                }

                source.ReservationId = value;
                canvas.MarkDirty();
                return $"+OK reservation_id {value}\n";
            case "vid-banner":
                source.Banner = value is null or "reset" or "clear" ? null : BannerText.Unescape(value);
                return "+OK\n";
            default:
                var layers = canvas.Layout.Images.Count;
                var current = source.Layer;
                var layer = value switch
                {
                    "next" => (current + 1) % layers,
                    "prev" => (current - 1 + layers) % layers,
                    _ when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= layers => n - 1,
                    _ => -1,
                };
                if (layer < 0)
                {
                    return $"-ERR Invalid layer {value}\n";
                }

                source.PinnedLayer = layer;
                canvas.MarkDirty();
                return $"+OK layer {layer + 1}\n";
        }
    }

    /// <summary>vid-layout: a layout, <c>group:name</c> (or <c>group name</c>), optionally followed by a canvas number.</summary>
    private static string SetLayout(Conference conference, string? value)
    {
        if (conference.Canvas is not { } canvas)
        {
            return "-ERR Conference has no video\n";
        }

        var parts = (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return "-ERR Invalid layout []\n";
        }

        if (parts[0] == "group" && parts.Length > 1)
        {
            parts = [$"group:{parts[1]}", .. parts[2..]];
        }

        var name = parts[0];
        if (!canvas.TrySetLayout(name))
        {
            return $"-ERR Invalid layout [{name}]\n";
        }

        return name.StartsWith("group:", StringComparison.Ordinal)
            ? $"+OK Change to layout group [{name["group:".Length..]}]\n"
            : $"+OK Change canvas 1 to layout [{name}]\n";
    }

    /// <summary>list-videoLayouts' responseData: every layout with its reservation ids, then every group (§9.3, conference-layouts.md §5).</summary>
    private static JsonArray ListLayouts(Conference conference)
    {
        var catalog = conference.Canvas?.Catalog ?? conference.Layouts;
        var list = new JsonArray();
        foreach (var layout in catalog.Layouts)
        {
            list.Add(new JsonObject { ["type"] = "layout", ["name"] = layout.Name, ["resIDS"] = new JsonArray([.. layout.ReservationIds.Select(r => (JsonNode)r)]) });
        }

        foreach (var group in catalog.Groups)
        {
            list.Add(new JsonObject { ["type"] = "layoutGroup", ["name"] = $"group:{group.Name}", ["groupLayouts"] = new JsonArray([.. group.Layouts.Select(l => (JsonNode)l.Name)]) });
        }

        return list;
    }

    /// <summary>canvasInfo's responseData: one entry per canvas (there is one), with the member's layer when asked about a member.</summary>
    private static JsonArray CanvasInfos(Conference conference, JsonElement data)
    {
        if (conference.Canvas is not { } canvas)
        {
            return [];
        }

        var info = Conference.CanvasInfo(canvas, withLayouts: false);
        if (data.TryGetProperty("memberID"u8, out var memberId) && memberId.TryGetInt32(out var id) && conference.Find(id) is { } member)
        {
            info["layerID"] = member.VideoLayerId;
        }

        return [info];
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

using System.Globalization;
using MediaServer.Protocol.JsonRpc;

namespace MediaServer.Conferences;

/// <summary>
/// The conference live array row of one member, exactly as verto-protocol.md §8.5 draws it:
/// seven elements, the id zero-padded to four digits, the status object as a JSON *string*
/// at index 4, the call's userVariables as an object at 5 (never null) and null at 6. Verto
/// Communicator parses index 4 and crashes on anything else, so the shape is tested exactly.
/// </summary>
internal static class MemberRow
{
    public static byte[] Build(ConferenceMember member)
    {
        // Written before the row: the pooled writer is one per thread, so the two cannot nest.
        var status = Status(member);
        var writer = JsonRpcWriter.Rent();
        writer.WriteStartArray();
        writer.WriteStringValue(member.Id.ToString("D4", CultureInfo.InvariantCulture));
        writer.WriteStringValue(member.Call.CallerIdNumber);
        writer.WriteStringValue(member.Call.CallerIdName);
        writer.WriteStringValue(member.CodecDescription);
        writer.WriteStringValue(status);
        if (member.Call.UserVariablesJson is { } variables)
        {
            writer.WriteRawValue(variables, skipInputValidation: false);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WriteNullValue();
        writer.WriteEndArray();
        return JsonRpcWriter.End(writer);
    }

    /// <summary>The status object of index 4, serialized compactly.</summary>
    public static string Status(ConferenceMember member)
    {
        var writer = JsonRpcWriter.Rent();
        writer.WriteStartObject();
        writer.WritePropertyName("audio"u8);
        writer.WriteStartObject();
        writer.WriteBoolean("muted"u8, member.Muted);
        writer.WriteBoolean("deaf"u8, member.Deaf);
        writer.WriteBoolean("onHold"u8, member.OnHold);
        writer.WriteBoolean("talking"u8, member.Talking);
        writer.WriteBoolean("floor"u8, member.HasFloor);
        writer.WriteNumber("energyScore"u8, member.Energy);
        writer.WriteEndObject();
        writer.WritePropertyName("video"u8);
        if (!member.HasVideo)
        {
            writer.WriteBooleanValue(false);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteBoolean("visible"u8, member.VideoVisible);
            writer.WriteBoolean("noRecover"u8, false);
            if (member.Call.ScreenShare)
            {
                writer.WriteBoolean("screenShare"u8, true);
            }

            writer.WriteBoolean("avatarPresented"u8, false);
            writer.WriteString("mediaFlow"u8, member.Call.ScreenShare ? "sendOnly" : "sendRecv");
            writer.WriteBoolean("muted"u8, member.VideoMuted);
            writer.WriteBoolean("floor"u8, member.HasVideoFloor);
            if (member.VideoFloorLocked)
            {
                writer.WriteBoolean("floorLocked"u8, true);
            }

            if (member.ReservationId is { } reservation)
            {
                writer.WriteString("reservationID"u8, reservation);
            }
            else
            {
                writer.WriteNull("reservationID"u8);
            }

            writer.WriteNull("roleID"u8);
            writer.WriteNumber("videoLayerID"u8, member.VideoLayerId);
            writer.WriteNumber("canvasID"u8, 0);
            writer.WriteNumber("watchingCanvasID"u8, 0);
            writer.WriteEndObject();
        }

        if (member.IsModerator)
        {
            // An extension (VC ignores unknown members): lets a member list badge the room's moderators.
            writer.WriteBoolean("moderator"u8, true);
        }

        writer.WriteString("oldStatus"u8, OldStatus(member));
        writer.WriteEndObject();
        return System.Text.Encoding.UTF8.GetString(JsonRpcWriter.End(writer));
    }

    /// <summary>The legacy text status (the jQuery demo's table still reads it).</summary>
    public static string OldStatus(ConferenceMember member)
    {
        var audio = member.OnHold ? "HOLD"
            : member.Muted ? "MUTE"
            : member.Talking && member.HasFloor ? "TALKING (FLOOR)"
            : member.HasFloor ? "FLOOR"
            : member.Talking ? "TALKING"
            : "ACTIVE";
        if (!member.HasVideo)
        {
            return audio;
        }

        return audio + (member.VideoMuted ? " VIDEO (BLIND)" : member.HasVideoFloor ? " VIDEO (FLOOR)" : " VIDEO");
    }
}

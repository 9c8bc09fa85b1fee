using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MediaServer.Calls;
using MediaServer.LiveArrays;
using MediaServer.Observability;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Recording;
using MediaServer.Mixer.Video;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;
using MediaServer.Storage;

namespace MediaServer.Conferences;

/// <summary>
/// One conference room: its members, its audio mixer, its live array of member rows and its
/// four channels (verto-protocol.md §9.2). Membership changes happen under the registry's
/// lock and then this room's (see <see cref="ConferenceRegistry"/>); member state changes
/// under this room's lock only. Row updates caused on the mixer thread (talking) are queued
/// and published off it, in order, from the member's current state, so the mixer never waits
/// on signalling and a row never goes backwards.
/// </summary>
internal sealed class Conference
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ConferenceMember> _members = [];
    private readonly ConcurrentQueue<ConferenceMember> _rowUpdates = new();
    private readonly VertoServer _verto;
    private int _nextMemberId;
    private int _rowUpdateScheduled;
    private ConferenceMember? _floor;
    private readonly Func<Conference, VideoCanvas>? _canvasFactory;
    private VideoCanvas? _canvas;
    private int _layoutChanged;
    private long _videoFloorSinceMs;
    private MixRecording? _recording;

    /// <summary>The reservation id a screen share is given: the presenter layouts' second slot.</summary>
    public const string ScreenShareReservation = "presenter";

    /// <summary>How long the video floor stays with a speaker before the next talker may take it (FreeSWITCH's floor hold).</summary>
    public const int VideoFloorHoldMs = 2000;

    public Conference(VertoServer verto, string name, ConferenceProfile profile, string? pin, AudioMixer mixer, LiveArray array, Func<Conference, VideoCanvas>? canvasFactory = null)
    {
        _verto = verto;
        _canvasFactory = canvasFactory;
        Name = name;
        Domain = verto.Settings.Directory.Domain;
        Profile = profile;
        Pin = pin;
        Mixer = mixer;
        Array = array;
        var qualified = name.Contains('@', StringComparison.Ordinal) ? name : $"{name}@{Domain}";
        QualifiedName = qualified;
        LiveArrayChannel = $"conference-liveArray.{qualified}";
        ModChannel = $"conference-mod.{qualified}";
        ChatChannel = $"conference-chat.{qualified}";
        InfoChannel = $"conference-info.{qualified}";
        ChatId = $"conf+{qualified}";
        CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    }

    public string Name { get; }

    public string Domain { get; }

    public string QualifiedName { get; }

    public ConferenceProfile Profile { get; }

    public string? Pin { get; }

    public AudioMixer Mixer { get; }

    public LiveArray Array { get; }

    public string LiveArrayChannel { get; }

    public string ModChannel { get; }

    public string ChatChannel { get; }

    public string InfoChannel { get; }

    public string ChatId { get; }

    /// <summary>When this instance of the room was made (Unix ms): chat history starts here, not at an earlier meeting in the same room.</summary>
    public long CreatedAtMs { get; }

    public bool Locked { get; set; }

    /// <summary>The layouts the server knows (list-videoLayouts answers with them even before a canvas exists).</summary>
    public LayoutCatalog Layouts => _verto.Settings.Layouts;

    /// <summary>The room's canvas, made when the first member with VP8 video joins.</summary>
    public VideoCanvas? Canvas => Volatile.Read(ref _canvas);

    /// <summary>The recording running (or paused) now, or null.</summary>
    public MixRecording? Recording => Volatile.Read(ref _recording);

    /// <summary>Set once the last member left and the registry dropped the room; a late join must make a new one.</summary>
    public bool Closed { get; set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _members.Count;
            }
        }
    }

    public ConferenceMember? Find(int id)
    {
        lock (_gate)
        {
            return _members.GetValueOrDefault(id);
        }
    }

    public List<ConferenceMember> Members()
    {
        lock (_gate)
        {
            return [.. _members.Values.OrderBy(m => m.Id)];
        }
    }

    /// <summary>The member of this room that a connection's sessid owns (the sender of a mod command or chat), moderators first.</summary>
    public ConferenceMember? MemberOf(VertoConnection connection)
    {
        lock (_gate)
        {
            ConferenceMember? found = null;
            foreach (var member in _members.Values)
            {
                if (member.Call.Sessid == connection.SessionId && (found is null || member.IsModerator))
                {
                    found = member;
                }
            }

            return found;
        }
    }

    /// <summary>Registry lock held: adds an answered call as a member and tells everyone (§8.4: add, pvtData join, modify).</summary>
    public ConferenceMember Add(Call call, bool moderator)
    {
        var leg = call.Leg!;
        var codec = leg.AudioCodec;
        var description = codec is { } c ? $"{(c.Kind == AudioCodecKind.Opus ? "opus" : c.Kind.ToString().ToUpperInvariant())}@{c.ClockRate}" : "none@0";
        ConferenceMember member;
        lock (_gate)
        {
            member = new ConferenceMember(this, call, ++_nextMemberId, moderator, description, leg.HasVideo);
            // A screen share is video only: its audio (if any) is not mixed, and it watches nothing.
            if (codec is { } audio && !call.ScreenShare)
            {
                var output = audio.Kind == AudioCodecKind.Opus
                    ? new AudioCodecSettings(AudioCodecKind.Opus, audio.Channels, Profile.OpusBitrate, Profile.OpusComplexity, Profile.OpusFec, Profile.OpusDtx) { Application = Profile.OpusApplication }
                    : AudioCodecSettings.G711(audio.Kind);
                member.Mixer = Mixer.AddMember(member.Id, audio.Kind, audio.Channels, audio.ClockRate, output, Profile.EnergyThreshold, member, Profile.JitterBufferMinMs);
                leg.AudioInput = member.Mixer;
            }

            if (leg.HasVideo && leg.HasVp8 && _canvasFactory is not null)
            {
                var canvas = _canvas ??= CreateCanvas();
                member.Canvas = canvas;
                var name = string.IsNullOrEmpty(call.CallerIdName) ? call.CallerIdNumber : call.CallerIdName;
                member.Source = canvas.AddSource(member.Id, call.ScreenShare ? $"{name} (screen)" : name, member);
                leg.VideoInput = member.Source;
                if (call.ScreenShare)
                {
                    // It takes the presenter slot of the presenter layouts (conference-layouts.md §3).
                    member.Source.ReservationId = ScreenShareReservation;
                }
                else
                {
                    leg.CanvasKeyframeRequested = canvas.RequestKeyframe;
                    leg.CanvasBandwidthEstimate = bps => canvas.OnWatcherBandwidth(member, bps, Environment.TickCount64);
                    canvas.AddWatcher(member);
                }
            }

            _members[member.Id] = member;
            call.Member = member;
            Grant(call.Connection, member);
            Array.Add(call.CallId, MemberRow.Build(member), null, int.MaxValue);
            SendPvtData(member, join: true);
            Array.Modify(call.CallId, MemberRow.Build(member));
        }

        return member;
    }

    /// <summary>Registry lock held: removes a member (§8.4: del, then pvtData part). Returns true when the room is now empty.</summary>
    public bool Remove(ConferenceMember member)
    {
        lock (_gate)
        {
            if (!_members.Remove(member.Id))
            {
                return _members.Count == 0;
            }

            member.Call.Member = null;
            if (member.Mixer is { } mixer)
            {
                Mixer.RemoveMember(mixer);
                member.Call.Leg?.AudioInput = null;
            }

            if (member.Canvas is { } canvas && member.Source is { } source)
            {
                canvas.RemoveWatcher(member);
                canvas.RemoveSource(source);
                member.Call.Leg?.VideoInput = null;
                member.Call.Leg?.CanvasKeyframeRequested = null;
                member.Call.Leg?.CanvasBandwidthEstimate = null;
            }

            Array.Delete(member.Call.CallId);
            SendPvtData(member, join: false);
            if (member.Call.Connection is { } connection && !_members.Values.Any(m => m.Call.Connection == connection))
            {
                connection.RevokeChannel(LiveArrayChannel);
                connection.RevokeChannel(ChatChannel);
                connection.RevokeChannel(InfoChannel);
                connection.RevokeChannel(ModChannel);
            }

            if (_floor == member)
            {
                _floor = null;
            }

            return _members.Count == 0;
        }
    }

    /// <summary>
    /// Starts recording the room under <c>&lt;data&gt;/recordings</c>: WebM (the Opus mix and the VP8
    /// canvas) when the room has a canvas, else Ogg Opus. The name is the room's (characters
    /// unsafe in a file name replaced) and the UTC time; a client never chooses the path.
    /// Returns the recording, or null with the reason when one runs already or the file cannot be made.
    /// </summary>
    public (MixRecording? Recording, string? Error) StartRecording()
    {
        lock (_gate)
        {
            if (_recording is not null)
            {
                return (null, "already recording");
            }

            var directory = System.IO.Path.Combine(_verto.Settings.DataDirectory, "recordings");
            var canvas = _canvas;
            // The encode every Opus listener at volume 0 gets (browsers offer opus/48000/2), so the recording usually costs no encode of its own.
            var audio = new AudioCodecSettings(AudioCodecKind.Opus, 2, Profile.OpusBitrate, Profile.OpusComplexity, Profile.OpusFec, Profile.OpusDtx) { Application = Profile.OpusApplication };
            var stem = $"{FileNameOf(Name)}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}";
            var extension = canvas is null ? "ogg" : "webm";
            MixRecording? recording = null;
            try
            {
                Directory.CreateDirectory(directory);
                // Two starts within a second get -2, -3, ...: a recording never overwrites another.
                for (var attempt = 1; recording is null; attempt++)
                {
                    var path = System.IO.Path.Combine(directory, attempt == 1 ? $"{stem}.{extension}" : $"{stem}-{attempt}.{extension}");
                    if (File.Exists(path) && attempt < 100)
                    {
                        continue;
                    }

                    recording = new MixRecording(path, audio, canvas?.Width ?? 0, canvas?.Height ?? 0, canvas?.Fps ?? 0, Environment.TickCount64);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, e.Message);
            }

            _recording = recording;
            Mixer.MixSink = recording;
            canvas?.FrameSink = recording;
            ConferenceLog.RecordingStarted(_verto.Log, Name, recording.Path);
            return (recording, null);
        }
    }

    /// <summary>Stops the recording and finishes its file; returns it, or null when none ran.</summary>
    public MixRecording? StopRecording()
    {
        MixRecording? recording;
        lock (_gate)
        {
            recording = _recording;
            if (recording is null)
            {
                return null;
            }

            _recording = null;
            Mixer.MixSink = null;
            _canvas?.FrameSink = null;
        }

        // Outside the room's lock: finishing writes the last cluster or page and seeks back.
        recording.Stop();
        if (recording.Failure is { } failure)
        {
            ConferenceLog.RecordingFailed(_verto.Log, failure, Name, recording.Path);
        }
        else
        {
            ConferenceLog.RecordingFinished(_verto.Log, Name, recording.Path, recording.RecordedMs / 1000.0);
        }

        return recording;
    }

    /// <summary>Pauses (<paramref name="pause"/>) or resumes the recording; false when there is none or it is already so.</summary>
    public bool PauseRecording(bool pause)
    {
        var recording = Recording;
        if (recording is null)
        {
            return false;
        }

        if (pause)
        {
            return recording.Pause(Environment.TickCount64);
        }

        if (!recording.Resume(Environment.TickCount64))
        {
            return false;
        }

        // The frames skipped while paused are gone: the file's video resumes at a keyframe.
        Canvas?.RequestKeyframe();
        return true;
    }

    /// <summary>A room name as a file name: letters, digits, '.', '-' and '_' kept, anything else (a '/', an '@') becomes '_'.</summary>
    public static string FileNameOf(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var safe = new string(chars).TrimStart('.');
        return safe.Length == 0 ? "room" : safe;
    }

    /// <summary>After a re-attach on a new connection: channels granted again and the join re-sent (§9.1).</summary>
    public void OnReattached(ConferenceMember member)
    {
        lock (_gate)
        {
            if (!_members.ContainsKey(member.Id))
            {
                return;
            }

            Grant(member.Call.Connection, member);
            SendPvtData(member, join: true);
        }
    }

    /// <summary>Publishes a member's current row (a modify); any thread.</summary>
    public void PublishRow(ConferenceMember member)
    {
        lock (_gate)
        {
            if (_members.ContainsKey(member.Id))
            {
                Array.Modify(member.Call.CallId, MemberRow.Build(member));
            }
        }
    }

    /// <summary>Mixer thread: a member started or stopped talking. The floor and the rows are updated off this thread.</summary>
    public void OnTalkingChanged(ConferenceMember member, bool talking)
    {
        _rowUpdates.Enqueue(member);
        if (Interlocked.Exchange(ref _rowUpdateScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static conference => conference.DrainRowUpdates(), this, preferLocal: false);
        }
    }

    /// <summary>Sends a conference API line's answer to the mod channel (§9.3): <c>{"action":"response","conf-command":...,"response":...}</c>.</summary>
    public void PublishModResponse(string confCommand, string response, JsonNode? responseData = null)
    {
        var data = new JsonObject { ["action"] = "response", ["conf-command"] = confCommand, ["response"] = response };
        if (responseData is not null)
        {
            data["responseData"] = responseData;
        }

        PublishModEvent(data);
    }

    public void PublishModEvent(JsonObject data) => Publish(ModChannel, new JsonObject { ["eventChannel"] = ModChannel, ["data"] = data });

    /// <summary>A chat line to every subscriber of the chat channel, the sender included (§9.5).</summary>
    public void PublishChat(string from, string? fromDisplay, string message, string type)
    {
        var data = new JsonObject { ["direction"] = "outbound", ["message"] = message };
        if (!string.IsNullOrEmpty(fromDisplay))
        {
            data["fromDisplay"] = fromDisplay;
        }

        data["from"] = from;
        data["type"] = type;
        Publish(ChatChannel, new JsonObject { ["eventChannel"] = ChatChannel, ["data"] = data });
    }

    /// <summary>
    /// Our chat history extension (not Verto): the room's recent lines, oldest first, to one
    /// connection only. The event carries the requester's sessid at top level, the direct
    /// delivery of §7.4 rule 1 (like the liveArray bootObj), so no other member sees it and it
    /// has no eventSerno. The caller answers the request first, so the answer precedes it.
    /// </summary>
    public void SendChatHistory(VertoConnection connection, IReadOnlyList<ChatStore.ChatLine> lines)
    {
        if (connection.SessionId is not { } sessid)
        {
            return;
        }

        var writer = JsonRpcWriter.Rent();
        writer.WriteStartObject();
        writer.WriteString("eventChannel"u8, ChatChannel);
        writer.WriteString("sessid"u8, sessid);
        writer.WritePropertyName("data"u8);
        writer.WriteStartObject();
        writer.WriteString("action"u8, "history");
        writer.WritePropertyName("messages"u8);
        writer.WriteStartArray();
        foreach (var line in lines)
        {
            writer.WriteStartObject();
            writer.WriteString("from"u8, line.Sender);
            if (!string.IsNullOrEmpty(line.SenderName))
            {
                // Omitted when unknown, as in the live line (§9.5).
                writer.WriteString("fromDisplay"u8, line.SenderName);
            }

            writer.WriteString("message"u8, line.Message);
            writer.WriteString("type"u8, line.Type);
            writer.WriteNumber("sentAt"u8, line.SentAtMs);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        connection.Send(VertoEventEnvelope.Direct(_verto.NextRequestId(), JsonRpcWriter.End(writer)));
    }

    private void Publish(string channel, JsonObject eventObject)
    {
        var writer = JsonRpcWriter.Rent();
        eventObject.WriteTo(writer);
        _verto.Bus.Publish(channel, JsonRpcWriter.End(writer));
    }

    private void DrainRowUpdates()
    {
        while (true)
        {
            while (_rowUpdates.TryDequeue(out var member))
            {
                UpdateFloorAndRow(member);
            }

            if (Interlocked.Exchange(ref _layoutChanged, 0) == 1)
            {
                RepublishVideoRows();
                PublishLayoutInfo();
            }

            Volatile.Write(ref _rowUpdateScheduled, 0);
            if (_rowUpdates.IsEmpty || Interlocked.Exchange(ref _rowUpdateScheduled, 1) != 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The audio floor goes to a member who starts talking while the holder is silent, and
    /// stays with the last speaker through silence (FreeSWITCH's behaviour); both rows change.
    /// </summary>
    private void UpdateFloorAndRow(ConferenceMember member)
    {
        lock (_gate)
        {
            if (!_members.ContainsKey(member.Id))
            {
                return;
            }

            if (member.Talking && _floor != member && (_floor is null || !_floor.Talking))
            {
                var previous = _floor;
                _floor = member;
                member.HasFloor = true;
                if (previous is not null)
                {
                    previous.HasFloor = false;
                    Array.Modify(previous.Call.CallId, MemberRow.Build(previous));
                }

                // The video floor follows the audio floor, but not faster than the hold time, so
                // a cough does not flip the big tile back and forth.
                var now = Environment.TickCount64;
                if (_canvas is { FloorLocked: false } canvas && member.Source is not null && canvas.FloorId != member.Id
                    && (canvas.FloorId < 0 || now - _videoFloorSinceMs >= VideoFloorHoldMs))
                {
                    _videoFloorSinceMs = now;
                    canvas.SetFloor(member.Id, locked: false);
                }
            }

            Array.Modify(member.Call.CallId, MemberRow.Build(member));
        }
    }

    /// <summary>
    /// The layout-info event of verto-protocol.md §9.4 on the info channel (note <c>eventData</c>):
    /// the canvas's layout with every image's geometry in 360ths and in pixels.
    /// </summary>
    public void PublishLayoutInfo()
    {
        if (_canvas is not { } canvas)
        {
            return;
        }

        Publish(InfoChannel, new JsonObject { ["eventChannel"] = InfoChannel, ["eventData"] = new JsonObject { ["contentType"] = "layout-info", ["canvasInfo"] = CanvasInfo(canvas, withLayouts: true) } });
    }

    /// <summary>One canvas's description (canvasInfo response, layout-info): 0-based id, layers, floor layer, layout name.</summary>
    public static JsonObject CanvasInfo(VideoCanvas canvas, bool withLayouts)
    {
        var layout = canvas.Layout;
        var info = new JsonObject
        {
            ["canvasID"] = 0,
            ["totalLayers"] = layout.Images.Count,
            ["layersUsed"] = canvas.LayersUsed,
            ["layoutFloorID"] = layout.FloorIndex,
            ["layoutName"] = layout.Name,
        };
        if (withLayouts)
        {
            var images = new JsonArray();
            foreach (var image in layout.Images)
            {
                var rect = TileGeometry.Tile(image, canvas.Width, canvas.Height);
                images.Add(new JsonObject
                {
                    ["x"] = image.X,
                    ["y"] = image.Y,
                    ["scale"] = image.Scale,
                    ["hscale"] = image.HScale,
                    ["zoom"] = image.Zoom ? 1 : 0,
                    ["border"] = image.Border,
                    ["floor"] = image.Floor || image.FloorOnly ? 1 : 0,
                    ["overlap"] = image.Overlap ? 1 : 0,
                    ["screenWidth"] = rect.Width,
                    ["screenHeight"] = rect.Height,
                    ["xPOS"] = rect.X,
                    ["yPOS"] = rect.Y,
                    ["resID"] = image.ReservationId,
                    ["audioPOS"] = image.AudioPosition,
                });
            }

            info["canvasLayouts"] = images;
            info["scale"] = 360;
        }

        return info;
    }

    /// <summary>Canvas thread: the layout or the slots changed; rows and layout-info follow off that thread.</summary>
    private void OnLayoutChanged(VideoCanvas canvas)
    {
        Interlocked.Exchange(ref _layoutChanged, 1);
        if (Interlocked.Exchange(ref _rowUpdateScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static conference => conference.DrainRowUpdates(), this, preferLocal: false);
        }
    }

    private void RepublishVideoRows()
    {
        lock (_gate)
        {
            foreach (var member in _members.Values)
            {
                if (member.Source is not null)
                {
                    Array.Modify(member.Call.CallId, MemberRow.Build(member));
                }
            }
        }
    }

    private VideoCanvas CreateCanvas()
    {
        var canvas = _canvasFactory!(this);
        canvas.LayoutChanged = OnLayoutChanged;
        return canvas;
    }

    private void Grant(VertoConnection? connection, ConferenceMember member)
    {
        if (connection is null)
        {
            return;
        }

        connection.GrantChannel(LiveArrayChannel);
        connection.GrantChannel(ChatChannel);
        connection.GrantChannel(InfoChannel);
        if (member.IsModerator)
        {
            connection.GrantChannel(ModChannel);
        }
    }

    /// <summary>§9.1: the direct event that tells the member's browser it is in a conference (join) or left it (part).</summary>
    private void SendPvtData(ConferenceMember member, bool join)
    {
        var connection = member.Call.Connection;
        if (connection?.SessionId is not { } sessid)
        {
            return;
        }

        var pvtData = new JsonObject
        {
            ["callID"] = member.Call.CallId,
            ["action"] = join ? "conference-liveArray-join" : "conference-liveArray-part",
            ["laChannel"] = LiveArrayChannel,
            ["laName"] = Name,
            ["role"] = member.IsModerator ? "moderator" : "participant",
            ["chatID"] = ChatId,
            ["conferenceMemberID"] = member.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["canvasCount"] = 1,
        };
        if (member.IsModerator)
        {
            pvtData["modChannel"] = ModChannel;
        }

        if (member.Call.ScreenShare)
        {
            // verto-protocol.md trap 14: VC ignores pvtData so marked, instead of restarting its conference view.
            pvtData["screenShare"] = true;
        }

        pvtData["chatChannel"] = ChatChannel;
        pvtData["infoChannel"] = InfoChannel;
        var eventObject = new JsonObject { ["eventChannel"] = sessid, ["eventType"] = "channelPvtData", ["pvtData"] = pvtData };
        var writer = JsonRpcWriter.Rent();
        eventObject.WriteTo(writer);
        connection.Send(VertoEventEnvelope.Direct(_verto.NextRequestId(), JsonRpcWriter.End(writer)));
    }
}

using System.Text.Json;
using MediaServer.Calls;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Runtime;
using MediaServer.Mixer.Video;
using MediaServer.Observability;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;
using MediaServer.Storage;
using Microsoft.Extensions.Logging;

namespace MediaServer.Conferences;

/// <summary>
/// Every conference room: made on first join from its profile, dropped when the last member
/// leaves. Joins and leaves take this registry's lock and then the room's, so a room cannot
/// be dropped while someone joins it. The call registry calls in with its own lock held
/// (hangups cascade into a leave), so nothing here ever calls back into the call registry
/// while holding a lock: a kick is a hangup started after the room's lock is released.
/// Also the entry point for the conference families of verto.broadcast (mod commands, chat)
/// and for DTMF from members.
/// </summary>
internal sealed class ConferenceRegistry : IDisposable
{
    /// <summary>A chat line is a line, not a file: longer ones are refused, and nothing is stored.</summary>
    public const int MaxChatLength = 4096;

    /// <summary>Lines a history request gets when it names no limit.</summary>
    public const int DefaultChatHistory = 50;

    /// <summary>The most lines one history request gets (200 lines of up to 4 KiB stay under a megabyte).</summary>
    public const int MaxChatHistory = 200;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Conference> _rooms = new(StringComparer.Ordinal);
    private readonly VertoServer _verto;
    private readonly MixerClock _clock;
    private readonly Dictionary<int, MixerClock> _videoClocks = [];
    private readonly BannerRenderer? _banners;
    private readonly ChatStore? _chat;
    private readonly ILogger _log;
    private readonly OverloadGovernor _governor;
    private volatile int _overloadLevel;

    public ConferenceRegistry(VertoServer verto, MixerClock clock, MixerMetrics metrics, ChatStore? chat, BannerRenderer? banners = null)
    {
        _verto = verto;
        _clock = clock;
        _banners = banners;
        MixerMetrics = metrics;
        _chat = chat;
        _log = verto.Log;
        _governor = new OverloadGovernor(verto.Limits.OverloadLatenessMs);
    }

    public MixerMetrics MixerMetrics { get; }

    /// <summary>The overload governor's level now: 0 normal, 1 reduced, 2 minimal (see <see cref="OverloadGovernor"/>).</summary>
    public int OverloadLevel => _overloadLevel;

    /// <summary>Whether new calls are refused now because the server is overloaded (level 2 and limits.refuseJoinsWhenOverloaded).</summary>
    public bool RefusingForOverload => _overloadLevel >= OverloadGovernor.MaxLevel && _verto.Limits.RefuseJoinsWhenOverloaded;

    /// <summary>Opus complexity steps taken off at a level: level 1 three, level 2 all (complexity 0).</summary>
    public static int ComplexityReduction(int level) => level switch
    {
        0 => 0,
        1 => 3,
        _ => 10,
    };

    /// <summary>The frame rate a canvas of <paramref name="fps"/> sends at a level: all, half, or a third but at least 5 (never above the profile's).</summary>
    public static int OutputFps(int fps, int level) => level switch
    {
        0 => fps,
        1 => Math.Max(1, fps / 2),
        _ => Math.Min(fps, Math.Max(5, fps / 3)),
    };

    /// <summary>
    /// The 1 s watchdog: the governor reads the last second of mixer tick lateness; when its
    /// level changes every room's mixer and canvas follow, the change is logged once and counted.
    /// </summary>
    public void EvaluateOverload()
    {
        // Timer callbacks may overlap when one runs long; the governor counts seconds, one at a time.
        lock (_governor)
        {
            if (_governor.Evaluate(MixerMetrics.LatenessBuckets) is { } level)
            {
                SetOverloadLevel(level, _governor.LastP99Us);
            }
        }
    }

    private void SetOverloadLevel(int level, long p99Us)
    {
        var previous = _overloadLevel;
        _overloadLevel = level;
        Interlocked.Exchange(ref _verto.Metrics.OverloadLevel, level);
        List<Conference> rooms;
        lock (_gate)
        {
            rooms = [.. _rooms.Values];
        }

        foreach (var room in rooms)
        {
            ApplyOverload(room, level);
        }

        var lateness = p99Us == long.MaxValue
            ? $"> {MixerMetrics.LatenessBoundsUs[^1] / 1000} ms"
            : $"<= {p99Us / 1000.0:0.##} ms";
        if (level > previous)
        {
            Interlocked.Increment(ref _verto.Metrics.OverloadRaises);
            ConferenceLog.OverloadRaised(_log, lateness, _verto.Limits.OverloadLatenessMs, level, ComplexityReduction(level), level == 1 ? "half" : "a third (min 5)",
                RefusingForOverload ? "; new calls are refused" : string.Empty);
        }
        else
        {
            Interlocked.Increment(ref _verto.Metrics.OverloadLowers);
            ConferenceLog.OverloadLowered(_log, lateness, level, level == 0 ? ": profile complexity and fps restored" : string.Empty);
        }
    }

    private static void ApplyOverload(Conference room, int level)
    {
        room.Mixer.ComplexityReduction = ComplexityReduction(level);
        if (room.Canvas is { } canvas)
        {
            canvas.OutputFps = OutputFps(canvas.Fps, level);
        }
    }

    /// <summary>Where chat lines are kept (null without a database).</summary>
    public ChatStore? ChatLog => _chat;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rooms.Count;
            }
        }
    }

    public int MemberCount
    {
        get
        {
            lock (_gate)
            {
                return _rooms.Values.Sum(r => r.Count);
            }
        }
    }

    public Conference? Find(string name)
    {
        lock (_gate)
        {
            return _rooms.GetValueOrDefault(name);
        }
    }

    /// <summary>The room a conference channel (<c>conference-mod.3500@example.com</c>) belongs to.</summary>
    public Conference? FindByChannel(string channel)
    {
        var dot = channel.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return null;
        }

        var qualified = channel.AsSpan(dot + 1);
        lock (_gate)
        {
            foreach (var room in _rooms.Values)
            {
                if (qualified.SequenceEqual(room.QualifiedName))
                {
                    return room;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Puts an answered call into a room, making the room when it is the first. Null on
    /// success; otherwise the cause to hang up with and why (locked, full, PIN).
    /// </summary>
    /// <summary>The PIN a caller must give to join <paramref name="room"/> now (the live room's, else its profile's), or null.</summary>
    public string? RequiredPin(string room, string? ruleProfile)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(room, out var conference) ? conference.Pin : _verto.Settings.Conferences.Resolve(room, ruleProfile).Pin;
        }
    }

    public (HangupCause Cause, string Reason)? Join(Call call, string room, string? ruleProfile)
    {
        var (profile, pin) = _verto.Settings.Conferences.Resolve(room, ruleProfile);
        ConferenceMember member;
        lock (_gate)
        {
            if (call.State == CallState.Ended || call.Leg is null)
            {
                return (HangupCause.NormalClearing, "the call ended before it joined");
            }

            _rooms.TryGetValue(room, out var conference);
            var requiredPin = conference?.Pin ?? pin;
            if (requiredPin is not null && call.Pin != requiredPin)
            {
                return Refuse(call, room, HangupCause.CallRejected, call.Pin is null ? "a PIN is required (dialogParams pin)" : "wrong PIN");
            }

            if (conference is { Locked: true })
            {
                return Refuse(call, room, HangupCause.CallRejected, "the room is locked");
            }

            var limit = conference?.Profile.MaxMembers ?? profile.MaxMembers;
            if (limit > 0 && conference is not null && conference.Count >= limit)
            {
                return Refuse(call, room, HangupCause.NormalCircuitCongestion, $"the room is full ({limit} members)");
            }

            var serverLimit = _verto.Limits.MaxConferenceMembers;
            if (serverLimit > 0 && _rooms.Values.Sum(r => r.Count) >= serverLimit)
            {
                Interlocked.Increment(ref _verto.Metrics.CallsRefusedMaxConferenceMembers);
                return Refuse(call, room, HangupCause.NormalCircuitCongestion, $"the server's conferences are full ({serverLimit} members in all rooms)");
            }

            if (RefusingForOverload)
            {
                Interlocked.Increment(ref _verto.Metrics.CallsRefusedOverloaded);
                return Refuse(call, room, HangupCause.SwitchCongestion, "the server is overloaded; try again shortly");
            }

            if (conference is null)
            {
                conference = Create(room, profile, pin);
                if (conference is null)
                {
                    return Refuse(call, room, HangupCause.SwitchCongestion, "the server holds too many live arrays");
                }
            }

            var entry = call.User.Entry;
            var moderator = entry.Moderator || conference.Profile.Moderators.Contains(entry.Id);
            member = conference.Add(call, moderator);
        }

        ConferenceLog.Joined(_log, call.CallId, room, member.Id, member.IsModerator ? "moderator" : "participant");
        return null;
    }

    /// <summary>A member's call ended (the call registry's lock may be held): it leaves, and an empty room is dropped.</summary>
    public void Leave(ConferenceMember member)
    {
        var conference = member.Conference;
        bool empty;
        lock (_gate)
        {
            empty = conference.Remove(member);
            if (empty && !conference.Closed)
            {
                conference.Closed = true;
                _rooms.Remove(conference.Name);
                _clock.Unregister(conference.Mixer);
                if (conference.Canvas is { } canvas)
                {
                    VideoClock(canvas.Fps).Unregister(canvas);
                }

                _verto.LiveArrays.Remove(conference.LiveArrayChannel, conference.Name);
            }
        }

        ConferenceLog.Left(_log, conference.Name, member.Id);
        _verto.Records?.Enqueue(Records.CallDetailRecord.ForMember(member, DateTimeOffset.UtcNow));
        if (empty)
        {
            // The last one out ends the recording: its file is finished, not left open.
            conference.StopRecording();
            ConferenceLog.Destroyed(_log, conference.Name);
        }
    }

    /// <summary>After a re-attach: the member's new connection gets its channels and the pvtData join again.</summary>
    public static void OnReattached(Call call) => call.Member?.Conference.OnReattached(call.Member);

    /// <summary>
    /// verto.broadcast on a conference-mod or conference-chat channel. Returns false for other
    /// channels (the generic broadcast path handles them). Always answers the call when true.
    /// </summary>
    public bool HandleBroadcast(RpcCall call, string channel, JsonElement parameters)
    {
        var family = EventChannel.Family(channel);
        var isMod = family.SequenceEqual("conference-mod");
        if (!isMod && !family.SequenceEqual("conference-chat"))
        {
            return false;
        }

        var conference = FindByChannel(channel);
        var sender = conference?.MemberOf(call.Connection);
        if (conference is null || sender is null)
        {
            // Only members of a room may speak on its channels; a member of another room included.
            call.Reply(BroadcastHandler.Problem("Permission Denied."));
            return true;
        }

        parameters.TryGetProperty("data"u8, out var data);
        // What a member does on the room's channels is logged with its call's fields (room, memberId).
        using var scope = _log.BeginScope(sender.Call.LogScope);
        if (isMod)
        {
            ConferenceCommands.Handle(call, conference, sender, data, _verto.Calls, _log);
        }
        else if (data.ValueKind == JsonValueKind.Object && VertoDispatcher.StringParam(data, "action") == "history")
        {
            SendChatHistory(call, conference, data);
        }
        else
        {
            SendChat(call, conference, data);
        }

        return true;
    }

    /// <summary>verto.info dtmf from a member's browser (§9.6): FreeSWITCH's default caller controls.</summary>
    public void OnDtmf(ConferenceMember member, string digits)
    {
        using var scope = _log.BeginScope(member.Call.LogScope);
        var hangup = ConferenceCommands.ApplyDtmf(member, digits);
        member.Conference.PublishRow(member);
        if (hangup)
        {
            _verto.Calls?.Hangup(member.Call, HangupCause.NormalClearing, notify: true);
        }
    }

    /// <summary>
    /// Server shutdown: every running recording is stopped and its file finished (sizes,
    /// duration, cues or the end-of-stream page), so a stopped server leaves playable files.
    /// The host calls this first on stop; <see cref="Dispose"/> calls it again (a no-op by then).
    /// </summary>
    public void FinishRecordings()
    {
        List<Conference> rooms;
        lock (_gate)
        {
            rooms = [.. _rooms.Values];
        }

        foreach (var room in rooms)
        {
            room.StopRecording();
        }
    }

    /// <summary>Server shutdown: recordings are finished and every mixer stops (the calls themselves are ended by the call registry).</summary>
    public void Dispose()
    {
        FinishRecordings();
        lock (_gate)
        {
            foreach (var room in _rooms.Values)
            {
                _clock.Unregister(room.Mixer);
                if (room.Canvas is { } canvas)
                {
                    VideoClock(canvas.Fps).Unregister(canvas);
                }
            }

            _rooms.Clear();
        }

        _clock.Dispose();
        foreach (var videoClock in _videoClocks.Values)
        {
            videoClock.Dispose();
        }
    }

    private Conference? Create(string room, ConferenceProfile profile, string? pin)
    {
        var qualified = room.Contains('@', StringComparison.Ordinal) ? room : $"{room}@{_verto.Settings.Directory.Domain}";
        var array = _verto.LiveArrays.GetOrCreate($"conference-liveArray.{qualified}", room);
        if (array is null)
        {
            return null;
        }

        var mixer = new AudioMixer(MixerMetrics) { ComplexityReduction = ComplexityReduction(_overloadLevel) };
        var conference = new Conference(_verto, room, profile, pin, mixer, array, MakeCanvas);
        _rooms[room] = conference;
        _clock.Register(mixer);
        ConferenceLog.Created(_log, room, profile.Name);
        return conference;
    }

    /// <summary>The room's canvas, made when its first video member joins (room lock held), ticking on the clock of its frame rate.</summary>
    private VideoCanvas MakeCanvas(Conference conference)
    {
        var profile = conference.Profile;
        var canvas = new VideoCanvas(
            new VideoCanvasSettings
            {
                Width = profile.CanvasWidth,
                Height = profile.CanvasHeight,
                Fps = profile.Fps,
                BitrateKbps = profile.VideoBitrateKbps,
                CpuUsed = profile.VideoCpuUsed,
                Layout = profile.LayoutGroup.Contains(':', StringComparison.Ordinal) || _verto.Settings.Layouts.FindLayout(profile.LayoutGroup) is not null
                    ? profile.LayoutGroup
                    : $"group:{profile.LayoutGroup}",
            },
            _verto.Settings.Layouts,
            MixerMetrics,
            _banners)
        {
            OutputFps = OutputFps(profile.Fps, _overloadLevel),
        };
        lock (_videoClocks)
        {
            VideoClock(profile.Fps).Register(canvas);
        }

        return canvas;
    }

    /// <summary>The last error a canvas tick threw, if any (diagnostics).</summary>
    public Exception? LastVideoTickError
    {
        get
        {
            lock (_videoClocks)
            {
                return _videoClocks.Values.Select(c => c.LastTickError).FirstOrDefault(e => e is not null);
            }
        }
    }

    /// <summary>One clock per frame rate in use; a canvas ticks on the one of its profile's fps.</summary>
    private MixerClock VideoClock(int fps)
    {
        lock (_videoClocks)
        {
            if (!_videoClocks.TryGetValue(fps, out var clock))
            {
                clock = new MixerClock(MixerMetrics, periodMs: Math.Max(1, 1000 / fps), recordLateness: false);
                _videoClocks[fps] = clock;
            }

            return clock;
        }
    }

    private (HangupCause, string) Refuse(Call call, string room, HangupCause cause, string reason)
    {
        ConferenceLog.Refused(_log, call.CallId, room, reason);
        return (cause, reason);
    }

    /// <summary>
    /// Our extension, not Verto (VC never asks): <c>action:"history"</c> with an optional
    /// <c>limit</c> answers <c>{}</c> and then sends the requester alone this room's newest lines,
    /// only those of the current meeting in it (sent since the room was made).
    /// </summary>
    private void SendChatHistory(RpcCall call, Conference conference, JsonElement data)
    {
        var limit = DefaultChatHistory;
        if (data.TryGetProperty("limit"u8, out var requested) && requested.ValueKind == JsonValueKind.Number && requested.TryGetDouble(out var number))
        {
            limit = (int)Math.Clamp(number, 1, MaxChatHistory);
        }

        // Read before answering: a database failure then fails the request instead of leaving it without its event.
        var lines = _chat?.Recent(conference.QualifiedName, limit, conference.CreatedAtMs) ?? [];
        call.Reply(null);
        conference.SendChatHistory(call.Connection, lines);
    }

    /// <summary>§9.5: only <c>action:"send"</c> is acted on (history aside); the line goes to every subscriber, the sender too, and into the database.</summary>
    private void SendChat(RpcCall call, Conference conference, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || VertoDispatcher.StringParam(data, "action") != "send")
        {
            call.Reply(null);
            return;
        }

        var message = VertoDispatcher.StringParam(data, "message");
        if (string.IsNullOrEmpty(message))
        {
            call.Reply(BroadcastHandler.Problem("Chat message missing."));
            return;
        }

        if (message.Length > MaxChatLength)
        {
            call.Reply(BroadcastHandler.Problem($"Chat message longer than {MaxChatLength} characters."));
            return;
        }

        var type = VertoDispatcher.StringParam(data, "type") ?? "message";
        var user = call.Connection.User!;
        call.Reply(null);
        // Kept before it is shown: whoever sees the line can find it in the record.
        _chat?.Save(conference.QualifiedName, user.Uid, user.DisplayName, message, type);
        conference.PublishChat(user.Uid, user.DisplayName, message, type);
    }
}

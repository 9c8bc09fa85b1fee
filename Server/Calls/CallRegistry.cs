using System.Text.Json.Nodes;
using MediaServer.Configuration;
using MediaServer.Media;
using MediaServer.Media.Dtls;
using MediaServer.Observability;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;
using Microsoft.Extensions.Logging;

namespace MediaServer.Calls;

/// <summary>
/// Every live call, and the call control that touches more than one of them: routing by
/// the dialplan, ringing a user's browsers and bridging the first to answer, hangup with
/// its cascade (peer, forks, originator), detach on disconnect and re-attach on reconnect
/// (verto-protocol.md §6). One lock guards all call state: calls change at signalling
/// speed, and one lock keeps both legs of a bridge consistent without lock ordering.
/// Media legs are disposed outside the lock (their DTLS threads take a moment to stop).
/// Owned by the host through <see cref="VertoServer.Calls"/>.
/// </summary>
internal sealed class CallRegistry : IDisposable
{
    /// <summary>How long a user's browsers ring before the caller hears NO_ANSWER.</summary>
    public const int RingTimeoutMs = 60_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Call> _calls = new(StringComparer.Ordinal);
    private readonly VertoServer _verto;
    private readonly DtlsCertificate _certificate;
    private readonly CodecList _codecs;

    /// <summary>The same codecs with G.711 first: for browser calls that end on a phone, so the relay needs no transcoding.</summary>
    private readonly CodecList _g711First;
    private readonly Dialplan _dialplan;
    private readonly int _detachTimeoutMs;
    private readonly ILogger _log;
    private readonly ServerMetrics _metrics;

    public CallRegistry(VertoServer verto, MediaEndpoint media, DtlsCertificate certificate, CodecList codecs)
    {
        _verto = verto;
        Media = media;
        _certificate = certificate;
        _codecs = codecs;
        _dialplan = verto.Settings.Dialplan;
        var g711 = codecs.Names.Where(n => n is "pcmu" or "pcma").Concat(codecs.Names.Where(n => n is not ("pcmu" or "pcma")));
        _g711First = CodecList.TryParse(string.Join(',', g711), out var reordered, out _) ? reordered! : codecs;
        _detachTimeoutMs = verto.Limits.DetachTimeoutSeconds * 1000;
        _log = verto.Log;
        _metrics = verto.Metrics;
    }

    public MediaEndpoint Media { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>A snapshot of every call leg (for tests and diagnostics).</summary>
    public IReadOnlyList<Call> All()
    {
        lock (_gate)
        {
            return [.. _calls.Values];
        }
    }

    public Call? Find(string callId)
    {
        lock (_gate)
        {
            return _calls.GetValueOrDefault(callId);
        }
    }

    /// <summary>The calls of one sessid (tests and the reconnect path look at them).</summary>
    public IReadOnlyList<Call> CallsOf(string sessid)
    {
        lock (_gate)
        {
            return _calls.Values.Where(c => c.Sessid == sessid).ToList();
        }
    }

    /// <summary>
    /// Call admission control, before anything is made for a new inbound call (Verto or SIP):
    /// null when it may proceed, else the cause to refuse it with and a reason a person can
    /// read. Past limits.maxCalls the cause is NORMAL_CIRCUIT_CONGESTION (no channel free);
    /// while the overload governor is at its top level (and limits.refuseJoinsWhenOverloaded)
    /// SWITCH_CONGESTION. Counted in /metrics by reason.
    /// </summary>
    public (HangupCause Cause, string Reason)? Admit()
    {
        var maxCalls = _verto.Limits.MaxCalls;
        if (maxCalls > 0 && Count >= maxCalls)
        {
            Interlocked.Increment(ref _metrics.CallsRefusedMaxCalls);
            return (HangupCause.NormalCircuitCongestion, $"the server is at its call limit ({maxCalls} calls); try again later");
        }

        if (_verto.Conferences is { RefusingForOverload: true })
        {
            Interlocked.Increment(ref _metrics.CallsRefusedOverloaded);
            return (HangupCause.SwitchCongestion, "the server is overloaded; try again shortly");
        }

        return null;
    }

    /// <summary>
    /// verto.invite, first half: negotiates the browser's offer and registers the call, before
    /// CALL CREATED is sent. Null when the offer cannot be served (nothing is left behind).
    /// </summary>
    public Call? CreateInbound(VertoConnection connection, DialogParams dialog, SessionDescription offer, out SessionDescription? answer, out NegotiationFailure failure, out string? error, out HangupCause refusal)
    {
        answer = null;
        refusal = HangupCause.InvalidMsgUnspecified;
        lock (_gate)
        {
            if (_calls.ContainsKey(dialog.CallId))
            {
                failure = NegotiationFailure.None;
                error = "callID already in use";
                return null;
            }
        }

        var user = connection.User!;
        var call = new Call(this, dialog.CallId, CallDirection.Inbound, connection.SessionId!, user, connection)
        {
            State = CallState.Trying,
            RecoverCall = dialog.RecoverCall,
            DestinationNumber = dialog.DestinationNumber ?? string.Empty,
            CallerIdName = NonEmpty(dialog.CallerIdName, user.Entry.Name),
            CallerIdNumber = NonEmpty(dialog.CallerIdNumber, user.Entry.Id),
            CalleeIdName = dialog.RemoteCallerIdName ?? string.Empty,
            CalleeIdNumber = NonEmpty(dialog.RemoteCallerIdNumber, dialog.DestinationNumber ?? string.Empty),
            Pin = dialog.Pin,
            UserVariablesJson = dialog.UserVariablesJson,
            ScreenShare = dialog.ScreenShare || (dialog.DestinationNumber?.EndsWith("-screen", StringComparison.Ordinal) ?? false),
        };
        var leg = new MediaLeg(Media, _certificate, PrefersG711(call.DestinationNumber) ? _g711First : _codecs, call, user.Uid);
        if (!leg.TryAnswer(offer, dialog.UseStereo, out answer, out failure, out error))
        {
            leg.Dispose();
            return null;
        }

        call.Leg = leg;
        lock (_gate)
        {
            // Admit() ran before the offer was negotiated; invites racing it are counted again here.
            var maxCalls = _verto.Limits.MaxCalls;
            if (maxCalls > 0 && _calls.Count >= maxCalls)
            {
                leg.Dispose();
                Interlocked.Increment(ref _metrics.CallsRefusedMaxCalls);
                failure = NegotiationFailure.None;
                refusal = HangupCause.NormalCircuitCongestion;
                error = $"the server is at its call limit ({maxCalls} calls); try again later";
                return null;
            }

            if (!_calls.TryAdd(call.CallId, call))
            {
                leg.Dispose();
                failure = NegotiationFailure.None;
                error = "callID already in use";
                return null;
            }

            Interlocked.Increment(ref _metrics.CallsActive);
            Interlocked.Increment(ref _metrics.CallsTotal);
        }

        CallLog.Created(_log, call.CallId, user.Uid, call.DestinationNumber);
        if (_log.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            CallLog.SdpAnswered(_log, call.CallId, SdpSummary(offer), SdpSummary(answer!));
        }

        return call;
    }

    /// <summary>"audio 111,0 sendrecv; video 96 sendrecv": kind, payload types and direction per media section, for a Debug line.</summary>
    private static string SdpSummary(SessionDescription description) =>
        string.Join("; ", description.Media.Select(m => $"{m.Media} {string.Join(',', m.Formats)} {m.Direction.ToString().ToLowerInvariant()}"));

    /// <summary>verto.invite, second half (after CALL CREATED went out): the dialplan decides where the call goes.</summary>
    public void Route(Call call, SessionDescription answer)
    {
        var route = _dialplan.Route(call.DestinationNumber);
        switch (route?.Action)
        {
            case null:
                Hangup(call, HangupCause.NoRouteDestination, notify: true);
                return;
            case DialplanAction.Echo:
                StartEcho(call, answer);
                return;
            case DialplanAction.User:
                RingUser(call, answer, route.Target ?? string.Empty);
                return;
            case DialplanAction.Conference:
                JoinConference(call, answer, route.Target ?? call.DestinationNumber, route.Rule.Profile);
                return;
            case DialplanAction.Trunk:
                RouteToTrunk(call, answer, route);
                return;
        }
    }

    /// <summary>verto.answer from a browser we rang: apply its SDP, bridge it to the caller, stop the other forks.</summary>
    public string? Answer(VertoConnection connection, DialogParams dialog, SessionDescription answer)
    {
        Call? call;
        lock (_gate)
        {
            call = _calls.GetValueOrDefault(dialog.CallId);
            if (call is null || call.Sessid != connection.SessionId || call.Direction != CallDirection.Outbound || call.State != CallState.Ringing)
            {
                return "CALL DOES NOT EXIST";
            }
        }

        if (!call.Leg!.TryApplyAnswer(answer, out var failure, out var error))
        {
            CallLog.MediaFailed(_log, call.CallId, error ?? failure.ToString());
            Hangup(call, failure == NegotiationFailure.NoCommonCodec ? HangupCause.IncompatibleDestination : HangupCause.NormalTemporaryFailure, notify: false);
            return failure == NegotiationFailure.NoCommonCodec ? "CODEC ERROR" : "MEDIA ERROR";
        }

        var dispose = new List<MediaLeg>();
        Call? originator;
        lock (_gate)
        {
            originator = call.Originator;
            if (call.State != CallState.Ringing || originator is null || originator.State == CallState.Ended)
            {
                EndLocked(call, HangupCause.OriginatorCancel, notify: false, dispose);
                Release(dispose);
                return "CALL DOES NOT EXIST";
            }

            call.CalleeIdName = NonEmpty(dialog.CalleeIdName, call.User.Entry.Name);
            call.CalleeIdNumber = NonEmpty(dialog.CalleeIdNumber, call.User.Entry.Id);
            BridgeLocked(call, originator, dispose);
        }

        Release(dispose);
        originator.Leg?.RequestKeyFrame();
        call.Leg.RequestKeyFrame();
        CallLog.Bridged(_log, originator.CallId, call.CallId);
        return null;
    }

    /// <summary>A SIP leg we rang (a phone or trunk) answered: bridge it to its caller like a browser's verto.answer.</summary>
    public void AnswerSipFork(Call call)
    {
        var dispose = new List<MediaLeg>();
        Call? originator;
        lock (_gate)
        {
            originator = call.Originator;
            if (call.State != CallState.Ringing || originator is null || originator.State == CallState.Ended)
            {
                EndLocked(call, HangupCause.OriginatorCancel, notify: true, dispose);
                originator = null;
            }
            else
            {
                BridgeLocked(call, originator, dispose);
            }
        }

        Release(dispose);
        if (originator is not null)
        {
            originator.Leg?.RequestKeyFrame();
            CallLog.Bridged(_log, originator.CallId, call.CallId);
        }
    }

    /// <summary>
    /// A new SIP call (a phone's INVITE, or our INVITE to a phone or trunk): registered like a
    /// Verto call, with no connection; its SIP side (<see cref="Call.Sip"/>) carries its events.
    /// </summary>
    public Call CreateSipCall(CallDirection direction, AuthenticatedUser user, string destination, string callerName, string callerNumber)
    {
        var call = new Call(this, Guid.NewGuid().ToString(), direction, "sip:" + Guid.NewGuid().ToString("N"), user, null)
        {
            State = direction == CallDirection.Inbound ? CallState.Trying : CallState.Ringing,
            RecoverCall = false,
            DestinationNumber = destination,
            CallerIdName = callerName,
            CallerIdNumber = callerNumber,
            CalleeIdNumber = destination,
        };
        lock (_gate)
        {
            _calls[call.CallId] = call;
            Interlocked.Increment(ref _metrics.CallsActive);
            Interlocked.Increment(ref _metrics.CallsTotal);
        }

        CallLog.Created(_log, call.CallId, user.Uid, destination);
        return call;
    }

    /// <summary>Answered: the other forks lose the race, and the two legs relay to each other.</summary>
    private void BridgeLocked(Call call, Call originator, List<MediaLeg> dispose)
    {
        call.State = CallState.Active;
        {
            foreach (var fork in originator.Forks ?? [])
            {
                if (fork != call)
                {
                    fork.Originator = null;
                    EndLocked(fork, HangupCause.LoseRace, notify: true, dispose);
                }
            }

            originator.Forks = null;
            call.Originator = null;
            call.Peer = originator;
            originator.Peer = call;
            originator.State = CallState.Active;
            originator.CalleeIdName = call.CalleeIdName;
            originator.CalleeIdNumber = call.CalleeIdNumber;
            originator.Leg!.Target = call.Leg;
            call.Leg!.Target = originator.Leg;
            // The caller got our answer SDP in verto.media already, so this answer carries none (§4.3).
            originator.Send(VertoMethod.Answer, new JsonObject { ["callID"] = originator.CallId, ["variables"] = new JsonObject() });
            originator.SendDisplay(call.CalleeIdName, call.CalleeIdNumber);
        }
    }

    /// <summary>verto.bye from the client: the call ends without a bye back; returns the call or null when unknown.</summary>
    public Call? Bye(VertoConnection connection, string callId, HangupCause cause)
    {
        Call? call;
        lock (_gate)
        {
            call = _calls.GetValueOrDefault(callId);
            if (call is null || call.Sessid != connection.SessionId)
            {
                return null;
            }
        }

        Hangup(call, cause, notify: false);
        return call;
    }

    /// <summary>Ends a call with a cause, telling its client when <paramref name="notify"/>, and cascading to peer, forks and originator.</summary>
    public void Hangup(Call call, HangupCause cause, bool notify)
    {
        var dispose = new List<MediaLeg>();
        lock (_gate)
        {
            EndLocked(call, cause, notify, dispose);
        }

        Release(dispose);
    }

    /// <summary>verto.modify hold/unhold/toggleHold: the held leg's media is neither relayed out nor in. Returns the new hold state.</summary>
    public bool? SetHold(VertoConnection connection, string callId, bool? hold)
    {
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.Sessid != connection.SessionId)
            {
                return null;
            }

            if (!call.Answered)
            {
                // Holding an unanswered call would push verto.js into a state its table forbids (§6.1).
                return false;
            }

            var held = hold ?? call.State != CallState.Held;
            ApplyHoldLocked(call, held);
            return held;
        }
    }

    /// <summary>A phone's re-INVITE put it on hold (sendonly, inactive, c=0.0.0.0) or took it off.</summary>
    public void SetHold(Call call, bool held)
    {
        lock (_gate)
        {
            if (call.Answered)
            {
                ApplyHoldLocked(call, held);
            }
        }
    }

    /// <summary>A held leg is neither relayed out nor in; in a room it neither speaks nor hears, and its row says so.</summary>
    private static void ApplyHoldLocked(Call call, bool held)
    {
        call.State = held ? CallState.Held : CallState.Active;
        call.Leg!.Held = held;
        if (!held)
        {
            call.Leg.Target?.RequestKeyFrame();
        }

        if (call.Member is { } member)
        {
            member.Mixer?.Held = held;
            member.Conference.PublishRow(member);
        }
    }

    /// <summary>
    /// After a connection authenticates: every answered call of its sessid that another (or no)
    /// connection holds is offered again with verto.attach (§6.6 step 1). Returns their callIDs
    /// for verto.clientReady.
    /// </summary>
    public List<string> Reattach(VertoConnection connection)
    {
        var reattached = new List<string>();
        lock (_gate)
        {
            foreach (var call in _calls.Values)
            {
                if (call.Sessid != connection.SessionId || call.Connection == connection || !call.Answered)
                {
                    continue;
                }

                call.Connection = connection;
                call.DetachedAtMs = 0;
                call.AwaitingAttach = true;
                var offer = call.Leg!.CreateReattachOffer();
                call.Send(VertoMethod.Attach, new JsonObject
                {
                    ["callID"] = call.CallId,
                    ["variables"] = new JsonObject(),
                    ["sdp"] = offer.ToString(),
                    ["caller_id_name"] = call.CallerIdName,
                    ["caller_id_number"] = call.CallerIdNumber,
                    ["callee_id_name"] = call.CalleeIdName,
                    ["callee_id_number"] = call.CalleeIdNumber,
                    ["display_direction"] = call.DisplayDirection,
                });
                reattached.Add(call.CallId);
                CallLog.Reattaching(_log, call.CallId, connection.SessionId!);
            }
        }

        return reattached;
    }

    /// <summary>C→S verto.attach: the browser's answer to our re-attach offer (§3.8). Null on success, else the error message.</summary>
    public string? CompleteAttach(VertoConnection connection, string callId, SessionDescription answer)
    {
        Call? call;
        lock (_gate)
        {
            call = _calls.GetValueOrDefault(callId);
            if (call is null || call.Sessid != connection.SessionId)
            {
                return "CALL DOES NOT EXIST";
            }

            if (!call.Answered)
            {
                // FreeSWITCH hangs such a call up too; the leg is disposed below, outside the lock.
                var legs = new List<MediaLeg>();
                EndLocked(call, HangupCause.NormalClearing, notify: true, legs);
                Task.Run(() => Release(legs));
                return "Cannot attach to a call that has not been answered.";
            }

            if (!call.AwaitingAttach)
            {
                // An attach answer we did not ask for: there is no offer to apply it to.
                return "MEDIA ERROR";
            }

            call.AwaitingAttach = false;
        }

        if (!call.Leg!.TryApplyAnswer(answer, out var failure, out var error))
        {
            CallLog.MediaFailed(_log, call.CallId, error ?? failure.ToString());
            Hangup(call, HangupCause.BearercapabilityNotavail, notify: true);
            return failure == NegotiationFailure.NoCommonCodec ? "CODEC NEGOTIATION ERROR" : "MEDIA ERROR";
        }

        CallLog.Reattached(_log, call.CallId);
        Conferences.ConferenceRegistry.OnReattached(call);
        return null;
    }

    /// <summary>A socket closed (§6.6): unanswered calls end, answered ones detach and wait for a reconnect.</summary>
    public void OnConnectionClosed(VertoConnection connection)
    {
        var dispose = new List<MediaLeg>();
        var now = Environment.TickCount64;
        lock (_gate)
        {
            foreach (var call in _calls.Values.ToList())
            {
                if (call.Connection != connection || call.State == CallState.Ended)
                {
                    continue;
                }

                call.Connection = null;
                if (!call.Answered)
                {
                    EndLocked(call, HangupCause.DestinationOutOfOrder, notify: false, dispose);
                }
                else if (!call.RecoverCall)
                {
                    EndLocked(call, HangupCause.NormalClearing, notify: false, dispose);
                }
                else
                {
                    call.DetachedAtMs = now;
                    call.AwaitingAttach = false;
                    CallLog.Detached(_log, call.CallId, _detachTimeoutMs / 1000);
                }
            }
        }

        Release(dispose);
    }

    /// <summary>Once a second: detach and ring timeouts, RTCP reports.</summary>
    public void Tick(long nowMs)
    {
        var dispose = new List<MediaLeg>();
        List<MediaLeg> legs;
        lock (_gate)
        {
            foreach (var call in _calls.Values.ToList())
            {
                if (call.Connection is null && call.DetachedAtMs != 0 && nowMs - call.DetachedAtMs > _detachTimeoutMs)
                {
                    EndLocked(call, HangupCause.RecoveryOnTimerExpire, notify: false, dispose);
                }
                else if (call.Forks is { Count: > 0 } && call.State == CallState.Early && nowMs - call.CreatedMs > RingTimeoutMs)
                {
                    EndLocked(call, HangupCause.NoAnswer, notify: true, dispose);
                }
            }

            legs = _calls.Values.Where(c => c.Leg is not null).Select(c => c.Leg!).ToList();
        }

        Release(dispose);
        foreach (var leg in legs)
        {
            leg.SendReports(nowMs);
        }
    }

    /// <summary>Ends every call (server shutdown) with SYSTEM_SHUTDOWN.</summary>
    public void Dispose()
    {
        var dispose = new List<MediaLeg>();
        lock (_gate)
        {
            foreach (var call in _calls.Values.ToList())
            {
                EndLocked(call, HangupCause.SystemShutdown, notify: true, dispose);
            }
        }

        Release(dispose);
    }

    internal void OnMediaReady(Call call) => CallLog.MediaReady(_log, call.CallId, call.Leg is { IsPlain: true } ? "RTP/AVP" : call.Leg?.Transport?.Profile?.ToString() ?? "?");

    internal void OnMediaFailed(Call call, TransportFailure failure, string reason)
    {
        CallLog.MediaFailed(_log, call.CallId, reason);
        var cause = failure switch
        {
            TransportFailure.ConsentExpired or TransportFailure.IceTimeout or TransportFailure.RtpTimeout => HangupCause.MediaTimeout,
            TransportFailure.DtlsFailed => HangupCause.SrtpReadError,
            _ => HangupCause.NormalClearing,
        };
        Hangup(call, cause, notify: true);
    }

    private void StartEcho(Call call, SessionDescription answer)
    {
        lock (_gate)
        {
            if (call.State == CallState.Ended)
            {
                return;
            }

            call.IsEcho = true;
            call.State = CallState.Active;
            call.CalleeIdName = "Echo Test";
            call.CalleeIdNumber = call.DestinationNumber;
            call.Leg!.Target = call.Leg;
            call.Send(VertoMethod.Answer, new JsonObject { ["callID"] = call.CallId, ["sdp"] = answer.ToString(), ["variables"] = new JsonObject() });
            call.SendDisplay("Echo Test", call.DestinationNumber);
        }

        CallLog.Routed(_log, call.CallId, "echo");
    }

    /// <summary>
    /// The conference action: the call is answered (our SDP in verto.answer, the room's name in
    /// verto.display) and joins the room, or ends with the room's reason (locked, full, PIN).
    /// </summary>
    private void JoinConference(Call call, SessionDescription answer, string room, string? profile)
    {
        var conferences = _verto.Conferences;
        if (conferences is null)
        {
            Hangup(call, HangupCause.FacilityNotImplemented, notify: true);
            return;
        }

        lock (_gate)
        {
            if (call.State == CallState.Ended)
            {
                return;
            }

            // Answered first, as FreeSWITCH does before it tells a caller the room is locked:
            // the browser then sees answer, then pvtData join (or a bye with the reason).
            call.State = CallState.Active;
            call.CalleeIdName = room;
            call.CalleeIdNumber = call.DestinationNumber;
            call.Send(VertoMethod.Answer, new JsonObject { ["callID"] = call.CallId, ["sdp"] = answer.ToString(), ["variables"] = new JsonObject() });
            call.SendDisplay(room, call.DestinationNumber);
            var refused = conferences.Join(call, room, profile);
            if (refused is { } refusal)
            {
                var dispose = new List<MediaLeg>();
                EndLocked(call, refusal.Cause, notify: true, dispose);
                Task.Run(() => Release(dispose));
                return;
            }
        }

        CallLog.Routed(_log, call.CallId, $"conference {room}");
    }

    private void RingUser(Call call, SessionDescription answer, string userId)
    {
        var domain = _verto.Settings.Directory.Domain;
        var callee = _verto.Settings.Directory.Find(userId, domain);
        if (callee is null)
        {
            Hangup(call, HangupCause.UnallocatedNumber, notify: true);
            return;
        }

        var targets = _verto.Sessions.ConnectionsOf(callee.Uid).Where(c => c != call.Connection && c.SessionId is not null).ToList();
        var phones = _verto.Sip?.BindingsOf(callee.Uid) ?? [];
        if (targets.Count == 0 && phones.Count == 0)
        {
            Hangup(call, HangupCause.UserNotRegistered, notify: true);
            return;
        }

        var dispose = new List<MediaLeg>();
        lock (_gate)
        {
            if (call.State == CallState.Ended)
            {
                return;
            }

            // Early media: the caller gets our answer now, so its 30 s "trying" timer (§3.3)
            // cannot end the call while the callee's browser rings.
            call.State = CallState.Early;
            call.CalleeIdName = callee.Name;
            call.CalleeIdNumber = callee.Id;
            call.Send(VertoMethod.Media, new JsonObject { ["callID"] = call.CallId, ["sdp"] = answer.ToString(), ["variables"] = new JsonObject() });
            call.Forks = [];
            var caller = call.Leg!;
            foreach (var target in targets)
            {
                var fork = new Call(this, Guid.NewGuid().ToString(), CallDirection.Outbound, target.SessionId!, target.User!, target)
                {
                    State = CallState.Ringing,
                    DestinationNumber = callee.Id,
                    CallerIdName = call.CallerIdName,
                    CallerIdNumber = call.CallerIdNumber,
                    CalleeIdName = callee.Name,
                    CalleeIdNumber = callee.Id,
                    Originator = call,
                };
                // Offer the callee exactly what the caller agreed, with the same payload types,
                // so the relay never transcodes.
                fork.Leg = new MediaLeg(Media, _certificate, _codecs, fork, target.User!.Uid);
                var offer = fork.Leg.CreateOffer(caller.HasAudio, caller.HasVideo, caller.PayloadTypesByCodec(), caller.Stereo);
                _calls[fork.CallId] = fork;
                Interlocked.Increment(ref _metrics.CallsActive);
                Interlocked.Increment(ref _metrics.CallsTotal);
                call.Forks.Add(fork);
                fork.Send(VertoMethod.Invite, new JsonObject
                {
                    ["callID"] = fork.CallId,
                    ["variables"] = new JsonObject(),
                    ["sdp"] = offer.ToString(),
                    ["caller_id_name"] = fork.CallerIdName,
                    ["caller_id_number"] = fork.CallerIdNumber,
                    ["callee_id_name"] = fork.CalleeIdName,
                    ["callee_id_number"] = fork.CalleeIdNumber,
                    ["display_direction"] = fork.DisplayDirection,
                });
            }
        }

        if (phones.Count > 0)
        {
            RingPhones(call, callee, phones);
        }

        Release(dispose);
        CallLog.Routed(_log, call.CallId, $"user {callee.Uid} ({targets.Count} connection(s), {phones.Count} phone(s))");
    }

    /// <summary>The callee's registered SIP phones ring too, each as a fork; the first to answer is bridged.</summary>
    private void RingPhones(Call call, DirectoryUser callee, IReadOnlyList<Sip.SipBinding> phones)
    {
        var sip = _verto.Sip!;
        var user = new AuthenticatedUser(callee, Security.UserPermissions.For(callee));
        foreach (var binding in phones)
        {
            var fork = CreateSipCall(CallDirection.Outbound, user, callee.Id, call.CallerIdName, call.CallerIdNumber);
            fork.CalleeIdName = callee.Name;
            fork.CalleeIdNumber = callee.Id;
            lock (_gate)
            {
                if (call.State == CallState.Ended || call.Forks is null)
                {
                    EndLocked(fork, HangupCause.OriginatorCancel, notify: false, []);
                    return;
                }

                fork.Originator = call;
                call.Forks.Add(fork);
            }

            Originate(sip, fork, binding.Contact, binding.Source, null, call.CallerIdNumber, call.CallerIdName);
        }
    }

    /// <summary>
    /// The moderators' <c>dial</c> command: calls a SIP URI, a number that the dialplan sends
    /// to a trunk, or a user's registered phone, and puts whoever answers into the room.
    /// Answers at once with the conference API's text; a failed call is logged.
    /// </summary>
    public string DialIntoConference(string room, string? target)
    {
        var sip = _verto.Sip;
        if (sip is null)
        {
            return "-ERR SIP is off (start the server with --sip-port)\n";
        }

        if (string.IsNullOrWhiteSpace(target))
        {
            return "-ERR dial needs a number or a sip: URI\n";
        }

        target = target.Trim();
        Protocol.Sip.SipUri? uri = null;
        Sip.SipEndPoint? destination = null;
        (string, string)? credentials = null;
        var fromUser = room;
        if (target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            if (Protocol.Sip.SipUri.TryParse(target, out uri) && uri is not null)
            {
                destination = Sip.SipStack.Resolve(uri);
            }
        }
        else if (_dialplan.Route(target) is { } route)
        {
            if (route.Action == DialplanAction.Trunk && sip.Trunks.Find(route.Rule.Trunk!) is { } trunk)
            {
                uri = Sip.SipTrunks.NumberUri(trunk, route.Target ?? target);
                destination = Sip.SipTrunks.Destination(trunk);
                credentials = trunk.Username is { } username && trunk.Password is { } password ? (username, password) : null;
                fromUser = trunk.FromUser ?? room;
            }
            else if (route.Action == DialplanAction.User && _verto.Settings.Directory.Find(route.Target ?? target, _verto.Settings.Directory.Domain) is { } callee
                && sip.BindingsOf(callee.Uid).FirstOrDefault() is { } binding)
            {
                uri = binding.Contact;
                destination = binding.Source;
            }
        }

        if (uri is null || destination is null)
        {
            return $"-ERR cannot dial {target}: not a sip: URI, a trunk number or a registered phone\n";
        }

        var entry = new DirectoryUser { Id = uri.User ?? target, Domain = "dial.sip", Name = uri.User ?? target };
        var call = CreateSipCall(CallDirection.Outbound, new AuthenticatedUser(entry, Security.UserPermissions.For(entry)), room, uri.User ?? target, uri.User ?? target);
        call.CalleeIdName = room;
        var posted = sip.Stack.Post(() =>
        {
            var started = sip.Originate(call, uri, destination, credentials, fromUser, $"Conference {room}", (_, cause) =>
            {
                if (cause is { } failed)
                {
                    Hangup(call, failed, notify: false);
                    return;
                }

                lock (_gate)
                {
                    if (call.State == CallState.Ended)
                    {
                        return;
                    }

                    call.State = CallState.Active;
                }

                if (_verto.Conferences?.Join(call, room, null) is { } refused)
                {
                    Hangup(call, refused.Cause, notify: true);
                }
            });
            if (!started)
            {
                Hangup(call, HangupCause.SwitchCongestion, notify: false);
            }
        });
        if (!posted)
        {
            Hangup(call, HangupCause.SwitchCongestion, notify: false);
            return "-ERR the SIP gateway is overloaded\n";
        }

        return $"+OK dialing {target}\n";
    }

    /// <summary>The trunk action: the number goes out through the rule's trunk, bridged to the caller when it answers.</summary>
    private void RouteToTrunk(Call call, SessionDescription answer, DialplanRoute route)
    {
        var sip = _verto.Sip;
        var trunk = sip?.Trunks.Find(route.Rule.Trunk!);
        if (sip is null || trunk is null || Sip.SipTrunks.Destination(trunk) is not { } destination)
        {
            Hangup(call, HangupCause.InvalidGateway, notify: true);
            return;
        }

        var number = route.Target ?? call.DestinationNumber;
        var user = new AuthenticatedUser(new DirectoryUser { Id = number, Domain = trunk.Name + ".trunk", Name = number }, Security.UserPermissions.For(new DirectoryUser { Id = number, Domain = trunk.Name + ".trunk" }));
        var fork = CreateSipCall(CallDirection.Outbound, user, number, call.CallerIdName, call.CallerIdNumber);
        fork.CalleeIdName = number;
        lock (_gate)
        {
            if (call.State == CallState.Ended)
            {
                EndLocked(fork, HangupCause.OriginatorCancel, notify: false, []);
                return;
            }

            // Early media: the caller has our answer now; the trunk's ringback and announcements reach it once bridged.
            call.State = CallState.Early;
            call.CalleeIdNumber = number;
            call.Send(VertoMethod.Media, new JsonObject { ["callID"] = call.CallId, ["sdp"] = answer.ToString(), ["variables"] = new JsonObject() });
            call.Forks = [fork];
            fork.Originator = call;
        }

        var credentials = trunk.Username is { } username && trunk.Password is { } password ? (username, password) : ((string, string)?)null;
        Originate(sip, fork, Sip.SipTrunks.NumberUri(trunk, number), destination, credentials, trunk.FromUser ?? call.CallerIdNumber, call.CallerIdName);
        CallLog.Routed(_log, call.CallId, $"trunk {trunk.Name} number {number}");
    }

    /// <summary>Starts a SIP fork on the SIP worker; its outcome bridges it or ends it (and the caller with it when it was the last).</summary>
    private void Originate(Sip.SipUserAgent sip, Call fork, Protocol.Sip.SipUri target, Sip.SipEndPoint destination, (string, string)? credentials, string fromUser, string fromName)
    {
        var posted = sip.Stack.Post(() =>
        {
            if (fork.State == CallState.Ended)
            {
                return;
            }

            var started = sip.Originate(fork, target, destination, credentials, fromUser, fromName, (_, cause) =>
            {
                if (cause is null)
                {
                    AnswerSipFork(fork);
                }
                else
                {
                    Hangup(fork, cause.Value, notify: false);
                }
            });
            if (!started)
            {
                Hangup(fork, HangupCause.SwitchCongestion, notify: false);
            }
        });
        if (!posted)
        {
            Hangup(fork, HangupCause.SwitchCongestion, notify: false);
        }
    }

    private void EndLocked(Call call, HangupCause cause, bool notify, List<MediaLeg> dispose)
    {
        if (call.State == CallState.Ended)
        {
            return;
        }

        call.State = CallState.Ended;
        call.EndCause = cause;
        if (_calls.Remove(call.CallId))
        {
            Interlocked.Decrement(ref _metrics.CallsActive);
        }

        if (notify)
        {
            call.SendBye(cause);
        }

        if (call.Member is { } member)
        {
            _verto.Conferences?.Leave(member);
        }

        if (call.Leg is { } leg)
        {
            leg.Target = null;
            dispose.Add(leg);
        }

        CallLog.Ended(_log, call.CallId, HangupCauseNames.Name(cause));
        _verto.Records?.Enqueue(Records.CallDetailRecord.ForCall(call, DateTimeOffset.UtcNow));

        if (call.Peer is { } peer)
        {
            call.Peer = null;
            peer.Peer = null;
            if (peer.Leg is { } peerLeg)
            {
                peerLeg.Target = null;
            }

            EndLocked(peer, cause, notify: true, dispose);
        }

        if (call.Forks is { } forks)
        {
            call.Forks = null;
            foreach (var fork in forks)
            {
                fork.Originator = null;
                EndLocked(fork, cause == HangupCause.NoAnswer ? HangupCause.NoAnswer : HangupCause.OriginatorCancel, notify: true, dispose);
            }
        }

        if (call.Originator is { } originator)
        {
            call.Originator = null;
            originator.Forks?.Remove(call);
            if (originator.Forks is { Count: 0 } && !originator.Answered)
            {
                // Every browser declined or vanished: the caller hears why (a plain hangup reads as a rejection).
                var forward = cause is HangupCause.NormalClearing or HangupCause.DestinationOutOfOrder ? HangupCause.CallRejected : cause;
                EndLocked(originator, forward, notify: true, dispose);
            }
        }
    }

    private static void Release(List<MediaLeg> legs)
    {
        foreach (var leg in legs)
        {
            leg.Dispose();
        }
    }

    /// <summary>Does this destination end on a SIP phone or trunk (a trunk rule, or a user with registered phones)?</summary>
    private bool PrefersG711(string destination)
    {
        var route = _dialplan.Route(destination);
        if (route?.Action == DialplanAction.Trunk)
        {
            return true;
        }

        return route?.Action == DialplanAction.User && _verto.Sip is { } sip
            && _verto.Settings.Directory.Find(route.Target ?? destination, _verto.Settings.Directory.Domain) is { } callee
            && sip.BindingsOf(callee.Uid).Count > 0;
    }

    private static string NonEmpty(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}

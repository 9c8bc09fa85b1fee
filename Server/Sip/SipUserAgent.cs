using System.Net;
using System.Text;
using MediaServer.Calls;
using MediaServer.Configuration;
using MediaServer.Media;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Sip;
using MediaServer.Security;
using MediaServer.Signalling;
using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>
/// The SIP side of the server as a back-to-back user agent (RFC 3261 §8, §12-§15): OPTIONS,
/// REGISTER (through <see cref="SipRegistrar"/>), INVITE into the dialplan (rooms, echo,
/// Verto users), BYE, CANCEL and re-INVITE through each call's <see cref="SipCallLeg"/>,
/// and outbound INVITEs to registered phones, trunks and SIP URIs. Callers who claim a
/// directory identity, or call anything but a room or the echo test, must prove it with
/// digest credentials; anonymous callers may reach rooms (a public phone number does that).
/// Runs on the <see cref="SipStack"/> worker.
/// </summary>
internal sealed class SipUserAgent : ISipRequestHandler
{
    public const string AllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER";

    private static readonly HashSet<string> KnownMethods = ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "INFO", "REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "REFER", "PRACK", "UPDATE", "PUBLISH"];

    private readonly Dictionary<string, SipCallLeg> _dialogs = new(StringComparer.Ordinal);
    private readonly Dictionary<SipServerTransaction, SipCallLeg> _pendingInvites = new();
    private readonly Dictionary<SipCallLeg, (SessionDescription? Offer, SessionDescription? Answer)> _sdp = new();
    private readonly Dictionary<Call, SipPinEntry> _pinEntries = new();

    /// <summary>When each PIN was accepted: a '#' right after it ends the entry, it must not hang up.</summary>
    private readonly Dictionary<Call, long> _pinAccepted = new();
    private readonly VertoServer _verto;
    private readonly SipRegistrar _registrar;
    private readonly SipAuthenticator _authenticator;
    private readonly RtpPortPool _ports;
    private readonly CodecList _codecs;
    private readonly ILogger _log;
    private long _nextSweepMs;

    public SipUserAgent(SipStack stack, VertoServer verto, RtpPortPool ports, LoginThrottle throttle, ILogger log)
    {
        Stack = stack;
        _verto = verto;
        _ports = ports;
        _log = log;
        _authenticator = new SipAuthenticator(verto.Settings.Directory, throttle, stack.Metrics, log);
        _registrar = new SipRegistrar(_authenticator, stack.Metrics, log);
        // G.711 only on SIP legs: what every phone and trunk speaks (RFC 3551), plus telephone-event.
        CodecList.TryParse("pcmu,pcma", out var codecs, out _);
        _codecs = codecs!;
        Trunks = new SipTrunks(this, verto.Settings.SipTrunks, log);
        stack.Handler = this;
    }

    public SipStack Stack { get; }

    public CallRegistry Calls => _verto.Calls!;

    public SipRegistrar Registrar => _registrar;

    public SipTrunks Trunks { get; }

    /// <summary>Registered contacts of a user, for ringing (read from another thread: a snapshot through the worker would add latency for nothing, the list is replaced, never mutated in place by readers).</summary>
    public IReadOnlyList<SipBinding> BindingsOf(string uid) => _registrar.BindingsOf(uid, Stack.NowMs);

    public void OnRequest(SipMessage request, SipServerTransaction? transaction, SipEndPoint source)
    {
        if (request.MaxForwards is 0 && transaction is not null && request.Method != "OPTIONS")
        {
            transaction.Respond(SipMessage.CreateResponse(request, 483, "Too Many Hops"));
            return;
        }

        var toTag = request.To?.Tag;
        if (toTag is not null && request.CallId is { } callId)
        {
            if (_dialogs.TryGetValue(SipDialog.Keys(callId, toTag), out var leg))
            {
                // An in-dialog request (BYE, INFO, re-INVITE) is the call's work: its lines carry the call's fields.
                using var scope = leg.Call is { } dialogCall ? _log.BeginScope(dialogCall.LogScope) : null;
                leg.OnRequest(request, transaction);
            }
            else if (request.Method != "ACK")
            {
                transaction?.Respond(SipMessage.CreateResponse(request, 481, "Call/Transaction Does Not Exist"));
            }

            return;
        }

        if (transaction is null)
        {
            return; // an ACK for something we never answered
        }

        switch (request.Method)
        {
            case "OPTIONS":
                var ok = SipMessage.CreateResponse(request, 200, "OK", SipStack.NewTag());
                ok.Headers.Add("Allow", AllowedMethods);
                ok.Headers.Add("Accept", "application/sdp");
                ok.Headers.Add("Supported", "replaces");
                transaction.Respond(ok);
                return;
            case "REGISTER":
                _registrar.OnRegister(request, transaction, source, Stack.NowMs);
                return;
            case "INVITE":
                OnInvite(request, transaction, source);
                return;
            case "CANCEL":
                OnCancel(request, transaction);
                return;
            case "BYE" or "INFO" or "PRACK" or "UPDATE":
                transaction.Respond(SipMessage.CreateResponse(request, 481, "Call/Transaction Does Not Exist"));
                return;
        }

        if (KnownMethods.Contains(request.Method))
        {
            var notAllowed = SipMessage.CreateResponse(request, 405, "Method Not Allowed");
            notAllowed.Headers.Add("Allow", AllowedMethods);
            transaction.Respond(notAllowed);
            return;
        }

        Interlocked.Increment(ref Stack.Metrics.Unknown);
        var unknown = SipMessage.CreateResponse(request, 501, "Not Implemented");
        unknown.Headers.Add("Allow", AllowedMethods);
        transaction.Respond(unknown);
    }

    public void OnStrayResponse(SipMessage response, SipEndPoint source)
    {
        if (response.StatusCode is >= 200 and < 300 && response.CallId is { } callId && response.From?.Tag is { } tag
            && _dialogs.TryGetValue(SipDialog.Keys(callId, tag), out var leg))
        {
            leg.OnRetransmittedOk(response);
        }
    }

    public void OnAckTimeout(SipServerTransaction transaction)
    {
        if (_pendingInvites.Remove(transaction, out var leg))
        {
            leg.OnAckLost();
        }
    }

    public void Tick(long nowMs)
    {
        foreach (var leg in _dialogs.Values.ToList())
        {
            leg.Tick(nowMs);
        }

        if (nowMs >= _nextSweepMs)
        {
            _nextSweepMs = nowMs + 10_000;
            _registrar.Sweep(nowMs);
            _authenticator.Throttle.Sweep(nowMs);
            foreach (var (call, entry) in _pinEntries.ToList())
            {
                if (entry.ExpiredAt(nowMs) || call.State == CallState.Ended)
                {
                    _pinEntries.Remove(call);
                    Calls.Hangup(call, HangupCause.RecoveryOnTimerExpire, notify: true);
                }
            }
        }

        Trunks.Tick(nowMs);
    }

    public SessionDescription? AnswerOf(SipCallLeg leg) => _sdp.TryGetValue(leg, out var sdp) ? sdp.Answer : null;

    public SessionDescription OfferOf(SipCallLeg leg) => _sdp.TryGetValue(leg, out var sdp) && sdp.Offer is not null ? sdp.Offer : leg.Media.CreatePlainOffer();

    /// <summary>The leg is over (BYE, error answer, CANCEL): forget its dialog.</summary>
    public void Forget(SipCallLeg leg)
    {
        _dialogs.Remove(leg.Dialog.Key);
        _sdp.Remove(leg);
        foreach (var (transaction, pending) in _pendingInvites.Where(p => p.Value == leg).ToList())
        {
            _pendingInvites.Remove(transaction);
        }

        if (leg.Call is { } call)
        {
            _pinEntries.Remove(call);
            _pinAccepted.Remove(call);
        }
    }

    /// <summary>A re-INVITE's offer put the phone on hold (sendonly, inactive, or c=0.0.0.0) or took it off.</summary>
    public void OnHoldChanged(Call call, SessionDescription offer)
    {
        var audio = offer.Media.FirstOrDefault(m => m.Kind == MediaKind.Audio);
        var held = audio is not null && (audio.Direction is MediaDirection.SendOnly or MediaDirection.Inactive || (audio.ConnectionAddress ?? offer.ConnectionAddress) is "0.0.0.0");
        Calls.SetHold(call, held);
    }

    /// <summary>A DTMF digit from a phone (RFC 4733 or SIP INFO): PIN entry first, then the room's caller controls.</summary>
    public void OnDigit(Call call, char digit)
    {
        if (_pinEntries.TryGetValue(call, out var entry))
        {
            if (entry.Add(digit) is { } pin)
            {
                _pinEntries.Remove(call);
                _pinAccepted[call] = Stack.NowMs;
                call.Pin = pin;
                Calls.Route(call, AnswerOf(call.Sip!)!);
            }

            return;
        }

        if (_pinAccepted.Remove(call, out var acceptedAt) && digit == '#' && Stack.NowMs - acceptedAt < 3000)
        {
            return;
        }

        if (call.Member is { } member)
        {
            _verto.Conferences?.OnDtmf(member, digit.ToString());
        }
    }

    /// <summary>
    /// INVITEs a registered phone, a trunk number or a SIP URI for <paramref name="call"/> (an
    /// outbound leg the registry made); <paramref name="outcome"/> hears whether it answered.
    /// </summary>
    public bool Originate(Call call, SipUri target, SipEndPoint destination, (string User, string Password)? credentials, string fromUser, string fromName, Action<SipCallLeg, HangupCause?> outcome)
    {
        if (!MediaLeg.TryCreatePlain(_ports, Stack.Advertised, _codecs, call, call.User.Uid, out var media) || media is null)
        {
            return false;
        }

        call.Leg = media;
        var offer = media.CreatePlainOffer();
        var leg = SipCallLeg.Invite(this, target, destination, fromUser, fromName, media, offer);
        leg.Call = call;
        leg.Credentials = credentials;
        leg.Outcome = outcome;
        call.Sip = leg;
        _sdp[leg] = (offer, null);
        _dialogs[leg.Dialog.Key] = leg;
        call.TelephoneEvent += (c, d) => Stack.Post(() => OnDigit(c, d));
        Interlocked.Increment(ref Stack.Metrics.CallsOut);
        SipLog.Outbound(_log, call.CallId, target.ToString(), "INVITE sent");
        return true;
    }

    private void OnCancel(SipMessage cancel, SipServerTransaction transaction)
    {
        var invite = Stack.FindInvite(cancel);
        if (invite is null || !_pendingInvites.TryGetValue(invite, out var leg))
        {
            transaction.Respond(SipMessage.CreateResponse(cancel, 481, "Call/Transaction Does Not Exist"));
            return;
        }

        transaction.Respond(SipMessage.CreateResponse(cancel, 200, "OK"));
        _pendingInvites.Remove(invite);
        leg.OnCancel();
    }

    private void OnInvite(SipMessage invite, SipServerTransaction transaction, SipEndPoint source)
    {
        var destination = invite.RequestUri?.User ?? invite.To?.Uri.User;
        if (string.IsNullOrEmpty(destination))
        {
            transaction.Respond(SipMessage.CreateResponse(invite, 404, "Not Found (no user part in the Request-URI)"));
            return;
        }

        var route = _verto.Settings.Dialplan.Route(destination);
        if (route is null)
        {
            transaction.Respond(SipMessage.CreateResponse(invite, 404, "Not Found"));
            return;
        }

        // Admission first: an overloaded server should not spend digest checks on calls it cannot carry.
        if (Calls.Admit() is { } refusal)
        {
            var busy = SipMessage.CreateResponse(invite, 503, $"Service Unavailable ({refusal.Reason})");
            busy.Headers.Add("Retry-After", SipCauses.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            transaction.Respond(busy);
            Observability.CallLog.Refused(_log, invite.CallId ?? "-", $"SIP INVITE from {source} to {destination}: {refusal.Reason}");
            return;
        }

        var user = Identify(invite, transaction, source, route);
        if (user is null)
        {
            return; // challenged or refused
        }

        if (invite.ContentType is not { } type || !type.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) || invite.Body.Length == 0)
        {
            transaction.Respond(SipMessage.CreateResponse(invite, 488, "Not Acceptable Here (an SDP offer is required)"));
            return;
        }

        if (!SessionDescription.TryParse(Encoding.UTF8.GetString(invite.Body), out var offer, out var sdpError) || offer is null)
        {
            transaction.Respond(SipMessage.CreateResponse(invite, 488, $"Not Acceptable Here (broken SDP: {sdpError})"));
            return;
        }

        var from = invite.From!;
        var callerNumber = from.Uri.User ?? "unknown";
        var callerName = string.IsNullOrWhiteSpace(from.DisplayName) ? callerNumber : from.DisplayName!.Trim('"');
        if (user.Entry.Domain == _verto.Settings.Directory.Domain && (callerName == callerNumber || callerName == user.Entry.Id))
        {
            // An authenticated phone without a display name of its own shows as its directory user.
            callerName = string.IsNullOrEmpty(user.Entry.Name) ? user.Entry.Id : user.Entry.Name;
        }
        var call = Calls.CreateSipCall(CallDirection.Inbound, user, destination, callerName, callerNumber);
        if (!MediaLeg.TryCreatePlain(_ports, Stack.Advertised, _codecs, call, user.Uid, out var media) || media is null)
        {
            var noPort = SipMessage.CreateResponse(invite, 503, "Service Unavailable (no RTP port free)");
            noPort.Headers.Add("Retry-After", SipCauses.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            transaction.Respond(noPort);
            Calls.Hangup(call, HangupCause.SwitchCongestion, notify: false);
            return;
        }

        call.Leg = media;
        if (!media.TryAnswerPlain(offer, out var answer, out _, out var mediaError) || answer is null)
        {
            transaction.Respond(SipMessage.CreateResponse(invite, 488, $"Not Acceptable Here ({mediaError})"));
            Calls.Hangup(call, HangupCause.IncompatibleDestination, notify: false);
            return;
        }

        var leg = SipCallLeg.Accept(this, invite, transaction, source, media);
        leg.Call = call;
        call.Sip = leg;
        _sdp[leg] = (offer, answer);
        _dialogs[leg.Dialog.Key] = leg;
        _pendingInvites[transaction] = leg;
        call.TelephoneEvent += (c, d) => Stack.Post(() => OnDigit(c, d));
        Interlocked.Increment(ref Stack.Metrics.CallsIn);
        SipLog.Invite(_log, call.CallId, from.Uri.ToString(), source.ToString(), destination);

        if (route.Action == DialplanAction.Conference && _verto.Conferences?.RequiredPin(route.Target ?? destination, route.Rule.Profile) is { } pin)
        {
            // A room with a PIN: answer, then listen for the digits (and #) before joining (§9.6 spirit).
            _pinEntries[call] = new SipPinEntry(pin, Stack.NowMs);
            call.Send(Protocol.Verto.VertoMethod.Answer, new System.Text.Json.Nodes.JsonObject { ["sdp"] = answer.ToString() });
            return;
        }

        // Offers to a browser (a Verto user) carry the phone's codec and payload types, so the relay never transcodes.
        Calls.Route(call, answer);
    }

    /// <summary>
    /// Who is calling: a trunk by address, a directory user by digest, or an anonymous guest
    /// (only for rooms and the echo test, and only without a claimed directory identity).
    /// </summary>
    private AuthenticatedUser? Identify(SipMessage invite, SipServerTransaction transaction, SipEndPoint source, DialplanRoute route)
    {
        if (Trunks.Match(source.Address.Address) is { } trunk)
        {
            return Guest(invite, $"trunk-{trunk.Name}");
        }

        var fromUser = invite.From?.Uri.User;
        var claimsDirectoryUser = fromUser is not null && _verto.Settings.Directory.Find(fromUser, _verto.Settings.Directory.Domain) is not null;
        var publicRoute = route.Action is DialplanAction.Conference or DialplanAction.Echo;
        if (!claimsDirectoryUser && publicRoute && _verto.Settings.SipGuests)
        {
            return Guest(invite, "guest");
        }

        var user = _authenticator.Authenticate(invite, transaction, source, proxy: false);
        if (user is not null && fromUser is not null && !string.Equals(fromUser, user.Entry.Id, StringComparison.Ordinal))
        {
            // Credentials of one user with another's From: refuse rather than let the name lie.
            transaction.Respond(SipMessage.CreateResponse(invite, 403, "Forbidden (From is not the authenticated user)"));
            return null;
        }

        return user;
    }

    private AuthenticatedUser Guest(SipMessage invite, string kind)
    {
        var from = invite.From!;
        var id = from.Uri.User ?? "anonymous";
        var entry = new DirectoryUser
        {
            Id = id,
            Domain = kind + ".sip",
            Name = string.IsNullOrWhiteSpace(from.DisplayName) ? id : from.DisplayName!,
            AllowedMethods = [],
            AllowedChannels = [],
        };
        return new AuthenticatedUser(entry, UserPermissions.For(entry));
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MediaServer.Calls;
using MediaServer.Media;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Sip;
using MediaServer.Protocol.Verto;

namespace MediaServer.Sip;

/// <summary>
/// The SIP side of one call: a dialog with a phone or trunk, its INVITE transaction, and the
/// translation between the call's events and SIP. The server's call logic speaks in Verto's
/// terms (answer, media, bye); this turns them into 183/200/BYE/CANCEL or an error status,
/// and turns the phone's BYE, CANCEL, re-INVITE and DTMF into calls on the registry. As a
/// B2BUA it keeps its own Call-ID, tags and Contact: nothing of the other leg shows.
/// Runs on the SIP worker; <see cref="OnCallEvent"/> may be called from any thread and posts.
/// </summary>
internal sealed class SipCallLeg : ISipClientTransactionUser
{
    private readonly SipUserAgent _agent;
    private readonly SipStack _stack;
    private SipServerTransaction? _invite;
    private byte[]? _ok;
    private long _okResendAtMs;
    private int _okIntervalMs;
    private long _okGiveUpAtMs;
    private SipClientTransaction? _outboundInvite;
    private SipMessage? _outboundRequest;
    private bool _cancelPending;
    private bool _authAnswered;

    private SipCallLeg(SipUserAgent agent, SipDialog dialog, MediaLeg media, bool inbound)
    {
        _agent = agent;
        _stack = agent.Stack;
        Dialog = dialog;
        Media = media;
        Inbound = inbound;
    }

    public SipDialog Dialog { get; }

    public MediaLeg Media { get; }

    public bool Inbound { get; }

    public Call? Call { get; set; }

    public bool Answered { get; private set; }

    public bool Ended { get; private set; }

    /// <summary>For an outbound leg: told once whether the far end answered (null) or why not.</summary>
    public Action<SipCallLeg, HangupCause?>? Outcome { get; set; }

    /// <summary>Trunk credentials for an outbound leg that may be challenged.</summary>
    public (string User, string Password)? Credentials { get; set; }

    private string Contact => $"<sip:mediaserver@{_stack.HostPort()}{(Dialog.Destination.Transport == SipTransportKind.Tcp ? ";transport=tcp" : string.Empty)}>";

    /// <summary>An inbound leg for an INVITE we are about to answer (the caller gets 100 Trying at once).</summary>
    public static SipCallLeg Accept(SipUserAgent agent, SipMessage invite, SipServerTransaction transaction, SipEndPoint source, MediaLeg media)
    {
        var from = invite.From!;
        var dialog = new SipDialog
        {
            CallId = invite.CallId!,
            LocalTag = SipStack.NewTag(),
            RemoteTag = from.Tag,
            LocalUri = StripTag(invite.Headers.Get("To")!),
            RemoteUri = StripTag(invite.Headers.Get("From")!),
            RemoteTarget = invite.Contacts.FirstOrDefault(c => !c.IsWildcard)?.Uri ?? from.Uri,
            RouteSet = invite.RecordRoutes.Select(r => r.ToString()).ToList(),
            Destination = source,
            RemoteSequence = invite.CSeq?.Number,
        };
        var leg = new SipCallLeg(agent, dialog, media, inbound: true) { _invite = transaction };
        transaction.Respond(SipMessage.CreateResponse(invite, 100, "Trying"));
        return leg;
    }

    /// <summary>An outbound leg: INVITE <paramref name="target"/> with our offer; <see cref="Outcome"/> reports the result.</summary>
    public static SipCallLeg Invite(SipUserAgent agent, SipUri target, SipEndPoint destination, string fromUser, string fromName, MediaLeg media, SessionDescription offer)
    {
        var dialog = new SipDialog
        {
            CallId = SipStack.NewCallId(),
            LocalTag = SipStack.NewTag(),
            LocalUri = $"\"{fromName.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("\\", string.Empty, StringComparison.Ordinal)}\" <sip:{UserPart(fromUser)}@{agent.Stack.HostPort()}>",
            RemoteUri = $"<{target}>",
            RemoteTarget = target,
            Destination = destination,
        };
        var leg = new SipCallLeg(agent, dialog, media, inbound: false);
        leg.SendInvite(offer, authorization: null);
        return leg;
    }

    /// <summary>The call's events (Verto-shaped, from any thread) become SIP on the worker.</summary>
    public bool OnCallEvent(string method, JsonObject parameters)
    {
        var sdp = parameters["sdp"]?.GetValue<string>();
        var cause = parameters["cause"]?.GetValue<string>();
        return _stack.Post(() =>
        {
            switch (method)
            {
                case VertoMethod.Media when Inbound && !Answered && sdp is not null:
                    RespondToInvite(183, "Session Progress", sdp);
                    break;
                case VertoMethod.Answer when Inbound && !Answered:
                    if (sdp is not null)
                    {
                        Answer(sdp);
                    }
                    else
                    {
                        Answer(_agent.AnswerOf(this));
                    }

                    break;
                case VertoMethod.Bye:
                    Hangup(HangupCauseNames.TryParseName(cause, out var parsed) ? parsed : HangupCause.NormalClearing);
                    break;
            }
        });
    }

    /// <summary>The server ended the call: error status before answer, CANCEL while ringing out, BYE after.</summary>
    public void Hangup(HangupCause cause)
    {
        if (Ended)
        {
            return;
        }

        if (Inbound && !Answered)
        {
            var (status, reason) = SipCauses.ToStatus(cause);
            RespondToInvite(status, reason, null);
            End();
            return;
        }

        if (!Inbound && !Answered)
        {
            if (_outboundInvite is { State: SipTransactionState.Proceeding })
            {
                SendCancel();
            }
            else
            {
                // No provisional answer yet: a CANCEL may not be sent (§9.1); send it on the first one.
                _cancelPending = true;
            }

            return;
        }

        var bye = Dialog.CreateRequest("BYE", Contact);
        bye.Headers.Add("Reason", string.Create(CultureInfo.InvariantCulture, $"Q.850;cause={(int)cause};text=\"{HangupCauseNames.Name(cause)}\""));
        _stack.SendRequest(bye, Dialog.Destination, this);
        End();
    }

    /// <summary>An in-dialog request from the phone.</summary>
    public void OnRequest(SipMessage request, SipServerTransaction? transaction)
    {
        if (request.CSeq is { } cseq && request.Method != "ACK")
        {
            if (Dialog.RemoteSequence is { } last && cseq.Number <= last && transaction is not null)
            {
                // §12.2.2: an out-of-order request is refused.
                transaction.Respond(SipMessage.CreateResponse(request, 500, "Server Internal Error"));
                return;
            }

            Dialog.RemoteSequence = cseq.Number;
        }

        switch (request.Method)
        {
            case "ACK":
                _ok = null;
                break;
            case "BYE":
                transaction?.Respond(SipMessage.CreateResponse(request, 200, "OK"));
                End();
                if (Call is { } call)
                {
                    _agent.Calls.Hangup(call, ReasonCause(request) ?? HangupCause.NormalClearing, notify: false);
                }

                break;
            case "INVITE":
                OnReInvite(request, transaction!);
                break;
            case "INFO":
                OnInfo(request, transaction!);
                break;
            default:
                transaction?.Respond(SipMessage.CreateResponse(request, request.Method is "OPTIONS" or "UPDATE" or "NOTIFY" ? 200 : 501, request.Method is "OPTIONS" or "UPDATE" or "NOTIFY" ? "OK" : "Not Implemented"));
                break;
        }
    }

    /// <summary>CANCEL of our INVITE transaction: 487 to the INVITE, and the call ends (§9.2).</summary>
    public void OnCancel()
    {
        if (Answered || Ended)
        {
            return;
        }

        RespondToInvite(487, "Request Terminated", null);
        End();
        if (Call is { } call)
        {
            _agent.Calls.Hangup(call, HangupCause.OriginatorCancel, notify: false);
        }
    }

    /// <summary>Timer H, or 2xx never acknowledged: the phone is gone.</summary>
    public void OnAckLost()
    {
        if (Ended)
        {
            return;
        }

        var bye = Dialog.CreateRequest("BYE", Contact);
        _stack.SendRequest(bye, Dialog.Destination, this);
        End();
        if (Call is { } call)
        {
            _agent.Calls.Hangup(call, HangupCause.RecoveryOnTimerExpire, notify: false);
        }
    }

    /// <summary>A 2xx retransmitted by the far end after we acknowledged it: acknowledge it again (§13.2.2.4).</summary>
    public void OnRetransmittedOk(SipMessage response)
    {
        if (!Inbound && response.CSeq is { } cseq)
        {
            _stack.SendStateless(Dialog.CreateAck(cseq.Number, Contact), Dialog.Destination);
        }
    }

    /// <summary>The UAS core's 2xx retransmission (§13.3.1.4): T1 doubling to T2 until ACK, gone after 64*T1.</summary>
    public void Tick(long nowMs)
    {
        if (_ok is null || nowMs < _okResendAtMs)
        {
            return;
        }

        if (nowMs >= _okGiveUpAtMs)
        {
            _ok = null;
            OnAckLost();
            return;
        }

        _stack.SendBytes(_ok, Dialog.Destination);
        _okIntervalMs = Math.Min(_okIntervalMs * 2, _stack.Timers.T2Ms);
        _okResendAtMs = nowMs + _okIntervalMs;
    }

    public void OnProvisional(SipClientTransaction transaction, SipMessage response)
    {
        if (transaction != _outboundInvite)
        {
            return;
        }

        if (_cancelPending)
        {
            _cancelPending = false;
            SendCancel();
            return;
        }

        if (response.To?.Tag is { } tag && Dialog.RemoteTag is null)
        {
            Dialog.RemoteTag = tag;
        }
    }

    public void OnFinal(SipClientTransaction transaction, SipMessage response)
    {
        if (transaction != _outboundInvite)
        {
            return; // BYE, CANCEL, INFO answers need nothing
        }

        if (response.StatusCode is 401 or 407 && !_authAnswered && Credentials is { } credentials && _outboundRequest is not null)
        {
            _authAnswered = true;
            var header = response.Headers.Get(response.StatusCode == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
            if (header is not null && SipDigestChallenge.TryParse(header, out var challenge) && challenge is not null)
            {
                var answer = SipDigest.Answer(challenge, credentials.User, credentials.Password, "INVITE", Dialog.RemoteTarget.ToString());
                SendInvite(_agent.OfferOf(this), (response.StatusCode == 401 ? "Authorization" : "Proxy-Authorization", answer.ToHeaderValue()));
                return;
            }
        }

        if (response.StatusCode >= 300)
        {
            End();
            Outcome?.Invoke(this, SipCauses.FromStatus(response.StatusCode));
            return;
        }

        // 2xx: the dialog is confirmed; ACK it outside the transaction, then take the answer SDP.
        Dialog.RemoteTag = response.To?.Tag;
        if (response.Contacts.FirstOrDefault(c => !c.IsWildcard) is { } contact)
        {
            Dialog.RemoteTarget = contact.Uri;
        }

        Dialog.RouteSet = response.RecordRoutes.Select(r => r.ToString()).Reverse().ToList();
        _stack.SendStateless(Dialog.CreateAck(response.CSeq!.Value.Number, Contact), Dialog.Destination);
        if (_cancelPending || Ended)
        {
            // We gave up while it was ringing, and it answered anyway: hang that up at once.
            Answered = true;
            Ended = false;
            Hangup(HangupCause.OriginatorCancel);
            return;
        }

        if (!SessionDescription.TryParse(Encoding.UTF8.GetString(response.Body), out var sdp, out _) || sdp is null
            || !Media.TryApplyPlainAnswer(sdp, out _, out _))
        {
            Answered = true;
            Hangup(HangupCause.IncompatibleDestination);
            Outcome?.Invoke(this, HangupCause.IncompatibleDestination);
            return;
        }

        Answered = true;
        Outcome?.Invoke(this, null);
    }

    private void SendInvite(SessionDescription offer, (string Name, string Value)? authorization)
    {
        Dialog.LocalSequence++;
        var request = SipMessage.CreateRequest("INVITE", Dialog.RemoteTarget);
        request.Headers.Add("Max-Forwards", "70");
        request.Headers.Add("From", $"{Dialog.LocalUri};tag={Dialog.LocalTag}");
        request.Headers.Add("To", Dialog.RemoteUri);
        request.Headers.Add("Call-ID", Dialog.CallId);
        request.Headers.Add("CSeq", string.Create(CultureInfo.InvariantCulture, $"{Dialog.LocalSequence} INVITE"));
        request.Headers.Add("Contact", Contact);
        request.Headers.Add("Allow", SipUserAgent.AllowedMethods);
        if (authorization is { } auth)
        {
            request.Headers.Add(auth.Name, auth.Value);
        }

        request.Headers.Add("Content-Type", "application/sdp");
        request.Body = Encoding.UTF8.GetBytes(offer.ToString());
        _outboundRequest = request;
        _outboundInvite = _stack.SendRequest(request, Dialog.Destination, this);
    }

    private void SendCancel()
    {
        if (_outboundRequest is null || _outboundInvite is null)
        {
            return;
        }

        // §9.1: same Request-URI, Call-ID, From, To (no tag), CSeq number and branch as the INVITE.
        var cancel = SipMessage.CreateRequest("CANCEL", _outboundRequest.RequestUri!);
        cancel.Headers.Add("Via", _outboundRequest.Headers.GetAll("Via")[0]);
        cancel.Headers.Add("Max-Forwards", "70");
        cancel.Headers.Add("From", _outboundRequest.Headers.Get("From")!);
        cancel.Headers.Add("To", _outboundRequest.Headers.Get("To")!);
        cancel.Headers.Add("Call-ID", Dialog.CallId);
        cancel.Headers.Add("CSeq", string.Create(CultureInfo.InvariantCulture, $"{_outboundRequest.CSeq!.Value.Number} CANCEL"));
        _stack.Send(cancel, Dialog.Destination);
        End();
    }

    private void Answer(SessionDescription? answer)
    {
        if (answer is null || _invite is null)
        {
            return;
        }

        var ok = SipMessage.CreateResponse(_invite.Request, 200, "OK", Dialog.LocalTag);
        AddUasHeaders(ok);
        ok.Headers.Add("Content-Type", "application/sdp");
        ok.Body = Encoding.UTF8.GetBytes(answer.ToString());
        _invite.Respond(ok);
        Answered = true;
        _ok = ok.ToArray();
        _okIntervalMs = _stack.Timers.T1Ms;
        var now = _stack.NowMs;
        _okResendAtMs = Dialog.Destination.Transport == SipTransportKind.Udp ? now + _okIntervalMs : long.MaxValue;
        _okGiveUpAtMs = now + _stack.Timers.TimeoutMs;
        _invite = null;
    }

    private void Answer(string sdpText)
    {
        if (SessionDescription.TryParse(sdpText, out var sdp, out _))
        {
            Answer(sdp);
        }
    }

    private void RespondToInvite(int status, string reason, string? sdp)
    {
        if (_invite is null || _invite.HasFinalResponse)
        {
            return;
        }

        var response = SipMessage.CreateResponse(_invite.Request, status, reason, Dialog.LocalTag);
        AddUasHeaders(response);
        if (status == 503)
        {
            response.Headers.Add("Retry-After", SipCauses.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (sdp is not null)
        {
            response.Headers.Add("Content-Type", "application/sdp");
            response.Body = Encoding.UTF8.GetBytes(sdp);
        }

        _invite.Respond(response);
        if (status >= 200)
        {
            _invite = null;
        }
    }

    private void AddUasHeaders(SipMessage response)
    {
        response.Headers.Add("Contact", Contact);
        response.Headers.Add("Allow", SipUserAgent.AllowedMethods);
        // §12.1.1: the dialog's responses echo the request's Record-Route.
        foreach (var route in Dialog.RouteSet)
        {
            response.Headers.Add("Record-Route", route);
        }
    }

    private void OnReInvite(SipMessage request, SipServerTransaction transaction)
    {
        if (!SessionDescription.TryParse(Encoding.UTF8.GetString(request.Body), out var offer, out var parseError) || offer is null)
        {
            var refused = SipMessage.CreateResponse(request, 488, $"Not Acceptable Here ({parseError ?? "an SDP offer is required"})");
            transaction.Respond(refused);
            return;
        }

        if (!Media.TryAnswerPlain(offer, out var answer, out _, out var error) || answer is null)
        {
            transaction.Respond(SipMessage.CreateResponse(request, 488, $"Not Acceptable Here ({error})"));
            return;
        }

        if (request.Contacts.FirstOrDefault(c => !c.IsWildcard) is { } contact)
        {
            Dialog.RemoteTarget = contact.Uri;
        }

        var ok = SipMessage.CreateResponse(request, 200, "OK", Dialog.LocalTag);
        AddUasHeaders(ok);
        ok.Headers.Add("Content-Type", "application/sdp");
        ok.Body = Encoding.UTF8.GetBytes(answer.ToString());
        transaction.Respond(ok);
        _ok = ok.ToArray();
        _okIntervalMs = _stack.Timers.T1Ms;
        _okResendAtMs = Dialog.Destination.Transport == SipTransportKind.Udp ? _stack.NowMs + _okIntervalMs : long.MaxValue;
        _okGiveUpAtMs = _stack.NowMs + _stack.Timers.TimeoutMs;
        if (Call is { } call)
        {
            _agent.OnHoldChanged(call, offer);
        }
    }

    /// <summary>SIP INFO with application/dtmf-relay (Signal=5) or application/dtmf: DTMF from phones that do not send RFC 4733.</summary>
    private void OnInfo(SipMessage request, SipServerTransaction transaction)
    {
        transaction.Respond(SipMessage.CreateResponse(request, 200, "OK"));
        var type = request.ContentType ?? string.Empty;
        var body = Encoding.UTF8.GetString(request.Body);
        string? digit = null;
        if (type.StartsWith("application/dtmf-relay", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var line in body.Split('\n'))
            {
                var parts = line.Split('=', 2);
                if (parts.Length == 2 && parts[0].Trim().Equals("Signal", StringComparison.OrdinalIgnoreCase))
                {
                    digit = parts[1].Trim();
                }
            }
        }
        else if (type.StartsWith("application/dtmf", StringComparison.OrdinalIgnoreCase))
        {
            digit = body.Trim();
        }

        if (digit is { Length: 1 } && Call is { } call)
        {
            _agent.OnDigit(call, digit[0]);
        }
    }

    private void End()
    {
        Ended = true;
        _ok = null;
        _agent.Forget(this);
    }

    private static HangupCause? ReasonCause(SipMessage request)
    {
        // Reason: Q.850;cause=17 (RFC 3326) tells the browser why the phone hung up.
        var reason = request.Headers.Get("Reason");
        var at = reason?.IndexOf("cause=", StringComparison.OrdinalIgnoreCase) ?? -1;
        if (reason is null || at < 0)
        {
            return null;
        }

        var digits = new string(reason[(at + 6)..].TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && Enum.IsDefined(typeof(HangupCause), code)
            ? (HangupCause)code
            : null;
    }

    /// <summary>
    /// A caller id as a SIP user part: a Verto caller's number is often its login
    /// (<c>1000@example.com</c>), and only the user goes in our From (RFC 3261 §25.1 unreserved
    /// and user-unreserved characters; anything else is dropped).
    /// </summary>
    private static string UserPart(string callerNumber)
    {
        var user = callerNumber.Split('@')[0];
        var kept = new string(user.Where(c => char.IsAsciiLetterOrDigit(c) || "-_.!~*'()&=+$,;?/".Contains(c, StringComparison.Ordinal)).ToArray());
        return kept.Length > 0 ? kept : "anonymous";
    }

    private static string StripTag(string nameAddr) =>
        SipNameAddr.TryParse(nameAddr, out var parsed) && parsed is not null
            ? new SipNameAddr(parsed.DisplayName, parsed.Uri, parsed.Parameters.Where(p => !p.Key.Equals("tag", StringComparison.OrdinalIgnoreCase)).ToDictionary(p => p.Key, p => p.Value)).ToString()
            : nameAddr;
}

using System.Text.Json.Nodes;
using MediaServer.Media;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;

namespace MediaServer.Calls;

/// <summary>
/// One Verto call leg: a browser's call to us (inbound) or ours to a browser (outbound),
/// its state, the connection it is bound to (none while detached, §6.6), its media leg and
/// what it is connected to (itself for echo, a peer for a bridged call, ringing forks while
/// a user is being called). Owned by <see cref="CallRegistry"/>; every state change happens
/// under the registry's lock, so two legs of a bridge never disagree.
/// </summary>
internal sealed class Call : IMediaLegListener
{
    private readonly CallRegistry _registry;
    private CallState _state;

    public Call(CallRegistry registry, string callId, CallDirection direction, string sessid, AuthenticatedUser user, VertoConnection? connection)
    {
        _registry = registry;
        CallId = callId;
        Direction = direction;
        Sessid = sessid;
        User = user;
        Connection = connection;
        CreatedMs = Environment.TickCount64;
        LogScope = new Observability.CallLogScope(this);
        if (connection is not null)
        {
            RemoteAddress = connection.RemoteEndPoint;
        }
    }

    public string CallId { get; }

    /// <summary>Opened as the logging scope wherever this call's work runs: callId, user, protocol, room, memberId.</summary>
    public Observability.CallLogScope LogScope { get; }

    public CallDirection Direction { get; }

    /// <summary>The sessid the call belongs to: a reconnect with it gets the call back.</summary>
    public string Sessid { get; }

    public AuthenticatedUser User { get; }

    /// <summary>The connection that receives this call's server requests; null while detached.</summary>
    public VertoConnection? Connection { get; set; }

    public long CreatedMs { get; }

    /// <summary>Wall-clock start, for the call record.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>When the call was first answered (state Active), for the call record; null while it never was.</summary>
    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>The party's signalling address:port (its WebSocket when the call began, or its SIP peer), for the call record.</summary>
    public string? RemoteAddress { get; set; }

    public CallState State
    {
        get => _state;
        set
        {
            _state = value;
            if (value is CallState.Active or CallState.Held && AnsweredAt is null)
            {
                AnsweredAt = DateTimeOffset.UtcNow;
            }
        }
    }

    public bool Answered => State is CallState.Active or CallState.Held;

    public bool RecoverCall { get; set; } = true;

    public long DetachedAtMs { get; set; }

    /// <summary>A verto.attach offer went out and its answer has not come back yet.</summary>
    public bool AwaitingAttach { get; set; }

    public string DestinationNumber { get; set; } = string.Empty;

    public string CallerIdName { get; set; } = string.Empty;

    public string CallerIdNumber { get; set; } = string.Empty;

    public string CalleeIdName { get; set; } = string.Empty;

    public string CalleeIdNumber { get; set; } = string.Empty;

    public MediaLeg? Leg { get; set; }

    /// <summary>The other party of a bridged call.</summary>
    public Call? Peer { get; set; }

    /// <summary>For an inbound call to a user: the outbound legs ringing that user's browsers.</summary>
    public List<Call>? Forks { get; set; }

    /// <summary>For a ringing outbound leg: the inbound call it rings for.</summary>
    public Call? Originator { get; set; }

    public bool IsEcho { get; set; }

    /// <summary>A screen-share leg (dialogParams screenShare): in a room it is video only and takes the presenter slot.</summary>
    public bool ScreenShare { get; set; }

    /// <summary>The PIN given in dialogParams, for a room that asks for one.</summary>
    public string? Pin { get; set; }

    /// <summary>dialogParams userVariables as JSON object text (shown in a conference member row).</summary>
    public string? UserVariablesJson { get; set; }

    /// <summary>This call's place in a conference, while it is in one.</summary>
    public Conferences.ConferenceMember? Member { get; set; }

    /// <summary>Parameters of the last verto.display, re-sent after a re-attach (§3.8).</summary>
    public JsonObject? Display { get; set; }

    /// <summary>The cause this call ended with, once it has.</summary>
    public HangupCause? EndCause { get; set; }

    /// <summary>S→C verto.bye (§4.4), unless the client is gone.</summary>
    public void SendBye(HangupCause cause) => Send(VertoMethod.Bye, new JsonObject
    {
        ["callID"] = CallId,
        ["causeCode"] = HangupCauseNames.Code(cause),
        ["cause"] = HangupCauseNames.Name(cause),
    });

    /// <summary>S→C verto.display (§4.5); remembered for a re-attach.</summary>
    public void SendDisplay(string name, string number)
    {
        Display = new JsonObject
        {
            ["callID"] = CallId,
            ["display_name"] = name,
            ["display_number"] = number,
            ["caller_id_name"] = CallerIdName,
            ["caller_id_number"] = CallerIdNumber,
            ["callee_id_name"] = CalleeIdName,
            ["callee_id_number"] = CalleeIdNumber,
            ["display_direction"] = DisplayDirection,
        };
        ResendDisplay();
    }

    public void ResendDisplay()
    {
        if (Display is not null)
        {
            Send("verto.display", (JsonObject)Display.DeepClone());
        }
    }

    /// <summary>§4.1: "outbound" when the server placed the call, so the browser shows the caller as the remote party.</summary>
    public string DisplayDirection => Direction == CallDirection.Outbound ? "outbound" : "inbound";

    /// <summary>For a SIP call: its SIP side, which turns the call's Verto-shaped events into SIP (answer → 200 OK, bye → BYE).</summary>
    public Sip.SipCallLeg? Sip { get; set; }

    public bool Send(string method, JsonObject parameters) =>
        Sip is { } sip ? sip.OnCallEvent(method, parameters) : Connection?.SendRequest(method, parameters) ?? false;

    public void OnMediaReady(MediaLeg leg) => _registry.OnMediaReady(this);

    public void OnMediaFailed(MediaLeg leg, TransportFailure failure, string reason) => _registry.OnMediaFailed(this, failure, reason);

    /// <summary>
    /// A DTMF digit from this call's media (RFC 4733 telephone-event), once per key press.
    /// Raised on a media receive thread: handlers must be quick and must not block.
    /// </summary>
    public event Action<Call, char>? TelephoneEvent;

    Observability.CallLogScope? IMediaLegListener.LogScope => LogScope;

    public void OnTelephoneEvent(MediaLeg leg, char digit) => TelephoneEvent?.Invoke(this, digit);
}

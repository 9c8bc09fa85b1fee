using MediaServer.Protocol.Sip;

namespace MediaServer.Sip;

/// <summary>
/// A client transaction (RFC 3261 §17.1): sends a request, retransmits it over UDP (timers
/// A/E), gives up after 64*T1 (timers B/F) with a synthetic 408, acknowledges non-2xx final
/// INVITE responses itself (§17.1.1.3) and absorbs their retransmissions (timers D/K).
/// Responses go to the transaction user through <see cref="ISipClientTransactionUser"/>.
/// Owned and driven by <see cref="SipStack"/> on its single worker; not thread-safe.
/// </summary>
internal sealed class SipClientTransaction
{
    private readonly SipStack _stack;
    private readonly byte[] _requestBytes;
    private readonly ISipClientTransactionUser _user;
    private long _retransmitAtMs;
    private int _retransmitIntervalMs;
    private long _timeoutAtMs;
    private long _endAtMs = long.MaxValue;
    private byte[]? _ack;

    public SipClientTransaction(SipStack stack, string branch, SipMessage request, SipEndPoint destination, ISipClientTransactionUser user)
    {
        _stack = stack;
        Branch = branch;
        Request = request;
        Destination = destination;
        _user = user;
        IsInvite = request.Method == "INVITE";
        _requestBytes = request.ToArray();
    }

    public string Branch { get; }

    public SipMessage Request { get; }

    public SipEndPoint Destination { get; }

    public bool IsInvite { get; }

    public SipTransactionState State { get; private set; } = SipTransactionState.Trying;

    public void Start()
    {
        var now = _stack.NowMs;
        _stack.SendBytes(_requestBytes, Destination);
        _retransmitIntervalMs = _stack.Timers.T1Ms;
        _retransmitAtMs = Destination.Transport == SipTransportKind.Udp ? now + _retransmitIntervalMs : long.MaxValue;
        _timeoutAtMs = now + _stack.Timers.TimeoutMs;
    }

    public void OnResponse(SipMessage response)
    {
        var now = _stack.NowMs;
        if (response.StatusCode < 200)
        {
            if (State == SipTransactionState.Trying)
            {
                State = SipTransactionState.Proceeding;
                if (!IsInvite)
                {
                    // §17.1.2.2: in Proceeding a non-INVITE request is resent every T2.
                    _retransmitIntervalMs = _stack.Timers.T2Ms;
                }
                else
                {
                    _retransmitAtMs = long.MaxValue;
                }
            }

            if (State == SipTransactionState.Proceeding)
            {
                _user.OnProvisional(this, response);
            }

            return;
        }

        if (State is SipTransactionState.Completed or SipTransactionState.Terminated)
        {
            // A retransmitted final response: re-ACK a non-2xx INVITE answer, ignore the rest
            // (2xx retransmissions are the dialog's business: the stack routes them there).
            if (_ack is not null)
            {
                _stack.SendBytes(_ack, Destination);
            }

            return;
        }

        var reliable = Destination.Transport != SipTransportKind.Udp;
        if (IsInvite && response.StatusCode >= 300)
        {
            _ack = BuildAck(response).ToArray();
            _stack.SendBytes(_ack, Destination);
            State = SipTransactionState.Completed;
            _endAtMs = now + (reliable ? 0 : _stack.Timers.TimerDMs);
        }
        else if (IsInvite)
        {
            State = SipTransactionState.Terminated;
            _endAtMs = now;
        }
        else
        {
            State = SipTransactionState.Completed;
            _endAtMs = now + (reliable ? 0 : _stack.Timers.T4Ms); // timer K
        }

        _retransmitAtMs = long.MaxValue;
        _timeoutAtMs = long.MaxValue;
        _user.OnFinal(this, response);
    }

    /// <summary>Timers; returns true when the transaction is over and can be forgotten.</summary>
    public bool Tick(long nowMs)
    {
        if (nowMs >= _timeoutAtMs && State is SipTransactionState.Trying or SipTransactionState.Proceeding)
        {
            // Timer B or F: nobody answered. The user sees a 408 as RFC 3261 §8.1.3.1 suggests.
            State = SipTransactionState.Terminated;
            _user.OnFinal(this, SipMessage.CreateResponse(Request, 408, "Request Timeout"));
            return true;
        }

        if (nowMs >= _endAtMs)
        {
            State = SipTransactionState.Terminated;
            return true;
        }

        if (nowMs >= _retransmitAtMs && State is SipTransactionState.Trying or SipTransactionState.Proceeding)
        {
            _stack.SendBytes(_requestBytes, Destination);
            _retransmitIntervalMs = IsInvite ? _retransmitIntervalMs * 2 : Math.Min(_retransmitIntervalMs * 2, _stack.Timers.T2Ms);
            _retransmitAtMs = nowMs + _retransmitIntervalMs;
        }

        return false;
    }

    /// <summary>§17.1.1.3: the ACK for a non-2xx answer reuses the INVITE's branch, Request-URI, From, Call-ID and Route, and takes the response's To.</summary>
    private SipMessage BuildAck(SipMessage response)
    {
        var ack = SipMessage.CreateRequest("ACK", Request.RequestUri!);
        ack.Headers.Add("Via", Request.Headers.GetAll("Via")[0]);
        ack.Headers.Add("Max-Forwards", "70");
        ack.Headers.Add("From", Request.Headers.Get("From")!);
        ack.Headers.Add("To", response.Headers.Get("To") ?? Request.Headers.Get("To")!);
        ack.Headers.Add("Call-ID", Request.CallId!);
        ack.Headers.Add("CSeq", $"{Request.CSeq!.Value.Number} ACK");
        foreach (var route in Request.Headers.GetAll("Route"))
        {
            ack.Headers.Add("Route", route);
        }

        return ack;
    }
}

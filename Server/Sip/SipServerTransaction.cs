using MediaServer.Protocol.Sip;

namespace MediaServer.Sip;

/// <summary>
/// A server transaction (RFC 3261 §17.2): absorbs retransmitted requests by re-sending the
/// last response, retransmits final INVITE responses over UDP until the ACK (timers G/H),
/// and lingers after completion so late retransmissions still find it (timers I/J).
/// A 2xx to INVITE ends the transaction at once: the dialog layer retransmits it (§13.3.1.4).
/// Owned and driven by <see cref="SipStack"/> on its single worker; not thread-safe.
/// </summary>
internal sealed class SipServerTransaction
{
    private readonly SipStack _stack;
    private byte[]? _lastResponse;
    private long _retransmitAtMs;
    private int _retransmitIntervalMs;
    private long _endAtMs = long.MaxValue;

    public SipServerTransaction(SipStack stack, string key, SipMessage request, SipEndPoint source)
    {
        _stack = stack;
        Key = key;
        Request = request;
        Source = source;
        IsInvite = request.Method == "INVITE";
        State = SipTransactionState.Trying;
    }

    public string Key { get; }

    public SipMessage Request { get; }

    public SipEndPoint Source { get; }

    public bool IsInvite { get; }

    public SipTransactionState State { get; private set; }

    /// <summary>A final response has gone out (the request got its answer).</summary>
    public bool HasFinalResponse => State is SipTransactionState.Completed or SipTransactionState.Confirmed or SipTransactionState.Terminated;

    /// <summary>Sends a response of the transaction user (1xx..6xx).</summary>
    public void Respond(SipMessage response)
    {
        if (HasFinalResponse)
        {
            return;
        }

        _lastResponse = response.ToArray();
        _stack.SendBytes(_lastResponse, Source);
        var now = _stack.NowMs;
        if (response.StatusCode < 200)
        {
            State = SipTransactionState.Proceeding;
            return;
        }

        if (IsInvite && response.StatusCode < 300)
        {
            // §17.2.1: the transaction ends with a 2xx; the UAS core retransmits it until ACK.
            State = SipTransactionState.Terminated;
            _endAtMs = now + _stack.Timers.TimeoutMs;
            return;
        }

        State = SipTransactionState.Completed;
        var reliable = Source.Transport != SipTransportKind.Udp;
        if (IsInvite)
        {
            _retransmitIntervalMs = _stack.Timers.T1Ms;
            _retransmitAtMs = reliable ? long.MaxValue : now + _retransmitIntervalMs;
            _endAtMs = now + _stack.Timers.TimeoutMs; // timer H
        }
        else
        {
            _endAtMs = now + (reliable ? 0 : _stack.Timers.TimeoutMs); // timer J
        }
    }

    /// <summary>The same request again: answer it with what we answered last (§17.2.1, §17.2.2).</summary>
    public void OnRetransmission()
    {
        if (_lastResponse is not null && State is SipTransactionState.Proceeding or SipTransactionState.Completed)
        {
            _stack.SendBytes(_lastResponse, Source);
        }
    }

    /// <summary>The ACK for a non-2xx final response: stop retransmitting and linger for timer I.</summary>
    public void OnAck()
    {
        if (!IsInvite || State != SipTransactionState.Completed)
        {
            return;
        }

        State = SipTransactionState.Confirmed;
        _retransmitAtMs = long.MaxValue;
        _endAtMs = _stack.NowMs + (Source.Transport == SipTransportKind.Udp ? _stack.Timers.T4Ms : 0);
    }

    /// <summary>Timers; returns true when the transaction is over and can be forgotten.</summary>
    public bool Tick(long nowMs)
    {
        if (nowMs >= _endAtMs)
        {
            if (IsInvite && State == SipTransactionState.Completed)
            {
                // Timer H: the ACK never came. The dialog layer hears about it through the stack.
                _stack.OnAckTimeout(this);
            }

            State = SipTransactionState.Terminated;
            return true;
        }

        if (State == SipTransactionState.Completed && IsInvite && nowMs >= _retransmitAtMs && _lastResponse is not null)
        {
            _stack.SendBytes(_lastResponse, Source);
            _retransmitIntervalMs = Math.Min(_retransmitIntervalMs * 2, _stack.Timers.T2Ms); // timer G
            _retransmitAtMs = nowMs + _retransmitIntervalMs;
        }

        return false;
    }
}

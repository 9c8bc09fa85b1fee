using MediaServer.Protocol.Sip;

namespace MediaServer.Sip;

/// <summary>
/// The transaction user above <see cref="SipStack"/> (RFC 3261 §8, §12-§16 as a B2BUA).
/// Every method runs on the stack's worker, one at a time.
/// </summary>
internal interface ISipRequestHandler
{
    /// <summary>A new request. <paramref name="transaction"/> is null for an ACK to a 2xx (it has no transaction of its own).</summary>
    void OnRequest(SipMessage request, SipServerTransaction? transaction, SipEndPoint source);

    /// <summary>A response no client transaction claims: a retransmitted 2xx to one of our INVITEs (re-ACK it).</summary>
    void OnStrayResponse(SipMessage response, SipEndPoint source);

    /// <summary>Timer H fired: a non-2xx final INVITE response never got its ACK.</summary>
    void OnAckTimeout(SipServerTransaction transaction);

    /// <summary>Every worker tick: dialog-level retransmissions (2xx until ACK) and timeouts.</summary>
    void Tick(long nowMs);
}

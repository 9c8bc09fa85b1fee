using MediaServer.Protocol.Sip;

namespace MediaServer.Sip;

/// <summary>What a client transaction reports upward: provisional answers and the one final answer (a synthetic 408 on timeout).</summary>
internal interface ISipClientTransactionUser
{
    void OnProvisional(SipClientTransaction transaction, SipMessage response);

    void OnFinal(SipClientTransaction transaction, SipMessage response);
}

using System.Net;

namespace MediaServer.Sip;

/// <summary>
/// Where a message came from or goes to. For TCP the connection it arrived on is kept, so
/// responses go back on it (RFC 3261 §18.2.2); for UDP the source address is used, which is
/// the rport behaviour of RFC 3581 and what gets answers through NATs.
/// </summary>
internal sealed record SipEndPoint(SipTransportKind Transport, IPEndPoint Address, SipTcpConnection? Connection = null)
{
    public override string ToString() => $"{Transport.ToString().ToUpperInvariant()} {Address}";
}

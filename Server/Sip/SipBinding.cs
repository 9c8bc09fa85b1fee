using MediaServer.Protocol.Sip;

namespace MediaServer.Sip;

/// <summary>One registered contact of a user (RFC 3261 §10): where to send INVITEs, and until when.</summary>
internal sealed record SipBinding(string Uid, SipUri Contact, SipEndPoint Source, string CallId, uint Sequence, long ExpiresAtMs);

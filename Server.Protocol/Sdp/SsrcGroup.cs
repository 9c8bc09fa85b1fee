namespace MediaServer.Protocol.Sdp;

/// <summary>a=ssrc-group (RFC 5576 §4.2), e.g. "FID 1 2" pairing a stream with its retransmissions.</summary>
public sealed record SsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs);

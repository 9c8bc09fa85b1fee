namespace MediaServer.Protocol.Rtcp;

/// <summary>One FIR request (RFC 5104 §4.3.1.1): the media sender asked for a key frame, and the command sequence number that lets it ignore repeats.</summary>
public readonly record struct RtcpFirEntry(uint Ssrc, byte SequenceNumber);

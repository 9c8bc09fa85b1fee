namespace MediaServer.Protocol.Sdp;

/// <summary>a=ssrc (RFC 5576 §4.1): "&lt;ssrc&gt; &lt;name&gt;[:&lt;value&gt;]", e.g. 1234 cname:abc.</summary>
public sealed record SsrcAttribute(uint Ssrc, string Name, string? Value);

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// a=extmap (RFC 8285 §8): "&lt;id&gt;[/&lt;direction&gt;] &lt;uri&gt; [&lt;attributes&gt;]".
/// Extension attributes after the URI are rare and kept inside <see cref="Uri"/> so they write back unchanged.
/// </summary>
public sealed record RtpExtension(int Id, string Uri, MediaDirection? Direction);

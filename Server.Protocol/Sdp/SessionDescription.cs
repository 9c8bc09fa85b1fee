namespace MediaServer.Protocol.Sdp;

/// <summary>
/// An SDP session description (RFC 8866 §5), the model the offer/answer code works on:
/// <code>
/// v=0
/// o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; IN IP4 &lt;unicast-address&gt;
/// s=&lt;session name&gt;
/// [c=IN IP4 &lt;address&gt;]  t=0 0  a=...  then one section per m= line
/// </code>
/// Parsing allocates freely: it runs once per call setup, never per packet. The object is
/// plain data owned by whoever parsed or built it; it is not thread-safe.
/// </summary>
public sealed class SessionDescription
{
    /// <summary>Longer input is refused before parsing; a browser offer with every codec is under 16 KiB.</summary>
    public const int MaxLength = 256 * 1024;

    /// <summary>More m= lines than this are refused; it bounds the negotiation work as well.</summary>
    public const int MaxMedia = 64;

    /// <summary>Distinct SSRCs reported per media section; more are ignored.</summary>
    public const int MaxSsrcsPerMedia = 64;

    public string OriginUsername { get; set; } = "-";

    public string SessionId { get; set; } = "0";

    public string SessionVersion { get; set; } = "0";

    /// <summary>The o= unicast address ("IN IP4" or "IN IP6" is derived from it when written).</summary>
    public string OriginAddress { get; set; } = "127.0.0.1";

    public string SessionName { get; set; } = "-";

    /// <summary>The session-level c= address, if any.</summary>
    public string? ConnectionAddress { get; set; }

    /// <summary>a=ice-lite (RFC 8839 §5.3): the side only answers connectivity checks.</summary>
    public bool IceLite { get; set; }

    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    public SdpFingerprint? Fingerprint { get; set; }

    public DtlsSetup? Setup { get; set; }

    public List<SdpGroup> Groups { get; set; } = [];

    /// <summary>a=msid-semantic value without leading space, e.g. "WMS *" (Chromium writes "a=msid-semantic: WMS ...").</summary>
    public string? MsidSemantic { get; set; }

    public List<MediaDescription> Media { get; set; } = [];

    /// <summary>Session attributes without a field of their own, in order (a session-level direction stays here too).</summary>
    public List<KeyValuePair<string, string?>> OtherAttributes { get; set; } = [];

    /// <summary>The t= value; always "0 0" for WebRTC.</summary>
    internal string Timing { get; set; } = "0 0";

    /// <summary>i=, u=, e=, p=, b=, r=, z=, k= lines, kept to be written back.</summary>
    internal List<KeyValuePair<char, string>> OtherLines { get; } = [];

    /// <summary>The msid-semantic value exactly as parsed, so its spacing survives a round trip.</summary>
    internal string? RawMsidSemantic { get; set; }

    internal List<SdpLayoutSlot>? Layout { get; set; }

    /// <summary>
    /// Parses <paramref name="text"/>. Never throws: on failure returns false and an error that
    /// names the line ("line 7: bad m= line"). LF-only line ends are accepted.
    /// </summary>
    public static bool TryParse(string text, out SessionDescription? description, out string? error) =>
        SdpReader.TryParse(text, out description, out error);

    /// <summary>The groups with <paramref name="semantics"/> ("BUNDLE").</summary>
    public SdpGroup? FindGroup(string semantics)
    {
        foreach (var group in Groups)
        {
            if (group.Semantics.Equals(semantics, StringComparison.OrdinalIgnoreCase))
            {
                return group;
            }
        }

        return null;
    }

    public string? GetIceUfrag(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.IceUfrag ?? IceUfrag;
    }

    public string? GetIcePwd(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.IcePwd ?? IcePwd;
    }

    public SdpFingerprint? GetFingerprint(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Fingerprint ?? Fingerprint;
    }

    public DtlsSetup? GetSetup(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Setup ?? Setup;
    }

    /// <summary>
    /// The SDP text with CRLF line ends, in RFC 8866 order (v o s i u e p c b t r z k a, then
    /// the media sections). A parsed description keeps its original attribute order.
    /// </summary>
    public override string ToString() => SdpWriter.Write(this, keepLayout: true);

    /// <summary>The text in the writer's own attribute order, ignoring the parsed order (tests compare models with it).</summary>
    internal string ToCanonicalString() => SdpWriter.Write(this, keepLayout: false);
}

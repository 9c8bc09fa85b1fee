namespace MediaServer.Protocol.Sdp;

/// <summary>
/// One media section (RFC 8866 §5.14): the m= line and the lines up to the next one.
/// <code>
/// m=&lt;media&gt; &lt;port&gt; &lt;proto&gt; &lt;fmt&gt; ...
/// </code>
/// Attributes the model understands get fields; the rest stay in <see cref="OtherAttributes"/>
/// in order and are written back. Owned by its <see cref="SessionDescription"/>; not thread-safe.
/// </summary>
public sealed class MediaDescription
{
    private string _media = "audio";

    public MediaKind Kind
    {
        get => KindOf(_media);
        set => _media = value switch
        {
            MediaKind.Audio => "audio",
            MediaKind.Video => "video",
            MediaKind.Application => "application",
            _ => _media,
        };
    }

    /// <summary>The &lt;media&gt; field as written ("audio", "video", "application", ...).</summary>
    public string Media
    {
        get => _media;
        set => _media = value ?? string.Empty;
    }

    /// <summary>The port of the m= line; 0 rejects (answer) or disables (offer) the section (RFC 3264 §6).</summary>
    public int Port { get; set; } = 9;

    /// <summary>The transport protocol, e.g. "UDP/TLS/RTP/SAVPF" (RFC 5764 §8).</summary>
    public string Protocol { get; set; } = "UDP/TLS/RTP/SAVPF";

    /// <summary>The formats of the m= line in order (payload types for RTP, "webrtc-datachannel" for SCTP).</summary>
    public List<string> Formats { get; set; } = [];

    public string? Mid { get; set; }

    /// <summary>The direction attribute; sendrecv when absent (RFC 8866 §6.7).</summary>
    public MediaDirection Direction { get; set; } = MediaDirection.SendRecv;

    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    public SdpFingerprint? Fingerprint { get; set; }

    public DtlsSetup? Setup { get; set; }

    /// <summary>a=rtcp-mux (RFC 5761 §5.1.1): RTP and RTCP share the port.</summary>
    public bool RtcpMux { get; set; }

    /// <summary>a=rtcp-rsize (RFC 5506 §5): reduced-size RTCP is welcome.</summary>
    public bool RtcpRsize { get; set; }

    /// <summary>The media-level c= address ("IN IP4" or "IN IP6" is derived from it when written).</summary>
    public string? ConnectionAddress { get; set; }

    public List<IceCandidate> Candidates { get; set; } = [];

    /// <summary>a=end-of-candidates (RFC 8840 §8.2): no more candidates will follow.</summary>
    public bool EndOfCandidates { get; set; }

    /// <summary>The RTP formats in m= line order (the offerer's preference order).</summary>
    public List<RtpCodec> Codecs { get; set; } = [];

    /// <summary>a=rtcp-fb:* values as written; each distinct one (up to 16) is also in every codec's <see cref="RtpCodec.Feedback"/>.</summary>
    public List<string> WildcardFeedback { get; set; } = [];

    public List<RtpExtension> Extensions { get; set; } = [];

    public List<SsrcAttribute> Ssrcs { get; set; } = [];

    public List<SsrcGroup> SsrcGroups { get; set; } = [];

    /// <summary>a=msid (RFC 8830 §2): "&lt;stream id&gt; &lt;track id&gt;".</summary>
    public string? Msid { get; set; }

    /// <summary>b=AS in kilobits per second (RFC 8866 §5.8).</summary>
    public int? Bandwidth { get; set; }

    /// <summary>Attributes without a field of their own, in order: name and value (null for a property attribute).</summary>
    public List<KeyValuePair<string, string?>> OtherAttributes { get; set; } = [];

    public bool IsRejected => Port == 0;

    /// <summary>True for an RTP profile (RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF, ...).</summary>
    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase);

    /// <summary>i=, k= and b= lines other than b=AS, kept to be written back.</summary>
    internal List<KeyValuePair<char, string>> OtherLines { get; } = [];

    /// <summary>The attribute order met when parsing; null for a description built in code.</summary>
    internal List<SdpLayoutSlot>? Layout { get; set; }

    /// <summary>The codec with this payload type, or null.</summary>
    public RtpCodec? FindCodec(int payloadType)
    {
        foreach (var codec in Codecs)
        {
            if (codec.PayloadType == payloadType)
            {
                return codec;
            }
        }

        return null;
    }

    /// <summary>Distinct SSRCs named by a=ssrc lines, in order of first appearance.</summary>
    public IReadOnlyList<uint> GetSsrcs()
    {
        var result = new List<uint>();
        foreach (var ssrc in Ssrcs)
        {
            // A media section lists a handful of SSRCs; a linear check is cheaper than a set.
            if (!result.Contains(ssrc.Ssrc))
            {
                if (result.Count == SessionDescription.MaxSsrcsPerMedia)
                {
                    break;
                }

                result.Add(ssrc.Ssrc);
            }
        }

        return result;
    }

    /// <summary>The value of the first attribute named <paramref name="name"/> among <see cref="OtherAttributes"/>.</summary>
    public string? GetOtherAttribute(string name)
    {
        foreach (var pair in OtherAttributes)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The a=rtcp-fb:* values that are copied into every codec: distinct, and at most
    /// <see cref="MaxWildcardFeedback"/> of them, so a hostile description cannot multiply work.
    /// </summary>
    internal List<string> AppliedWildcardFeedback()
    {
        var applied = new List<string>();
        foreach (var value in WildcardFeedback)
        {
            if (applied.Count == MaxWildcardFeedback)
            {
                break;
            }

            if (!applied.Contains(value))
            {
                applied.Add(value);
            }
        }

        return applied;
    }

    internal const int MaxWildcardFeedback = 16;

    internal static MediaKind KindOf(string media) => media switch
    {
        "audio" => MediaKind.Audio,
        "video" => MediaKind.Video,
        "application" => MediaKind.Application,
        _ => MediaKind.Other,
    };
}

using System.Globalization;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// One RTP payload format of an m= line, gathered from a=rtpmap (RFC 8866 §6.6), a=fmtp
/// (§6.15) and a=rtcp-fb (RFC 4585 §4.2):
/// <code>
/// a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]
/// a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;
/// a=rtcp-fb:&lt;payload type | *&gt; &lt;val&gt;
/// </code>
/// Formats without a=rtpmap get their name from the static table of RFC 3551 §6.
/// </summary>
public sealed class RtpCodec
{
    public int PayloadType { get; set; }

    /// <summary>The encoding name as written ("opus", "PCMU", "VP8"); compare ignoring case.</summary>
    public string Name { get; set; } = string.Empty;

    public int ClockRate { get; set; }

    /// <summary>Audio channels from the encoding parameters; 1 when absent.</summary>
    public int Channels { get; set; } = 1;

    /// <summary>The a=fmtp parameters as written, e.g. "minptime=10;useinbandfec=1".</summary>
    public string? Fmtp { get; set; }

    /// <summary>
    /// a=rtcp-fb values for this payload type, e.g. "nack pli"; values given for "*" are
    /// included here as well (they apply to every payload type of the m= line).
    /// </summary>
    public List<string> Feedback { get; set; } = [];

    /// <summary>The a=rtpmap value without the payload type: "opus/48000/2".</summary>
    public string RtpmapValue =>
        Channels == 1 && !ExplicitChannels
            ? string.Create(CultureInfo.InvariantCulture, $"{Name}/{ClockRate}")
            : string.Create(CultureInfo.InvariantCulture, $"{Name}/{ClockRate}/{Channels}");

    /// <summary>The rtpmap spelled out one channel ("G722/8000/1", as Firefox does); kept so it writes back the same.</summary>
    internal bool ExplicitChannels { get; set; }

    /// <summary>True for RFC 4733 DTMF events.</summary>
    public bool IsTelephoneEvent => Name.Equals("telephone-event", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The value of one fmtp parameter, e.g. GetParameter("stereo") == "1". Parameters are
    /// separated by ';' and optional spaces (verto.js appends "; stereo=1; sprop-stereo=1").
    /// </summary>
    public string? GetParameter(string name)
    {
        if (Fmtp is null)
        {
            return null;
        }

        foreach (var part in Fmtp.Split(';'))
        {
            var pair = part.AsSpan().Trim();
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals].Trim();
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? string.Empty : pair[(equals + 1)..].Trim().ToString();
            }
        }

        return null;
    }

    /// <summary>A copy with its own feedback list.</summary>
    public RtpCodec Clone() => new()
    {
        PayloadType = PayloadType,
        Name = Name,
        ClockRate = ClockRate,
        Channels = Channels,
        Fmtp = Fmtp,
        Feedback = [.. Feedback],
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {RtpmapValue}");
}

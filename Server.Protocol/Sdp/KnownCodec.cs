namespace MediaServer.Protocol.Sdp;

/// <summary>
/// A codec the media plane can handle, as <see cref="CodecList"/> names it, with the fixed
/// payload type and parameters our own offers use.
/// </summary>
internal sealed record KnownCodec(
    string Name,
    MediaKind Kind,
    string EncodingName,
    int ClockRate,
    int Channels,
    int PayloadType,
    string? Fmtp,
    IReadOnlyList<string> Feedback)
{
    /// <summary>The rtcp-fb values we honour: loss recovery and key frame requests the relay can serve or forward.</summary>
    public static readonly IReadOnlyList<string> VideoFeedback = ["goog-remb", "ccm fir", "nack", "nack pli"];

    public static readonly IReadOnlyList<KnownCodec> All =
    [
        // RFC 7587 §7: opus is always written opus/48000/2, whatever is actually sent.
        new("opus", MediaKind.Audio, "opus", 48000, 2, 111, "minptime=10;useinbandfec=1", []),
        new("pcmu", MediaKind.Audio, "PCMU", 8000, 1, 0, null, []),
        new("pcma", MediaKind.Audio, "PCMA", 8000, 1, 8, null, []),
        new("vp8", MediaKind.Video, "VP8", 90000, 1, 96, null, VideoFeedback),
    ];

    public static KnownCodec? Find(string name)
    {
        foreach (var codec in All)
        {
            if (codec.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return codec;
            }
        }

        return null;
    }

    /// <summary>The known codec an offered or answered format is, by encoding name, clock rate and (opus) channels.</summary>
    public static KnownCodec? Match(RtpCodec codec)
    {
        foreach (var known in All)
        {
            if (known.Matches(codec))
            {
                return known;
            }
        }

        return null;
    }

    public bool Matches(RtpCodec codec) =>
        codec.Name.Equals(EncodingName, StringComparison.OrdinalIgnoreCase)
        && codec.ClockRate == ClockRate
        && (Channels == 1 || codec.Channels == Channels);
}

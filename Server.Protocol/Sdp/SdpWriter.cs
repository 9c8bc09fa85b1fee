using System.Globalization;
using System.Text;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// <see cref="SessionDescription"/> to text (RFC 8866 §5: "v o s i u e p c b t r z k a" at
/// session level, "m i c b k a" per section, CRLF line ends). Attributes are written in the
/// order the parser met them when that is known, so a parsed description writes back byte for
/// byte; otherwise (and for anything added since) in <see cref="SdpAttributeKind"/> order,
/// which follows Chromium's.
/// </summary>
internal static class SdpWriter
{
    public static string Write(SessionDescription session, bool keepLayout)
    {
        var text = new StringBuilder(4096);
        Line(text, 'v', "0");
        Line(text, 'o', $"{session.OriginUsername} {session.SessionId} {session.SessionVersion} IN {AddressType(session.OriginAddress)} {session.OriginAddress}");
        Line(text, 's', session.SessionName.Length == 0 ? "-" : session.SessionName);
        OtherLines(text, session.OtherLines, "iuep");
        if (session.ConnectionAddress is not null)
        {
            Line(text, 'c', $"IN {AddressType(session.ConnectionAddress)} {session.ConnectionAddress}");
        }

        OtherLines(text, session.OtherLines, "b");
        Line(text, 't', session.Timing);
        OtherLines(text, session.OtherLines, "rzk");

        var entries = new List<Entry>();
        if (session.IceLite)
        {
            entries.Add(new(SdpAttributeKind.IceLite, 0, "ice-lite"));
        }

        Transport(entries, session.IceUfrag, session.IcePwd, session.Fingerprint, session.Setup);
        for (var i = 0; i < session.Groups.Count; i++)
        {
            entries.Add(new(SdpAttributeKind.Group, i, "group:" + session.Groups[i]));
        }

        if (session.MsidSemantic is not null)
        {
            var raw = session.RawMsidSemantic;
            var value = raw is not null && raw.Trim() == session.MsidSemantic ? raw : " " + session.MsidSemantic;
            entries.Add(new(SdpAttributeKind.MsidSemantic, 0, "msid-semantic:" + value));
        }

        Others(entries, session.OtherAttributes);
        Attributes(text, entries, keepLayout ? session.Layout : null);

        foreach (var media in session.Media)
        {
            WriteMedia(text, media, keepLayout);
        }

        return text.ToString();
    }

    private static void WriteMedia(StringBuilder text, MediaDescription media, bool keepLayout)
    {
        text.Append("m=").Append(media.Media).Append(' ')
            .Append(media.Port.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(media.Protocol);
        foreach (var format in media.Formats)
        {
            text.Append(' ').Append(format);
        }

        text.Append("\r\n");
        OtherLines(text, media.OtherLines, "i");
        if (media.ConnectionAddress is not null)
        {
            Line(text, 'c', $"IN {AddressType(media.ConnectionAddress)} {media.ConnectionAddress}");
        }

        if (media.Bandwidth is { } bandwidth)
        {
            Line(text, 'b', string.Create(CultureInfo.InvariantCulture, $"AS:{bandwidth}"));
        }

        OtherLines(text, media.OtherLines, "bk");

        var entries = new List<Entry>();
        for (var i = 0; i < media.Candidates.Count; i++)
        {
            entries.Add(new(SdpAttributeKind.Candidate, i, "candidate:" + media.Candidates[i]));
        }

        if (media.EndOfCandidates)
        {
            entries.Add(new(SdpAttributeKind.EndOfCandidates, 0, "end-of-candidates"));
        }

        Transport(entries, media.IceUfrag, media.IcePwd, media.Fingerprint, media.Setup);
        if (media.Mid is not null)
        {
            entries.Add(new(SdpAttributeKind.Mid, 0, "mid:" + media.Mid));
        }

        for (var i = 0; i < media.Extensions.Count; i++)
        {
            var extension = media.Extensions[i];
            var id = extension.Direction is { } direction
                ? string.Create(CultureInfo.InvariantCulture, $"{extension.Id}/{DirectionName(direction)}")
                : extension.Id.ToString(CultureInfo.InvariantCulture);
            entries.Add(new(SdpAttributeKind.Extmap, i, $"extmap:{id} {extension.Uri}"));
        }

        // A data channel section has no direction; audio and video always state theirs.
        if (media.Kind is MediaKind.Audio or MediaKind.Video || media.Direction != MediaDirection.SendRecv)
        {
            entries.Add(new(SdpAttributeKind.Direction, 0, DirectionName(media.Direction)));
        }

        if (media.Msid is not null)
        {
            entries.Add(new(SdpAttributeKind.Msid, 0, "msid:" + media.Msid));
        }

        if (media.RtcpMux)
        {
            entries.Add(new(SdpAttributeKind.RtcpMux, 0, "rtcp-mux"));
        }

        if (media.RtcpRsize)
        {
            entries.Add(new(SdpAttributeKind.RtcpRsize, 0, "rtcp-rsize"));
        }

        for (var i = 0; i < media.WildcardFeedback.Count; i++)
        {
            entries.Add(new(SdpAttributeKind.RtcpFbWildcard, i, "rtcp-fb:* " + media.WildcardFeedback[i]));
        }

        var wildcard = media.AppliedWildcardFeedback();
        foreach (var codec in media.Codecs)
        {
            Codec(entries, codec, wildcard);
        }

        for (var i = 0; i < media.SsrcGroups.Count; i++)
        {
            var group = media.SsrcGroups[i];
            var line = new StringBuilder("ssrc-group:").Append(group.Semantics);
            foreach (var ssrc in group.Ssrcs)
            {
                line.Append(' ').Append(ssrc.ToString(CultureInfo.InvariantCulture));
            }

            entries.Add(new(SdpAttributeKind.SsrcGroup, i, line.ToString()));
        }

        for (var i = 0; i < media.Ssrcs.Count; i++)
        {
            var ssrc = media.Ssrcs[i];
            var line = string.Create(CultureInfo.InvariantCulture, $"ssrc:{ssrc.Ssrc} {ssrc.Name}");
            entries.Add(new(SdpAttributeKind.Ssrc, i, ssrc.Value is null ? line : line + ":" + ssrc.Value));
        }

        Others(entries, media.OtherAttributes);
        Attributes(text, entries, keepLayout ? media.Layout : null);
    }

    private static void Codec(List<Entry> entries, RtpCodec codec, List<string> wildcard)
    {
        var pt = codec.PayloadType.ToString(CultureInfo.InvariantCulture);
        // Formats the parser could not name (no rtpmap, not static) have no rtpmap to write.
        if (codec.Name.Length > 0)
        {
            entries.Add(new(SdpAttributeKind.Rtpmap, codec.PayloadType, $"rtpmap:{pt} {codec.RtpmapValue}"));
        }

        // Feedback given for "*" was appended to every codec after its own lines (each value
        // once); leave the last copy of each out so it is not written twice.
        var own = codec.Feedback;
        if (wildcard.Count > 0)
        {
            var pending = new HashSet<string>(wildcard, StringComparer.Ordinal);
            own = new List<string>(codec.Feedback.Count);
            for (var i = codec.Feedback.Count - 1; i >= 0; i--)
            {
                if (!pending.Remove(codec.Feedback[i]))
                {
                    own.Add(codec.Feedback[i]);
                }
            }

            own.Reverse();
        }

        for (var i = 0; i < own.Count; i++)
        {
            entries.Add(new(SdpAttributeKind.RtcpFb, ((long)codec.PayloadType << 32) | (uint)i, $"rtcp-fb:{pt} {own[i]}"));
        }

        if (codec.Fmtp is not null)
        {
            entries.Add(new(SdpAttributeKind.Fmtp, codec.PayloadType, codec.Fmtp.Length == 0 ? "fmtp:" + pt : $"fmtp:{pt} {codec.Fmtp}"));
        }
    }

    private static void Transport(List<Entry> entries, string? ufrag, string? pwd, SdpFingerprint? fingerprint, DtlsSetup? setup)
    {
        if (ufrag is not null)
        {
            entries.Add(new(SdpAttributeKind.IceUfrag, 0, "ice-ufrag:" + ufrag));
        }

        if (pwd is not null)
        {
            entries.Add(new(SdpAttributeKind.IcePwd, 0, "ice-pwd:" + pwd));
        }

        if (fingerprint is not null)
        {
            entries.Add(new(SdpAttributeKind.Fingerprint, 0, "fingerprint:" + fingerprint));
        }

        if (setup is { } value)
        {
            entries.Add(new(SdpAttributeKind.Setup, 0, "setup:" + SetupName(value)));
        }
    }

    private static void Others(List<Entry> entries, List<KeyValuePair<string, string?>> attributes)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            var (name, value) = attributes[i];
            entries.Add(new(SdpAttributeKind.Other, i, value is null ? name : name + ":" + value));
        }
    }

    /// <summary>Writes the entries: first in the parsed order, then whatever that order did not place.</summary>
    private static void Attributes(StringBuilder text, List<Entry> entries, List<SdpLayoutSlot>? layout)
    {
        var written = new bool[entries.Count];
        if (layout is { Count: > 0 })
        {
            var index = new Dictionary<SdpLayoutSlot, int>(entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                index.TryAdd(new SdpLayoutSlot(entries[i].Kind, entries[i].Key), i);
            }

            foreach (var slot in layout)
            {
                if (index.TryGetValue(slot, out var i) && !written[i])
                {
                    written[i] = true;
                    Line(text, 'a', entries[i].Text);
                }
            }
        }

        // Stable by kind, so a description built in code comes out in canonical order.
        // Codec lines share one rank so each codec's rtpmap, rtcp-fb and fmtp stay together.
        var order = Enumerable.Range(0, entries.Count).Where(i => !written[i]).OrderBy(i => Rank(entries[i].Kind));
        foreach (var i in order)
        {
            Line(text, 'a', entries[i].Text);
        }
    }

    private static SdpAttributeKind Rank(SdpAttributeKind kind) =>
        kind is SdpAttributeKind.RtcpFb or SdpAttributeKind.Fmtp ? SdpAttributeKind.Rtpmap : kind;

    private static void OtherLines(StringBuilder text, List<KeyValuePair<char, string>> lines, string types)
    {
        foreach (var (type, value) in lines)
        {
            if (types.Contains(type, StringComparison.Ordinal))
            {
                Line(text, type, value);
            }
        }
    }

    private static void Line(StringBuilder text, char type, string value) =>
        text.Append(type).Append('=').Append(value).Append("\r\n");

    /// <summary>"IP6" for an address with a colon, otherwise "IP4" (also for FQDNs, as browsers write them).</summary>
    private static string AddressType(string address) => address.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4";

    internal static string DirectionName(MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    internal static string SetupName(DtlsSetup setup) => setup switch
    {
        DtlsSetup.Active => "active",
        DtlsSetup.Passive => "passive",
        DtlsSetup.HoldConn => "holdconn",
        _ => "actpass",
    };

    private readonly record struct Entry(SdpAttributeKind Kind, long Key, string Text);
}

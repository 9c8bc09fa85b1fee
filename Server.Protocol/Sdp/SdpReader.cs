using System.Globalization;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// Text to <see cref="SessionDescription"/> (RFC 8866 §5 and §9 grammar, attributes of §6 and of
/// the WebRTC RFCs). Lenient where browsers and SIP devices differ harmlessly (LF-only line
/// ends, blank lines, spacing in values, unknown attributes), strict where a mistake would
/// mislead negotiation (a malformed m=, rtpmap, candidate, fingerprint ...). Every loop is
/// bounded by the input length, itself capped by <see cref="SessionDescription.MaxLength"/>.
/// </summary>
internal static class SdpReader
{
    public static bool TryParse(string text, out SessionDescription? description, out string? error)
    {
        description = null;
        if (text is null)
        {
            error = "no SDP";
            return false;
        }

        if (text.Length > SessionDescription.MaxLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"SDP is {text.Length} characters long; at most {SessionDescription.MaxLength} are accepted");
            return false;
        }

        var state = new ParseState();
        var lineNumber = 0;
        var position = 0;
        var expected = 'v';
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            if (end < 0)
            {
                end = text.Length;
            }

            var line = text.AsSpan(position, end - position);
            position = end + 1;
            lineNumber++;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = Line(lineNumber, "expected <type>=<value>");
                return false;
            }

            var type = line[0];
            var value = line[2..];
            // RFC 8866 §5: v, o and s come first and in that order; the rest is not enforced.
            if (expected != '\0')
            {
                if (type != expected)
                {
                    error = Line(lineNumber, $"expected {expected}= line");
                    return false;
                }

                expected = expected switch { 'v' => 'o', 'o' => 's', _ => '\0' };
            }

            if (!state.Accept(type, value, lineNumber, out error))
            {
                return false;
            }
        }

        if (expected != '\0')
        {
            error = Line(lineNumber + 1, $"expected {(expected == 'v' ? "v=0" : expected + "=")} line");
            return false;
        }

        state.FinishMedia();
        description = state.Session;
        error = null;
        return true;
    }

    internal static string Line(int lineNumber, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: {message}");

    internal static bool TryParseDirection(ReadOnlySpan<char> name, out MediaDirection direction)
    {
        switch (name)
        {
            case "sendrecv": direction = MediaDirection.SendRecv; return true;
            case "sendonly": direction = MediaDirection.SendOnly; return true;
            case "recvonly": direction = MediaDirection.RecvOnly; return true;
            case "inactive": direction = MediaDirection.Inactive; return true;
            default: direction = default; return false;
        }
    }

    internal static bool TryParseSetup(ReadOnlySpan<char> value, out DtlsSetup setup)
    {
        var trimmed = value.Trim();
        if (trimmed.Equals("actpass", StringComparison.OrdinalIgnoreCase)) { setup = DtlsSetup.ActPass; return true; }
        if (trimmed.Equals("active", StringComparison.OrdinalIgnoreCase)) { setup = DtlsSetup.Active; return true; }
        if (trimmed.Equals("passive", StringComparison.OrdinalIgnoreCase)) { setup = DtlsSetup.Passive; return true; }
        if (trimmed.Equals("holdconn", StringComparison.OrdinalIgnoreCase)) { setup = DtlsSetup.HoldConn; return true; }
        setup = default;
        return false;
    }

    private static bool TryParseInt(ReadOnlySpan<char> text, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;

    /// <summary>The parser's position: the session, and the media section being read if any.</summary>
    private sealed class ParseState
    {
        public SessionDescription Session { get; } = new() { Layout = [] };

        private MediaDescription? _media;
        private Dictionary<int, RtpCodec>? _codecs;
        private HashSet<int>? _hasRtpmap;
        private Dictionary<int, int>? _feedbackCount;
        private MediaDirection? _sessionDirection;
        private bool _seenOrigin;
        private bool _seenName;
        private bool _seenTiming;

        private readonly Dictionary<SdpAttributeKind, int> _ordinals = [];

        public bool Accept(char type, ReadOnlySpan<char> value, int lineNumber, out string? error)
        {
            error = null;
            if (type == 'm')
            {
                return StartMedia(value, lineNumber, out error);
            }

            if (type == 'a')
            {
                return _media is null
                    ? SessionAttribute(value, lineNumber, out error)
                    : MediaAttribute(_media, value, lineNumber, out error);
            }

            if (_media is not null)
            {
                switch (type)
                {
                    case 'c':
                        if (!TryConnection(value, lineNumber, out var mediaAddress, out error))
                        {
                            return false;
                        }

                        _media.ConnectionAddress = mediaAddress;
                        return true;
                    case 'b':
                        if (!TryBandwidth(value, lineNumber, out var isAs, out var kbps, out error))
                        {
                            return false;
                        }

                        if (isAs && _media.Bandwidth is null)
                        {
                            _media.Bandwidth = kbps;
                        }
                        else
                        {
                            _media.OtherLines.Add(new(type, value.ToString()));
                        }

                        return true;
                    case 'i' or 'k':
                        _media.OtherLines.Add(new(type, value.ToString()));
                        return true;
                    case 'v' or 'o' or 's' or 'u' or 'e' or 'p' or 't' or 'r' or 'z':
                        error = Line(lineNumber, $"{type}= is not allowed inside a media section");
                        return false;
                    default:
                        error = Line(lineNumber, $"unknown line type '{type}='");
                        return false;
                }
            }

            switch (type)
            {
                case 'v':
                    if (!value.SequenceEqual("0"))
                    {
                        error = Line(lineNumber, "expected v=0");
                        return false;
                    }

                    return true;
                case 'o':
                    return !Once(ref _seenOrigin, type, lineNumber, out error) && TryOrigin(value, lineNumber, out error);
                case 's':
                    if (Once(ref _seenName, type, lineNumber, out error))
                    {
                        return false;
                    }

                    Session.SessionName = value.ToString();
                    return true;
                case 't':
                    if (Once(ref _seenTiming, type, lineNumber, out error))
                    {
                        return false;
                    }

                    Session.Timing = value.ToString();
                    return true;
                case 'c':
                    if (Session.ConnectionAddress is not null)
                    {
                        error = Line(lineNumber, "second c= line");
                        return false;
                    }

                    if (!TryConnection(value, lineNumber, out var address, out error))
                    {
                        return false;
                    }

                    Session.ConnectionAddress = address;
                    return true;
                case 'b':
                    if (!TryBandwidth(value, lineNumber, out _, out _, out error))
                    {
                        return false;
                    }

                    Session.OtherLines.Add(new(type, value.ToString()));
                    return true;
                case 'i' or 'u' or 'e' or 'p' or 'r' or 'z' or 'k':
                    Session.OtherLines.Add(new(type, value.ToString()));
                    return true;
                default:
                    error = Line(lineNumber, $"unknown line type '{type}='");
                    return false;
            }
        }

        private static bool Once(ref bool seen, char type, int lineNumber, out string? error)
        {
            if (seen)
            {
                error = Line(lineNumber, $"second {type}= line");
                return true;
            }

            seen = true;
            error = null;
            return false;
        }

        private bool TryOrigin(ReadOnlySpan<char> value, int lineNumber, out string? error)
        {
            // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
            var parts = value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 6 || parts[3] != "IN")
            {
                error = Line(lineNumber, "bad o= line");
                return false;
            }

            Session.OriginUsername = parts[0];
            Session.SessionId = parts[1];
            Session.SessionVersion = parts[2];
            Session.OriginAddress = parts[5];
            error = null;
            return true;
        }

        private static bool TryConnection(ReadOnlySpan<char> value, int lineNumber, out string? address, out string? error)
        {
            // c=<nettype> <addrtype> <connection-address>
            var parts = value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[0] != "IN" || parts[1] is not ("IP4" or "IP6"))
            {
                address = null;
                error = Line(lineNumber, "bad c= line");
                return false;
            }

            address = parts[2];
            error = null;
            return true;
        }

        private static bool TryBandwidth(ReadOnlySpan<char> value, int lineNumber, out bool isAs, out int kbps, out string? error)
        {
            // b=<bwtype>:<bandwidth>
            var colon = value.IndexOf(':');
            kbps = 0;
            isAs = false;
            if (colon <= 0 || !TryParseInt(value[(colon + 1)..], int.MaxValue, out kbps))
            {
                error = Line(lineNumber, "bad b= line");
                return false;
            }

            isAs = value[..colon].SequenceEqual("AS");
            error = null;
            return true;
        }

        private bool StartMedia(ReadOnlySpan<char> value, int lineNumber, out string? error)
        {
            FinishMedia();
            if (!_seenTiming)
            {
                // RFC 8866 requires t=; a missing one is harmless, so it is supplied rather than refused.
                _seenTiming = true;
            }

            if (Session.Media.Count == SessionDescription.MaxMedia)
            {
                error = Line(lineNumber, $"more than {SessionDescription.MaxMedia} m= lines");
                return false;
            }

            // m=<media> <port>[/<number of ports>] <proto> <fmt> ...
            var parts = value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4 || !TryParseInt(parts[1], 65535, out var port) || parts[0].Length == 0)
            {
                error = Line(lineNumber, "bad m= line");
                return false;
            }

            var media = new MediaDescription
            {
                Media = parts[0],
                Port = port,
                Protocol = parts[2],
                Layout = [],
                Direction = _sessionDirection ?? MediaDirection.SendRecv,
            };
            _codecs = [];
            _hasRtpmap = [];
            _feedbackCount = [];
            _ordinals.Clear();
            for (var i = 3; i < parts.Length; i++)
            {
                media.Formats.Add(parts[i]);
                if (!media.IsRtp)
                {
                    continue;
                }

                if (!TryParseInt(parts[i], 127, out var payloadType))
                {
                    error = Line(lineNumber, $"bad m= line: payload type '{parts[i]}'");
                    return false;
                }

                if (_codecs.ContainsKey(payloadType))
                {
                    continue;
                }

                var codec = StaticCodec(payloadType);
                _codecs.Add(payloadType, codec);
                media.Codecs.Add(codec);
            }

            Session.Media.Add(media);
            _media = media;
            error = null;
            return true;
        }

        /// <summary>Applies what only the end of a section tells: a=rtcp-fb:* covers every codec.</summary>
        public void FinishMedia()
        {
            if (_media is null)
            {
                return;
            }

            var wildcard = _media.AppliedWildcardFeedback();
            foreach (var codec in _media.Codecs)
            {
                codec.Feedback.AddRange(wildcard);
            }

            _media = null;
        }

        /// <summary>RFC 3551 §6: payload types usable without a=rtpmap.</summary>
        private static RtpCodec StaticCodec(int payloadType) => payloadType switch
        {
            0 => new RtpCodec { PayloadType = 0, Name = "PCMU", ClockRate = 8000 },
            3 => new RtpCodec { PayloadType = 3, Name = "GSM", ClockRate = 8000 },
            4 => new RtpCodec { PayloadType = 4, Name = "G723", ClockRate = 8000 },
            8 => new RtpCodec { PayloadType = 8, Name = "PCMA", ClockRate = 8000 },
            9 => new RtpCodec { PayloadType = 9, Name = "G722", ClockRate = 8000 },
            13 => new RtpCodec { PayloadType = 13, Name = "CN", ClockRate = 8000 },
            18 => new RtpCodec { PayloadType = 18, Name = "G729", ClockRate = 8000 },
            34 => new RtpCodec { PayloadType = 34, Name = "H263", ClockRate = 90000 },
            _ => new RtpCodec { PayloadType = payloadType },
        };

        private int Next(SdpAttributeKind kind)
        {
            _ordinals.TryGetValue(kind, out var ordinal);
            _ordinals[kind] = ordinal + 1;
            return ordinal;
        }

        private static void Split(ReadOnlySpan<char> attribute, out string name, out string? value)
        {
            var colon = attribute.IndexOf(':');
            name = colon < 0 ? attribute.ToString() : attribute[..colon].ToString();
            value = colon < 0 ? null : attribute[(colon + 1)..].ToString();
        }

        private static void Other(List<KeyValuePair<string, string?>> list, List<SdpLayoutSlot> layout, string name, string? value)
        {
            layout.Add(new(SdpAttributeKind.Other, list.Count));
            list.Add(new(name, value));
        }

        private bool SessionAttribute(ReadOnlySpan<char> attribute, int lineNumber, out string? error)
        {
            error = null;
            Split(attribute, out var name, out var value);
            if (name.Length == 0)
            {
                error = Line(lineNumber, "empty attribute name");
                return false;
            }

            var session = Session;
            var layout = session.Layout!;
            switch (name)
            {
                case "ice-lite" when !session.IceLite:
                    session.IceLite = true;
                    layout.Add(new(SdpAttributeKind.IceLite, 0));
                    return true;
                case "ice-ufrag" when session.IceUfrag is null && value is not null:
                    session.IceUfrag = value.Trim();
                    layout.Add(new(SdpAttributeKind.IceUfrag, 0));
                    return true;
                case "ice-pwd" when session.IcePwd is null && value is not null:
                    session.IcePwd = value.Trim();
                    layout.Add(new(SdpAttributeKind.IcePwd, 0));
                    return true;
                case "fingerprint" when session.Fingerprint is null:
                    if (!SdpFingerprint.TryParse(value ?? string.Empty, out var fingerprint))
                    {
                        error = Line(lineNumber, "bad fingerprint");
                        return false;
                    }

                    session.Fingerprint = fingerprint;
                    layout.Add(new(SdpAttributeKind.Fingerprint, 0));
                    return true;
                case "setup" when session.Setup is null:
                    if (!TryParseSetup(value, out var setup))
                    {
                        error = Line(lineNumber, $"unknown setup '{value}'");
                        return false;
                    }

                    session.Setup = setup;
                    layout.Add(new(SdpAttributeKind.Setup, 0));
                    return true;
                case "group":
                    var tokens = (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (tokens.Length == 0)
                    {
                        error = Line(lineNumber, "bad group");
                        return false;
                    }

                    layout.Add(new(SdpAttributeKind.Group, session.Groups.Count));
                    session.Groups.Add(new SdpGroup(tokens[0], tokens[1..]));
                    return true;
                case "msid-semantic" when session.MsidSemantic is null && value is not null:
                    session.MsidSemantic = value.Trim();
                    session.RawMsidSemantic = value;
                    layout.Add(new(SdpAttributeKind.MsidSemantic, 0));
                    return true;
                default:
                    // RFC 8866 §6.7: a session-level direction is the default for every section.
                    if (value is null && _sessionDirection is null && TryParseDirection(name, out var direction))
                    {
                        _sessionDirection = direction;
                    }

                    Other(session.OtherAttributes, layout, name, value);
                    return true;
            }
        }

        private bool MediaAttribute(MediaDescription media, ReadOnlySpan<char> attribute, int lineNumber, out string? error)
        {
            error = null;
            Split(attribute, out var name, out var value);
            if (name.Length == 0)
            {
                error = Line(lineNumber, "empty attribute name");
                return false;
            }

            var layout = media.Layout!;
            switch (name)
            {
                case "mid" when media.Mid is null && value is not null:
                    media.Mid = value.Trim();
                    layout.Add(new(SdpAttributeKind.Mid, 0));
                    return true;
                case "sendrecv" or "sendonly" or "recvonly" or "inactive" when value is null && !_ordinals.ContainsKey(SdpAttributeKind.Direction):
                    TryParseDirection(name, out var direction);
                    media.Direction = direction;
                    layout.Add(new(SdpAttributeKind.Direction, Next(SdpAttributeKind.Direction)));
                    return true;
                case "sendrecv" or "sendonly" or "recvonly" or "inactive" when value is null:
                    // A section states one direction; a repeated one is dropped, not kept as an
                    // unknown attribute that a re-parse would then read as the direction (the
                    // nightly property run found a section whose parse, write and parse differed).
                    return true;
                case "ice-ufrag" when media.IceUfrag is null && value is not null:
                    media.IceUfrag = value.Trim();
                    layout.Add(new(SdpAttributeKind.IceUfrag, 0));
                    return true;
                case "ice-pwd" when media.IcePwd is null && value is not null:
                    media.IcePwd = value.Trim();
                    layout.Add(new(SdpAttributeKind.IcePwd, 0));
                    return true;
                case "fingerprint" when media.Fingerprint is null:
                    if (!SdpFingerprint.TryParse(value ?? string.Empty, out var fingerprint))
                    {
                        error = Line(lineNumber, "bad fingerprint");
                        return false;
                    }

                    media.Fingerprint = fingerprint;
                    layout.Add(new(SdpAttributeKind.Fingerprint, 0));
                    return true;
                case "setup" when media.Setup is null:
                    if (!TryParseSetup(value, out var setup))
                    {
                        error = Line(lineNumber, $"unknown setup '{value}'");
                        return false;
                    }

                    media.Setup = setup;
                    layout.Add(new(SdpAttributeKind.Setup, 0));
                    return true;
                case "rtcp-mux" when !media.RtcpMux && value is null:
                    media.RtcpMux = true;
                    layout.Add(new(SdpAttributeKind.RtcpMux, 0));
                    return true;
                case "rtcp-rsize" when !media.RtcpRsize && value is null:
                    media.RtcpRsize = true;
                    layout.Add(new(SdpAttributeKind.RtcpRsize, 0));
                    return true;
                case "end-of-candidates" when !media.EndOfCandidates && value is null:
                    media.EndOfCandidates = true;
                    layout.Add(new(SdpAttributeKind.EndOfCandidates, 0));
                    return true;
                case "msid" when media.Msid is null && value is not null:
                    media.Msid = value;
                    layout.Add(new(SdpAttributeKind.Msid, 0));
                    return true;
                case "candidate":
                    if (!IceCandidate.TryParse(value ?? string.Empty, out var candidate))
                    {
                        error = Line(lineNumber, "bad candidate");
                        return false;
                    }

                    layout.Add(new(SdpAttributeKind.Candidate, media.Candidates.Count));
                    media.Candidates.Add(candidate!);
                    return true;
                case "rtpmap" when media.IsRtp:
                    return Rtpmap(media, value, lineNumber, out error);
                case "fmtp" when media.IsRtp:
                    return Fmtp(media, value, lineNumber, out error);
                case "rtcp-fb" when media.IsRtp:
                    return RtcpFb(media, value, lineNumber, out error);
                case "extmap":
                    return Extmap(media, value, lineNumber, out error);
                case "ssrc":
                    return Ssrc(media, value, lineNumber, out error);
                case "ssrc-group":
                    var tokens = (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var ssrcs = new uint[Math.Max(tokens.Length - 1, 0)];
                    for (var i = 1; i < tokens.Length; i++)
                    {
                        if (!uint.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out ssrcs[i - 1]))
                        {
                            tokens = [];
                            break;
                        }
                    }

                    if (tokens.Length == 0)
                    {
                        error = Line(lineNumber, "bad ssrc-group");
                        return false;
                    }

                    layout.Add(new(SdpAttributeKind.SsrcGroup, media.SsrcGroups.Count));
                    media.SsrcGroups.Add(new SsrcGroup(tokens[0], ssrcs));
                    return true;
                default:
                    Other(media.OtherAttributes, layout, name, value);
                    return true;
            }
        }

        private bool Rtpmap(MediaDescription media, string? value, int lineNumber, out string? error)
        {
            // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
            error = null;
            var text = (value ?? string.Empty).Trim();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            string[] fields = space < 0 ? [] : text[(space + 1)..].Trim().Split('/');
            var channels = 1;
            if (space <= 0 || !TryParseInt(text.AsSpan(0, space), 127, out var payloadType)
                || fields.Length is < 2 or > 3 || fields[0].Length == 0
                || !TryParseInt(fields[1], int.MaxValue, out var clockRate)
                || (fields.Length == 3 && !TryParseInt(fields[2], 255, out channels)))
            {
                error = Line(lineNumber, "bad rtpmap");
                return false;
            }

            if (!_codecs!.TryGetValue(payloadType, out var codec) || !_hasRtpmap!.Add(payloadType))
            {
                // RFC 8866 §6.6 ties rtpmap to a format of this m= line; others are only kept.
                Other(media.OtherAttributes, media.Layout!, "rtpmap", value);
                return true;
            }

            codec.Name = fields[0];
            codec.ClockRate = clockRate;
            codec.Channels = channels;
            codec.ExplicitChannels = fields.Length == 3;
            media.Layout!.Add(new(SdpAttributeKind.Rtpmap, payloadType));
            return true;
        }

        private bool Fmtp(MediaDescription media, string? value, int lineNumber, out string? error)
        {
            // a=fmtp:<format> <format specific parameters>
            error = null;
            var text = value ?? string.Empty;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var format = space < 0 ? text : text[..space];
            if (!TryParseInt(format, 127, out var payloadType))
            {
                error = Line(lineNumber, "bad fmtp");
                return false;
            }

            if (!_codecs!.TryGetValue(payloadType, out var codec) || codec.Fmtp is not null)
            {
                Other(media.OtherAttributes, media.Layout!, "fmtp", value);
                return true;
            }

            codec.Fmtp = space < 0 ? string.Empty : text[(space + 1)..];
            media.Layout!.Add(new(SdpAttributeKind.Fmtp, payloadType));
            return true;
        }

        private bool RtcpFb(MediaDescription media, string? value, int lineNumber, out string? error)
        {
            // a=rtcp-fb:<payload type | *> <val>
            error = null;
            var text = value ?? string.Empty;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var feedback = space < 0 ? string.Empty : text[(space + 1)..].Trim();
            if (space <= 0 || feedback.Length == 0)
            {
                error = Line(lineNumber, "bad rtcp-fb");
                return false;
            }

            if (text[0] == '*' && space == 1)
            {
                media.Layout!.Add(new(SdpAttributeKind.RtcpFbWildcard, media.WildcardFeedback.Count));
                media.WildcardFeedback.Add(feedback);
                return true;
            }

            if (!TryParseInt(text.AsSpan(0, space), 127, out var payloadType))
            {
                error = Line(lineNumber, "bad rtcp-fb");
                return false;
            }

            if (!_codecs!.TryGetValue(payloadType, out var codec))
            {
                Other(media.OtherAttributes, media.Layout!, "rtcp-fb", value);
                return true;
            }

            _feedbackCount!.TryGetValue(payloadType, out var count);
            _feedbackCount[payloadType] = count + 1;
            media.Layout!.Add(new(SdpAttributeKind.RtcpFb, ((long)payloadType << 32) | (uint)count));
            codec.Feedback.Add(feedback);
            return true;
        }

        private static bool Extmap(MediaDescription media, string? value, int lineNumber, out string? error)
        {
            // a=extmap:<value>["/"<direction>] <URI> <extensionattributes>
            error = null;
            var text = value ?? string.Empty;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var head = space < 0 ? text : text[..space];
            var uri = space < 0 ? string.Empty : text[(space + 1)..].Trim();
            var slash = head.IndexOf('/', StringComparison.Ordinal);
            MediaDirection? direction = null;
            if (slash >= 0)
            {
                if (!TryParseDirection(head.AsSpan(slash + 1), out var parsed))
                {
                    error = Line(lineNumber, "bad extmap");
                    return false;
                }

                direction = parsed;
                head = head[..slash];
            }

            // RFC 8285 §5: ids 1-14 (one-byte) and 1-255 (two-byte headers).
            if (!TryParseInt(head, 255, out var id) || id == 0 || uri.Length == 0)
            {
                error = Line(lineNumber, "bad extmap");
                return false;
            }

            media.Layout!.Add(new(SdpAttributeKind.Extmap, media.Extensions.Count));
            media.Extensions.Add(new RtpExtension(id, uri, direction));
            return true;
        }

        private static bool Ssrc(MediaDescription media, string? value, int lineNumber, out string? error)
        {
            // a=ssrc:<ssrc-id> <attribute>[:<value>]
            error = null;
            var text = value ?? string.Empty;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var attribute = space < 0 ? string.Empty : text[(space + 1)..];
            if (space <= 0 || attribute.Length == 0
                || !uint.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var ssrc))
            {
                error = Line(lineNumber, "bad ssrc");
                return false;
            }

            var colon = attribute.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? attribute : attribute[..colon];
            var attributeValue = colon < 0 ? null : attribute[(colon + 1)..];
            media.Layout!.Add(new(SdpAttributeKind.Ssrc, media.Ssrcs.Count));
            media.Ssrcs.Add(new SsrcAttribute(ssrc, name, attributeValue));
            return true;
        }
    }
}

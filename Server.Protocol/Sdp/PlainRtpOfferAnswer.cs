using System.Globalization;
using System.Net;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// The offer/answer model (RFC 3264) for the plain-RTP legs of SIP phones and trunks: RTP/AVP
/// (RFC 3551) without ICE, DTLS or SRTP, one audio stream of G.711 (PCMU or PCMA at 8000 Hz)
/// with RFC 4733 telephone-event, 20 ms packets. Static and stateless; the leg keeps the
/// descriptions and the o= version.
/// <code>
/// v=0
/// o=mediaserver &lt;session id&gt; &lt;version&gt; IN IP4 &lt;our address&gt;
/// s=-
/// c=IN IP4 &lt;our address&gt;
/// t=0 0
/// m=audio &lt;our port&gt; RTP/AVP &lt;codec pt&gt; [&lt;telephone-event pt&gt;]
/// a=rtpmap:&lt;codec pt&gt; PCMU/8000
/// a=rtpmap:&lt;te pt&gt; telephone-event/8000
/// a=fmtp:&lt;te pt&gt; 0-16
/// a=ptime:20
/// a=sendrecv | sendonly | recvonly | inactive
/// [a=rtcp-mux]
/// </code>
/// Where WebRTC's <see cref="OfferAnswer"/> needs ICE credentials and a fingerprint on every
/// line, here the c= address and the m= port are the whole transport; symmetric RTP (the
/// media plane latches to where packets really come from) copes with NAT.
/// </summary>
public static class PlainRtpOfferAnswer
{
    /// <summary>RFC 4733 §3.2: events 0-15 are the DTMF digits, 16 the flash.</summary>
    private const string TelephoneEventRange = "0-16";

    /// <summary>
    /// Answers a SIP peer's <paramref name="offer"/> (RFC 3264 §6): every m= line gets a line
    /// in the answer, in order; the first audio line in RTP/AVP (or RTP/AVPF) with a common
    /// G.711 codec is accepted, every other line gets port 0 (video, RTP/SAVP with a=crypto,
    /// DTLS profiles, a second audio line). The answer uses the offer's payload type numbers
    /// and names one codec, so the peer has no choice to make. Fails with
    /// <see cref="NegotiationFailure.NoCommonCodec"/>, <see cref="NegotiationFailure.UnsupportedTransport"/>
    /// or <see cref="NegotiationFailure.NoMedia"/> when nothing can be accepted. Never throws for a parsed offer.
    /// </summary>
    public static bool TryCreateAnswer(
        SessionDescription offer,
        PlainRtpOptions options,
        out SessionDescription? answer,
        out PlainRtpMedia? media,
        out NegotiationFailure failure,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);
        answer = null;
        media = null;
        if (offer.Media.Count == 0)
        {
            failure = NegotiationFailure.NoMedia;
            error = "the offer has no m= lines";
            return false;
        }

        var result = NewSession(options);
        var tally = new Tally();
        PlainRtpMedia? chosen = null;
        for (var index = 0; index < offer.Media.Count; index++)
        {
            var offered = offer.Media[index];
            string? reason;
            if (chosen is not null)
            {
                reason = offered.Kind == MediaKind.Audio ? "one audio stream is taken already" : $"{offered.Media} media is not supported";
            }
            else if (TryAcceptOffered(offer, offered, index, options, tally, out var line, out var outcome, out reason))
            {
                chosen = outcome;
                result.Media.Add(line);
                continue;
            }

            tally.Reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{index} ({offered.Media} {offered.Protocol}): {reason}"));
            result.Media.Add(Rejected(offered));
        }

        if (chosen is null)
        {
            failure = tally.Failure;
            error = "no m= line could be accepted: " + string.Join("; ", tally.Reasons);
            return false;
        }

        answer = result;
        media = chosen;
        failure = NegotiationFailure.None;
        error = null;
        return true;
    }

    /// <summary>
    /// Our offer (RFC 3264 §5) for an outbound INVITE or a re-INVITE: one audio line in
    /// RTP/AVP with the allowed G.711 codecs at their static payload types (PCMU 0, PCMA 8),
    /// telephone-event, ptime 20, our direction, and rtcp-mux when the options allow it.
    /// </summary>
    /// <exception cref="ArgumentException">The codec list names neither pcmu nor pcma.</exception>
    public static SessionDescription CreateOffer(PlainRtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var codecs = G711Of(options.Codecs);
        if (codecs.Count == 0)
        {
            throw new ArgumentException($"the codec list '{options.Codecs}' names neither pcmu nor pcma, the codecs of a plain RTP leg", nameof(options));
        }

        var session = NewSession(options);
        var line = new MediaDescription
        {
            Kind = MediaKind.Audio,
            Port = options.Port,
            Protocol = "RTP/AVP",
            Direction = options.Direction,
            RtcpMux = options.RtcpMux,
        };
        foreach (var known in codecs)
        {
            line.Codecs.Add(new RtpCodec { PayloadType = known.PayloadType, Name = known.EncodingName, ClockRate = known.ClockRate });
        }

        if (options.TelephoneEvent)
        {
            line.Codecs.Add(TelephoneEventCodec(options.TelephoneEventPayloadType));
        }

        Finish(line, options);
        session.Media.Add(line);
        return session;
    }

    /// <summary>
    /// Applies the peer's answer to our <paramref name="offer"/> (RFC 3264 §7): the audio line
    /// it accepted, with the first codec of the answer that we offered (by our payload type),
    /// telephone-event if it kept ours, its address and direction. Fails when the answer does
    /// not fit the offer (<see cref="NegotiationFailure.InvalidAnswer"/>) or accepts no audio we
    /// can use. Never throws for parsed input.
    /// </summary>
    public static bool TryApplyAnswer(
        SessionDescription offer,
        SessionDescription answer,
        out PlainRtpMedia? media,
        out NegotiationFailure failure,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(answer);
        media = null;
        if (answer.Media.Count != offer.Media.Count)
        {
            failure = NegotiationFailure.InvalidAnswer;
            error = $"the answer has {answer.Media.Count} m= lines, the offer {offer.Media.Count}";
            return false;
        }

        var tally = new Tally();
        for (var index = 0; index < offer.Media.Count; index++)
        {
            var ours = offer.Media[index];
            var theirs = answer.Media[index];
            if (!ours.Media.Equals(theirs.Media, StringComparison.Ordinal))
            {
                failure = NegotiationFailure.InvalidAnswer;
                error = $"m= line {index} is {ours.Media} in the offer but {theirs.Media} in the answer";
                return false;
            }

            if (media is not null || ours.IsRejected || ours.Kind != MediaKind.Audio)
            {
                continue;
            }

            string? reason = null;
            RtpCodec? codec = null;
            IPAddress? address = null;
            if (theirs.IsRejected)
            {
                reason = "rejected by the answer";
            }
            else if (!IsPlainRtp(theirs.Protocol))
            {
                tally.Transport++;
                reason = $"the answer uses {theirs.Protocol}";
            }
            else if (!TryGetAddress(answer, theirs, out address, out reason))
            {
                tally.Transport++;
            }
            else
            {
                // RFC 3264 §6.1: the answer reuses our payload types; its order is its preference.
                foreach (var candidate in theirs.Codecs)
                {
                    var offered = ours.FindCodec(candidate.PayloadType);
                    if (offered is not null && !offered.IsTelephoneEvent && IsG711(offered) && KnownCodec.Match(offered)!.Matches(candidate))
                    {
                        codec = offered;
                        break;
                    }
                }

                if (codec is null)
                {
                    tally.Codec++;
                    reason = "no codec of the answer is a G.711 codec we offered";
                }
            }

            if (codec is null)
            {
                tally.Reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{index} ({theirs.Media} {theirs.Protocol}): {reason}"));
                continue;
            }

            int? telephoneEvent = null;
            foreach (var candidate in theirs.Codecs)
            {
                if (candidate.IsTelephoneEvent && candidate.ClockRate == 8000 && ours.FindCodec(candidate.PayloadType) is { IsTelephoneEvent: true })
                {
                    telephoneEvent = candidate.PayloadType;
                    break;
                }
            }

            media = Describe(index, codec.Clone(), telephoneEvent, theirs, address!, ours.Direction, ours.RtcpMux);
        }

        if (media is null)
        {
            failure = tally.Failure;
            error = "the answer accepts no audio we can use: " + string.Join("; ", tally.Reasons);
            return false;
        }

        failure = NegotiationFailure.None;
        error = null;
        return true;
    }

    /// <summary>RTP/AVP (RFC 3551) and RTP/AVPF (RFC 4585, the same packets plus feedback): unencrypted RTP over UDP.</summary>
    public static bool IsPlainRtp(string protocol) =>
        protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase)
        || protocol.Equals("RTP/AVPF", StringComparison.OrdinalIgnoreCase);

    private static bool TryAcceptOffered(
        SessionDescription offer,
        MediaDescription offered,
        int index,
        PlainRtpOptions options,
        Tally tally,
        out MediaDescription line,
        out PlainRtpMedia outcome,
        out string? reason)
    {
        line = null!;
        outcome = null!;
        if (offered.IsRejected)
        {
            reason = "disabled in the offer";
            return false;
        }

        if (offered.Kind != MediaKind.Audio)
        {
            reason = $"{offered.Media} media is not supported";
            return false;
        }

        if (!IsPlainRtp(offered.Protocol))
        {
            // RTP/SAVP with a=crypto (SDES) and the DTLS profiles: we have no keys for them here.
            tally.Transport++;
            reason = $"protocol {offered.Protocol} is not supported (plain RTP/AVP only)";
            return false;
        }

        if (!TryGetAddress(offer, offered, out var address, out reason))
        {
            tally.Transport++;
            return false;
        }

        // Our preference order, the offerer's payload types.
        RtpCodec? codec = null;
        foreach (var known in G711Of(options.Codecs))
        {
            foreach (var candidate in offered.Codecs)
            {
                if (known.Matches(candidate))
                {
                    codec = candidate;
                    break;
                }
            }

            if (codec is not null)
            {
                break;
            }
        }

        if (codec is null)
        {
            tally.Codec++;
            reason = "no common codec (offered " + string.Join(", ", offered.Codecs.Select(c => c.Name.Length > 0 ? c.ToString() : c.PayloadType.ToString(CultureInfo.InvariantCulture))) + ")";
            return false;
        }

        RtpCodec? telephoneEvent = null;
        if (options.TelephoneEvent)
        {
            // RFC 4733 §2.1: events share the audio clock; telephone-event/48000 is of no use to G.711.
            telephoneEvent = offered.Codecs.FirstOrDefault(c => c.IsTelephoneEvent && c.ClockRate == 8000);
        }

        outcome = Describe(index, codec.Clone(), telephoneEvent?.PayloadType, offered, address!, options.Direction, options.RtcpMux);
        line = new MediaDescription
        {
            Media = offered.Media,
            Port = options.Port,
            Protocol = offered.Protocol,
            Mid = offered.Mid,
            Direction = outcome.LocalDirection,
            RtcpMux = outcome.RtcpMux,
        };
        // a=rtpmap even for static payload types: some gateways look only at rtpmap lines.
        line.Codecs.Add(new RtpCodec { PayloadType = codec.PayloadType, Name = codec.Name, ClockRate = codec.ClockRate });
        if (telephoneEvent is not null)
        {
            line.Codecs.Add(TelephoneEventCodec(telephoneEvent.PayloadType));
        }

        Finish(line, options);
        reason = null;
        return true;
    }

    /// <summary>Endpoints and directions of the accepted line, as seen from our side.</summary>
    private static PlainRtpMedia Describe(int index, RtpCodec codec, int? telephoneEvent, MediaDescription remote, IPAddress address, MediaDirection wish, bool muxAllowed)
    {
        // RFC 3264 §8.4: c=0.0.0.0 is the RFC 2543 way to say "do not send me media".
        var hold = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        var remoteDirection = hold ? WithoutReceive(remote.Direction) : remote.Direction;
        var mux = muxAllowed && remote.RtcpMux;
        IPEndPoint? rtp = hold ? null : new IPEndPoint(address, remote.Port);
        IPEndPoint? rtcp = null;
        if (rtp is not null)
        {
            rtcp = mux ? rtp
                : RtcpAttribute(remote, address) is { } attribute ? attribute
                : rtp.Port < IPEndPoint.MaxPort ? new IPEndPoint(address, rtp.Port + 1)
                : null;
        }

        var ptime = remote.GetOtherAttribute("ptime") is { } text
            && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 10 and <= 200
            ? value : 20;
        return new PlainRtpMedia
        {
            Index = index,
            Codec = codec,
            TelephoneEventPayloadType = telephoneEvent,
            Ptime = ptime,
            RemoteRtp = rtp,
            RemoteRtcp = rtcp,
            RtcpMux = mux,
            RemoteDirection = remoteDirection,
            // RFC 3264 §6.1: we may send only if the peer receives, and receive only if it sends.
            LocalDirection = Direction(Sends(wish) && Receives(remoteDirection), Receives(wish) && Sends(remoteDirection)),
        };
    }

    /// <summary>
    /// a=rtcp (RFC 3605 §2.1): <c>a=rtcp:&lt;port&gt; [IN IP4 &lt;address&gt;]</c>; null when absent or unreadable.
    /// </summary>
    private static IPEndPoint? RtcpAttribute(MediaDescription media, IPAddress address)
    {
        if (media.GetOtherAttribute("rtcp") is not { } value)
        {
            return null;
        }

        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > IPEndPoint.MaxPort)
        {
            return null;
        }

        if (parts.Length == 4 && parts[1] == "IN" && IPAddress.TryParse(parts[3], out var other) && !IsUnusable(other))
        {
            address = other;
        }

        return new IPEndPoint(address, port);
    }

    /// <summary>The c= address for a line (media level first, RFC 8866 §5.7), as an IP address.</summary>
    private static bool TryGetAddress(SessionDescription session, MediaDescription media, out IPAddress? address, out string? reason)
    {
        address = null;
        var text = media.ConnectionAddress ?? session.ConnectionAddress;
        if (text is null)
        {
            reason = "no c= line";
            return false;
        }

        if (!IPAddress.TryParse(text, out address) || (IsUnusable(address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)))
        {
            // A host name would need DNS, a multicast group (with its /ttl) a conference bridge of its own.
            address = null;
            reason = $"c= address '{text}' is not a unicast IP address";
            return false;
        }

        reason = null;
        return true;
    }

    private static bool IsUnusable(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)
        || address.IsIPv6Multicast
        || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes()[0] is >= 224 and <= 239);

    private static SessionDescription NewSession(PlainRtpOptions options)
    {
        var address = (options.Address.IsIPv4MappedToIPv6 ? options.Address.MapToIPv4() : options.Address).ToString();
        return new SessionDescription
        {
            OriginUsername = "mediaserver",
            SessionId = (options.SessionId != 0 ? options.SessionId : Random.Shared.NextInt64(1, long.MaxValue)).ToString(CultureInfo.InvariantCulture),
            SessionVersion = options.Version.ToString(CultureInfo.InvariantCulture),
            OriginAddress = address,
            ConnectionAddress = address,
        };
    }

    /// <summary>The m= formats from the codecs, the telephone-event range, and a=ptime.</summary>
    private static void Finish(MediaDescription line, PlainRtpOptions options)
    {
        foreach (var codec in line.Codecs)
        {
            line.Formats.Add(codec.PayloadType.ToString(CultureInfo.InvariantCulture));
        }

        line.OtherAttributes.Add(new("ptime", options.Ptime.ToString(CultureInfo.InvariantCulture)));
    }

    private static RtpCodec TelephoneEventCodec(int payloadType) =>
        new() { PayloadType = payloadType, Name = "telephone-event", ClockRate = 8000, Fmtp = TelephoneEventRange };

    /// <summary>
    /// A line we do not take (RFC 3264 §6: port 0, the offered formats kept so the line still
    /// parses; the mid kept for grouping).
    /// </summary>
    private static MediaDescription Rejected(MediaDescription offered)
    {
        var line = new MediaDescription
        {
            Media = offered.Media,
            Port = 0,
            Protocol = offered.Protocol,
            Mid = offered.Mid,
            Direction = offered.Kind is MediaKind.Audio or MediaKind.Video ? MediaDirection.Inactive : MediaDirection.SendRecv,
        };
        line.Formats.AddRange(offered.Formats.Count > 0 ? offered.Formats : (List<string>)["0"]);
        return line;
    }

    private static List<KnownCodec> G711Of(CodecList codecs) => [.. codecs.Codecs.Where(c => c.Name is "pcmu" or "pcma")];

    private static bool IsG711(RtpCodec codec) => KnownCodec.Match(codec) is { Name: "pcmu" or "pcma" };

    private static MediaDirection WithoutReceive(MediaDirection direction) => direction switch
    {
        MediaDirection.SendRecv or MediaDirection.SendOnly => MediaDirection.SendOnly,
        _ => MediaDirection.Inactive,
    };

    private static bool Sends(MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.SendOnly;

    private static bool Receives(MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;

    private static MediaDirection Direction(bool send, bool receive) => (send, receive) switch
    {
        (true, true) => MediaDirection.SendRecv,
        (true, false) => MediaDirection.SendOnly,
        (false, true) => MediaDirection.RecvOnly,
        _ => MediaDirection.Inactive,
    };

    /// <summary>Why lines were rejected, to name the failure when none was accepted.</summary>
    private sealed class Tally
    {
        public int Codec { get; set; }

        public int Transport { get; set; }

        public List<string> Reasons { get; } = [];

        public NegotiationFailure Failure =>
            Codec > 0 ? NegotiationFailure.NoCommonCodec
            : Transport > 0 ? NegotiationFailure.UnsupportedTransport
            : NegotiationFailure.NoMedia;
    }
}

using System.Globalization;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// The offer/answer model (RFC 3264) as a WebRTC endpoint needs it (RFC 8829 §5, the subset an
/// ICE-lite server uses): answer a browser's offer, write our own offer, apply a browser's
/// answer. Static and stateless; the caller keeps the descriptions.
/// <para>
/// Our side is always the same shape: ICE-lite (RFC 8445 §2.5) with one host candidate on the
/// server's single UDP port for every accepted m= line, DTLS-SRTP (RFC 5763/5764), rtcp-mux,
/// BUNDLE when the offer has it.
/// </para>
/// </summary>
public static class OfferAnswer
{
    /// <summary>
    /// RTCP feedback we keep (RFC 4585 nack/pli, RFC 5104 fir, REMB). transport-cc is dropped:
    /// it needs the transport-wide sequence number header extension, and we accept none.
    /// </summary>
    private static readonly string[] AcceptedFeedback = ["nack", "nack pli", "ccm fir", "goog-remb"];

    /// <summary>
    /// Answers <paramref name="offer"/> (RFC 3264 §6). Every offered m= line gets a line in the
    /// answer, in order; lines we cannot take (data channels, other profiles, no rtcp-mux, no
    /// common codec) get port 0. Fails when no line is accepted, or when a line we would accept
    /// lacks ICE credentials or a fingerprint. Never throws for a parsed offer.
    /// </summary>
    public static bool TryCreateAnswer(
        SessionDescription offer,
        AnswerOptions options,
        out SessionDescription? answer,
        out IReadOnlyList<NegotiatedMedia>? media,
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

        var transport = options.Transport;
        var result = new SessionDescription
        {
            SessionId = (options.SessionId != 0 ? options.SessionId : Random.Shared.NextInt64(1, long.MaxValue)).ToString(CultureInfo.InvariantCulture),
            SessionVersion = options.Version.ToString(CultureInfo.InvariantCulture),
            IceLite = true,
        };
        var negotiated = new List<NegotiatedMedia>(offer.Media.Count);
        var tally = new RejectTally();
        var anySends = false;
        for (var index = 0; index < offer.Media.Count; index++)
        {
            var offered = offer.Media[index];
            if (!TryAnswerMedia(offer, offered, index, options, tally, out var line, out var outcome, out failure, out error))
            {
                return false;
            }

            anySends |= Sends(outcome.LocalDirection) && outcome.Accepted;
            result.Media.Add(line);
            negotiated.Add(outcome);
        }

        if (!negotiated.Any(n => n.Accepted))
        {
            failure = tally.Failure;
            error = "no m= line could be accepted: " + string.Join("; ", negotiated.Select(n => $"{n.Index} ({offer.Media[n.Index].Media}): {n.RejectReason}"));
            return false;
        }

        // RFC 8843 §7.3.1: the answer's BUNDLE group holds the accepted offered mids, the
        // offerer's tagged (first) one leading when it survived.
        if (offer.FindGroup("BUNDLE") is { } bundle)
        {
            var mids = bundle.Mids.Where(mid => negotiated.Any(n => n.Accepted && n.Mid == mid)).Distinct().ToArray();
            if (mids.Length > 0)
            {
                result.Groups.Add(new SdpGroup("BUNDLE", mids));
            }
        }

        if (anySends)
        {
            result.MsidSemantic = "WMS " + options.StreamId;
        }

        answer = result;
        media = negotiated;
        failure = NegotiationFailure.None;
        error = null;
        return true;
    }

    private static bool TryAnswerMedia(
        SessionDescription offer,
        MediaDescription offered,
        int index,
        AnswerOptions options,
        RejectTally tally,
        out MediaDescription line,
        out NegotiatedMedia outcome,
        out NegotiationFailure failure,
        out string? error)
    {
        failure = NegotiationFailure.None;
        error = null;
        var kind = offered.Kind;
        string? reason = null;
        var accepted = new List<(KnownCodec Known, RtpCodec Offered)>();
        if (offered.IsRejected)
        {
            reason = "disabled in the offer";
        }
        else if (kind is not (MediaKind.Audio or MediaKind.Video))
        {
            reason = $"{offered.Media} media is not supported";
        }
        else if (!IsDtlsRtp(offered.Protocol))
        {
            tally.Transport++;
            reason = $"protocol {offered.Protocol} is not supported";
        }
        else if (!offered.RtcpMux)
        {
            // One UDP port and one ICE component (RFC 5761): RTCP on its own port cannot reach us.
            tally.Transport++;
            reason = "rtcp-mux is required";
        }
        else
        {
            // Our preference order, the offerer's payload types; one entry per codec name.
            foreach (var known in options.Codecs.Codecs)
            {
                if (known.Kind != kind)
                {
                    continue;
                }

                foreach (var codec in offered.Codecs)
                {
                    if (known.Matches(codec))
                    {
                        accepted.Add((known, codec));
                        break;
                    }
                }
            }

            if (accepted.Count == 0)
            {
                tally.Codec++;
                reason = "no common codec";
            }
        }

        if (reason is not null)
        {
            line = Rejected(offered);
            outcome = new NegotiatedMedia { Index = index, Kind = kind, Mid = offered.Mid, Accepted = false, RejectReason = reason };
            return true;
        }

        var ufrag = offer.GetIceUfrag(offered);
        var pwd = offer.GetIcePwd(offered);
        if (string.IsNullOrEmpty(ufrag) || string.IsNullOrEmpty(pwd))
        {
            line = Rejected(offered);
            outcome = null!;
            failure = NegotiationFailure.MissingIceCredentials;
            error = $"m= line {index} ({offered.Media}) has no ice-ufrag/ice-pwd";
            return false;
        }

        if (offer.GetFingerprint(offered) is null)
        {
            line = Rejected(offered);
            outcome = null!;
            failure = NegotiationFailure.MissingFingerprint;
            error = $"m= line {index} ({offered.Media}) has no fingerprint";
            return false;
        }

        var wish = kind == MediaKind.Audio ? options.AudioDirection : options.VideoDirection;
        // RFC 3264 §6.1: we may send only if the offerer receives, and receive only if it sends.
        var local = Direction(
            Sends(wish) && Receives(offered.Direction),
            Receives(wish) && Sends(offered.Direction));
        var primary = accepted[0];
        var telephoneEvent = kind == MediaKind.Audio ? FindTelephoneEvent(offered.Codecs, primary.Offered.ClockRate, null) : null;
        var transport = options.Transport;

        line = new MediaDescription
        {
            Media = offered.Media,
            Port = transport.CandidatePort,
            Protocol = offered.Protocol,
            ConnectionAddress = transport.CandidateAddress,
            Candidates = [transport.ToCandidate()],
            EndOfCandidates = true,
            IceUfrag = transport.IceUfrag,
            IcePwd = transport.IcePwd,
            Fingerprint = transport.Fingerprint,
            // RFC 5763 §5: the answerer picks a role; passive lets the browser (which has to
            // start ICE checks to us anyway) start DTLS too. An offer without a=setup means active.
            Setup = offer.GetSetup(offered) == DtlsSetup.Passive ? DtlsSetup.Active : DtlsSetup.Passive,
            Mid = offered.Mid,
            Direction = local,
            RtcpMux = true,
        };

        var remoteCodecs = new List<RtpCodec>(accepted.Count);
        foreach (var (known, codec) in accepted)
        {
            var feedback = Filter(codec.Feedback, null);
            line.Codecs.Add(new RtpCodec
            {
                PayloadType = codec.PayloadType,
                Name = codec.Name,
                ClockRate = codec.ClockRate,
                Channels = codec.Channels,
                Fmtp = OurFmtp(known, options.Stereo),
                Feedback = feedback,
            });
            var remote = codec.Clone();
            remote.Feedback = [.. feedback];
            remoteCodecs.Add(remote);
        }

        if (telephoneEvent is not null)
        {
            line.Codecs.Add(new RtpCodec
            {
                PayloadType = telephoneEvent.PayloadType,
                Name = telephoneEvent.Name,
                ClockRate = telephoneEvent.ClockRate,
                Fmtp = telephoneEvent.Fmtp,
            });
        }

        line.Formats.AddRange(line.Codecs.Select(c => c.PayloadType.ToString(CultureInfo.InvariantCulture)));
        var localSsrc = options.LocalSsrc(index, kind);
        if (Sends(local))
        {
            AddTrack(line, localSsrc, options.Cname, options.StreamId, index);
        }

        outcome = new NegotiatedMedia
        {
            Index = index,
            Kind = kind,
            Mid = offered.Mid,
            Accepted = true,
            LocalDirection = local,
            Codec = remoteCodecs[0],
            Codecs = remoteCodecs,
            TelephoneEvent = telephoneEvent?.Clone(),
            RemoteSsrcs = offered.GetSsrcs(),
            LocalSsrc = localSsrc,
            Stereo = options.Stereo && primary.Known.Name == "opus" && primary.Offered.GetParameter("stereo") == "1",
            Feedback = remoteCodecs[0].Feedback,
        };
        return true;
    }

    /// <summary>
    /// Writes our own offer (RFC 3264 §5): audio first, then video (verto.js adds tracks in that
    /// order), mids "0" and "1", BUNDLE, rtcp-mux, a=setup:actpass, our candidate on each line.
    /// A kind with no codec in the list is left out.
    /// </summary>
    public static SessionDescription CreateOffer(OfferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var session = new SessionDescription
        {
            SessionId = options.SessionId.ToString(CultureInfo.InvariantCulture),
            SessionVersion = options.Version.ToString(CultureInfo.InvariantCulture),
            IceLite = true,
        };
        var usedPayloadTypes = new HashSet<int>();
        var wanted = new List<(MediaKind Kind, MediaDirection Direction, uint Ssrc)>();
        if (options.Audio)
        {
            wanted.Add((MediaKind.Audio, options.AudioDirection, options.AudioSsrc));
        }

        if (options.Video)
        {
            wanted.Add((MediaKind.Video, options.VideoDirection, options.VideoSsrc));
        }

        var anySends = false;
        foreach (var (kind, direction, ssrc) in wanted)
        {
            var codecs = options.Codecs.Codecs.Where(c => c.Kind == kind).ToList();
            if (codecs.Count == 0)
            {
                continue;
            }

            var index = session.Media.Count;
            var transport = options.Transport;
            var line = new MediaDescription
            {
                Kind = kind,
                Port = transport.CandidatePort,
                ConnectionAddress = transport.CandidateAddress,
                Candidates = [transport.ToCandidate()],
                EndOfCandidates = true,
                IceUfrag = transport.IceUfrag,
                IcePwd = transport.IcePwd,
                Fingerprint = transport.Fingerprint,
                // RFC 5763 §5: the offerer must say actpass.
                Setup = DtlsSetup.ActPass,
                Mid = index.ToString(CultureInfo.InvariantCulture),
                Direction = direction,
                RtcpMux = true,
            };

            foreach (var known in codecs)
            {
                line.Codecs.Add(new RtpCodec
                {
                    PayloadType = PickPayloadType(known.Name, known.PayloadType, options.PreferredPayloadTypes, usedPayloadTypes),
                    Name = known.EncodingName,
                    ClockRate = known.ClockRate,
                    Channels = known.Channels,
                    Fmtp = OurFmtp(known, options.Stereo),
                    Feedback = [.. known.Feedback],
                });
            }

            if (kind == MediaKind.Audio)
            {
                // RFC 4733 events at each clock rate we offer.
                foreach (var rate in codecs.Select(c => c.ClockRate).Distinct().OrderByDescending(r => r))
                {
                    var key = "telephone-event/" + rate.ToString(CultureInfo.InvariantCulture);
                    line.Codecs.Add(new RtpCodec
                    {
                        PayloadType = PickPayloadType(key, rate == 8000 ? 126 : 110, options.PreferredPayloadTypes, usedPayloadTypes),
                        Name = "telephone-event",
                        ClockRate = rate,
                    });
                }
            }

            line.Formats.AddRange(line.Codecs.Select(c => c.PayloadType.ToString(CultureInfo.InvariantCulture)));
            if (Sends(direction))
            {
                anySends = true;
                AddTrack(line, ssrc, options.Cname, options.StreamId, index);
            }

            session.Media.Add(line);
        }

        if (session.Media.Count > 0)
        {
            session.Groups.Add(new SdpGroup("BUNDLE", [.. session.Media.Select(m => m.Mid!)]));
        }

        if (anySends)
        {
            session.MsidSemantic = "WMS " + options.StreamId;
        }

        return session;
    }

    /// <summary>
    /// Applies the peer's answer to our <paramref name="offer"/> (RFC 3264 §7): which lines it
    /// accepted, with which codec (the first of the answer's that we offered), in which
    /// direction. Fails when the answer does not fit the offer, accepts nothing we can use, or
    /// an accepted line lacks ICE credentials or a fingerprint. Never throws for parsed input.
    /// </summary>
    public static bool TryApplyAnswer(
        SessionDescription offer,
        SessionDescription answer,
        out IReadOnlyList<NegotiatedMedia>? media,
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

        if (offer.Media.Count == 0)
        {
            failure = NegotiationFailure.NoMedia;
            error = "the offer has no m= lines";
            return false;
        }

        var negotiated = new List<NegotiatedMedia>(offer.Media.Count);
        var tally = new RejectTally();
        for (var index = 0; index < offer.Media.Count; index++)
        {
            var ours = offer.Media[index];
            var theirs = answer.Media[index];
            if (ours.Media != theirs.Media)
            {
                failure = NegotiationFailure.InvalidAnswer;
                error = $"m= line {index} is {ours.Media} in the offer but {theirs.Media} in the answer";
                return false;
            }

            string? reason = null;
            var accepted = new List<RtpCodec>();
            if (ours.IsRejected || theirs.IsRejected)
            {
                reason = "rejected by the answer";
            }
            else if (ours.Kind is not (MediaKind.Audio or MediaKind.Video))
            {
                reason = $"{ours.Media} media is not supported";
            }
            else if (!IsDtlsRtp(theirs.Protocol) || !theirs.RtcpMux)
            {
                tally.Transport++;
                reason = $"the answer uses {theirs.Protocol}{(theirs.RtcpMux ? string.Empty : " without rtcp-mux")}";
            }
            else
            {
                // RFC 3264 §6.1: the answer reuses our payload types; take its order.
                foreach (var codec in theirs.Codecs)
                {
                    var offered = ours.FindCodec(codec.PayloadType);
                    if (offered is not null && KnownCodec.Match(offered) is { } known && known.Matches(codec) && known.Kind == ours.Kind)
                    {
                        accepted.Add(codec);
                    }
                }

                if (accepted.Count == 0)
                {
                    tally.Codec++;
                    reason = "no common codec";
                }
            }

            if (reason is not null)
            {
                negotiated.Add(new NegotiatedMedia { Index = index, Kind = ours.Kind, Mid = theirs.Mid ?? ours.Mid, Accepted = false, RejectReason = reason });
                continue;
            }

            if (string.IsNullOrEmpty(answer.GetIceUfrag(theirs)) || string.IsNullOrEmpty(answer.GetIcePwd(theirs)))
            {
                failure = NegotiationFailure.MissingIceCredentials;
                error = $"m= line {index} ({theirs.Media}) of the answer has no ice-ufrag/ice-pwd";
                return false;
            }

            if (answer.GetFingerprint(theirs) is null)
            {
                failure = NegotiationFailure.MissingFingerprint;
                error = $"m= line {index} ({theirs.Media}) of the answer has no fingerprint";
                return false;
            }

            var local = Direction(
                Sends(ours.Direction) && Receives(theirs.Direction),
                Receives(ours.Direction) && Sends(theirs.Direction));
            var primary = accepted[0];
            var ourPrimary = ours.FindCodec(primary.PayloadType)!;
            var codecs = accepted.Select(c =>
            {
                var copy = c.Clone();
                copy.Feedback = Filter(c.Feedback, ours.FindCodec(c.PayloadType)!.Feedback);
                return copy;
            }).ToList();
            var telephoneEvent = ours.Kind == MediaKind.Audio ? FindTelephoneEvent(theirs.Codecs, primary.ClockRate, ours) : null;
            negotiated.Add(new NegotiatedMedia
            {
                Index = index,
                Kind = ours.Kind,
                Mid = theirs.Mid ?? ours.Mid,
                Accepted = true,
                LocalDirection = local,
                Codec = codecs[0],
                Codecs = codecs,
                TelephoneEvent = telephoneEvent?.Clone(),
                RemoteSsrcs = theirs.GetSsrcs(),
                LocalSsrc = ours.Ssrcs.Count > 0 ? ours.Ssrcs[0].Ssrc : 0,
                Stereo = primary.Name.Equals("opus", StringComparison.OrdinalIgnoreCase)
                    && ourPrimary.GetParameter("stereo") == "1" && primary.GetParameter("stereo") == "1",
                Feedback = codecs[0].Feedback,
            });
        }

        if (!negotiated.Any(n => n.Accepted))
        {
            failure = tally.Failure;
            error = "the answer accepts no m= line we can use: " + string.Join("; ", negotiated.Select(n => $"{n.Index} ({offer.Media[n.Index].Media}): {n.RejectReason}"));
            return false;
        }

        media = negotiated;
        failure = NegotiationFailure.None;
        error = null;
        return true;
    }

    /// <summary>
    /// The peer's transport (RFC 8843 §7: with BUNDLE, the first accepted mid of the group; else
    /// the first enabled m= line), or null when that line lacks ICE credentials or a fingerprint.
    /// Pass the negotiation result to skip lines we rejected in our answer.
    /// </summary>
    public static RemoteTransport? GetRemoteTransport(SessionDescription sdp, IReadOnlyList<NegotiatedMedia>? negotiated = null)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        bool Usable(int i) =>
            !sdp.Media[i].IsRejected
            && (negotiated is null || (i < negotiated.Count && negotiated[i].Accepted));

        var index = -1;
        if (sdp.FindGroup("BUNDLE") is { } bundle)
        {
            foreach (var mid in bundle.Mids)
            {
                index = sdp.Media.FindIndex(m => m.Mid == mid);
                if (index >= 0 && Usable(index))
                {
                    break;
                }

                index = -1;
            }
        }

        if (index < 0)
        {
            for (var i = 0; i < sdp.Media.Count && index < 0; i++)
            {
                if (Usable(i))
                {
                    index = i;
                }
            }
        }

        if (index < 0)
        {
            return null;
        }

        var media = sdp.Media[index];
        var ufrag = sdp.GetIceUfrag(media);
        var pwd = sdp.GetIcePwd(media);
        var fingerprint = sdp.GetFingerprint(media);
        if (string.IsNullOrEmpty(ufrag) || string.IsNullOrEmpty(pwd) || fingerprint is null)
        {
            return null;
        }

        return new RemoteTransport
        {
            IceUfrag = ufrag,
            IcePwd = pwd,
            Fingerprint = fingerprint,
            Setup = sdp.GetSetup(media) ?? DtlsSetup.Active,
            Candidates = media.Candidates,
            MediaIndex = index,
            Mid = media.Mid,
        };
    }

    /// <summary>DTLS-SRTP profiles over UDP (RFC 5764 §8): what browsers offer.</summary>
    private static bool IsDtlsRtp(string protocol) =>
        protocol.Equals("UDP/TLS/RTP/SAVPF", StringComparison.OrdinalIgnoreCase)
        || protocol.Equals("UDP/TLS/RTP/SAVP", StringComparison.OrdinalIgnoreCase);

    private static bool Sends(MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.SendOnly;

    private static bool Receives(MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;

    private static MediaDirection Direction(bool send, bool receive) => (send, receive) switch
    {
        (true, true) => MediaDirection.SendRecv,
        (true, false) => MediaDirection.SendOnly,
        (false, true) => MediaDirection.RecvOnly,
        _ => MediaDirection.Inactive,
    };

    /// <summary>Our fmtp for a codec: opus with in-band FEC, and stereo when asked (RFC 7587 §6.1).</summary>
    private static string? OurFmtp(KnownCodec known, bool stereo) =>
        known.Fmtp is null ? null
        : stereo && known.Name == "opus" ? known.Fmtp + ";stereo=1;sprop-stereo=1"
        : known.Fmtp;

    /// <summary>The feedback values we keep, in the given order, optionally only those <paramref name="offered"/> too.</summary>
    private static List<string> Filter(List<string> feedback, List<string>? offered)
    {
        var result = new List<string>();
        foreach (var value in feedback)
        {
            var normalized = string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
            if (AcceptedFeedback.Contains(normalized)
                && !result.Contains(normalized)
                && (offered is null || offered.Any(o => o.Equals(normalized, StringComparison.OrdinalIgnoreCase))))
            {
                result.Add(normalized);
            }
        }

        return result;
    }

    /// <summary>
    /// The telephone-event to use: the first at <paramref name="clockRate"/> (RFC 4733 §2.1: it
    /// should share the audio clock), else the first at any rate, because Firefox offers only
    /// 8000 Hz events next to opus and DTMF would otherwise be lost; the media plane reads the
    /// rate from <see cref="NegotiatedMedia.TelephoneEvent"/>.
    /// </summary>
    private static RtpCodec? FindTelephoneEvent(List<RtpCodec> codecs, int clockRate, MediaDescription? offered)
    {
        RtpCodec? fallback = null;
        foreach (var codec in codecs)
        {
            if (!codec.IsTelephoneEvent || (offered is not null && offered.FindCodec(codec.PayloadType) is not { IsTelephoneEvent: true }))
            {
                continue;
            }

            if (codec.ClockRate == clockRate)
            {
                return codec;
            }

            fallback ??= codec;
        }

        return fallback;
    }

    private static int PickPayloadType(string key, int fallback, IReadOnlyDictionary<string, int>? preferred, HashSet<int> used)
    {
        if (preferred is not null && preferred.TryGetValue(key, out var wanted) && wanted is >= 0 and <= 127 && used.Add(wanted))
        {
            return wanted;
        }

        if (used.Add(fallback))
        {
            return fallback;
        }

        // RFC 3551 §6 dynamic range first, then the range Chromium also uses (RFC 7587-era practice).
        for (var pt = 96; pt <= 127; pt++)
        {
            if (used.Add(pt))
            {
                return pt;
            }
        }

        for (var pt = 35; pt <= 63; pt++)
        {
            if (used.Add(pt))
            {
                return pt;
            }
        }

        return fallback;
    }

    private static void AddTrack(MediaDescription line, uint ssrc, string cname, string streamId, int index)
    {
        var trackId = string.Create(CultureInfo.InvariantCulture, $"{line.Media}{index}");
        line.Msid = streamId + " " + trackId;
        line.Ssrcs.Add(new SsrcAttribute(ssrc, "cname", cname));
        line.Ssrcs.Add(new SsrcAttribute(ssrc, "msid", line.Msid));
    }

    /// <summary>
    /// A rejected line (RFC 3264 §6: port 0, the offered formats kept; RFC 8843 §7.3.3: the mid
    /// kept, out of the BUNDLE group).
    /// </summary>
    private static MediaDescription Rejected(MediaDescription offered)
    {
        var line = new MediaDescription
        {
            Media = offered.Media,
            Port = 0,
            Protocol = offered.Protocol,
            ConnectionAddress = "0.0.0.0",
            Mid = offered.Mid,
            Direction = offered.Kind is MediaKind.Audio or MediaKind.Video ? MediaDirection.Inactive : MediaDirection.SendRecv,
        };
        line.Formats.AddRange(offered.Formats.Count > 0 ? offered.Formats.Take(1) : ["0"]);
        return line;
    }

    /// <summary>Counts why lines were rejected, to name the failure when none was accepted.</summary>
    private sealed class RejectTally
    {
        public int Codec { get; set; }

        public int Transport { get; set; }

        public NegotiationFailure Failure =>
            Codec > 0 ? NegotiationFailure.NoCommonCodec
            : Transport > 0 ? NegotiationFailure.UnsupportedTransport
            : NegotiationFailure.NoMedia;
    }
}

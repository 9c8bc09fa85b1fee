using System.Globalization;
using System.Security.Cryptography;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

public class OfferAnswerTests
{
    private static readonly string[] AllowedFeedback = ["nack", "nack pli", "ccm fir", "goog-remb"];

    public static TheoryData<string> Offers => SdpCapture.Offers();

    internal static LocalTransport Transport() => new()
    {
        IceUfrag = "srv1",
        IcePwd = "0123456789abcdefghijklmn",
        Fingerprint = SdpFingerprint.FromDigest("sha-256", SHA256.HashData("server certificate"u8)),
        CandidateAddress = "198.51.100.10",
        CandidatePort = 40000,
    };

    internal static AnswerOptions Options(string codecs = "opus,pcmu,pcma,vp8", bool stereo = false)
    {
        Assert.True(CodecList.TryParse(codecs, out var list, out var error), error);
        return new AnswerOptions
        {
            Transport = Transport(),
            Codecs = list!,
            LocalSsrc = (index, kind) => (uint)(1000 + index),
            Cname = "ms-cname",
            StreamId = "conf",
            Stereo = stereo,
            SessionId = 77,
        };
    }

    private static (SessionDescription Answer, IReadOnlyList<NegotiatedMedia> Media) Answer(SessionDescription offer, AnswerOptions options)
    {
        Assert.True(OfferAnswer.TryCreateAnswer(offer, options, out var answer, out var media, out var failure, out var error), $"{failure}: {error}");
        Assert.Equal(NegotiationFailure.None, failure);
        return (answer!, media!);
    }

    private static MediaDirection Expected(MediaDirection offered) => offered switch
    {
        MediaDirection.SendOnly => MediaDirection.RecvOnly,
        MediaDirection.RecvOnly => MediaDirection.SendOnly,
        MediaDirection.Inactive => MediaDirection.Inactive,
        _ => MediaDirection.SendRecv,
    };

    [Theory]
    [MemberData(nameof(Offers))]
    public void AnswerToCaptureIsAnIceLiteDtlsAnswer(string capture)
    {
        var offer = SdpCapture.Parse(capture);
        var options = Options();
        var (answer, media) = Answer(offer, options);
        var transport = options.Transport;

        Assert.True(answer.IceLite);
        Assert.Equal("77", answer.SessionId);
        Assert.Equal(offer.Media.Count, answer.Media.Count);
        Assert.Equal(offer.Media.Count, media.Count);
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var offered = offer.Media[i];
            var line = answer.Media[i];
            var outcome = media[i];
            Assert.Equal(i, outcome.Index);
            Assert.Equal(offered.Media, line.Media);
            Assert.Equal(offered.Mid, line.Mid);
            Assert.Equal(offered.Mid, outcome.Mid);
            Assert.Empty(line.Extensions);
            if (!outcome.Accepted)
            {
                Assert.Equal(0, line.Port);
                Assert.Empty(line.Candidates);
                continue;
            }

            Assert.Equal(transport.CandidatePort, line.Port);
            Assert.Equal(transport.CandidateAddress, line.ConnectionAddress);
            var candidate = Assert.Single(line.Candidates);
            Assert.Equal($"1 1 udp 2130706431 {transport.CandidateAddress} {transport.CandidatePort} typ host", candidate.ToString());
            Assert.True(line.EndOfCandidates);
            Assert.Equal(transport.IceUfrag, answer.GetIceUfrag(line));
            Assert.Equal(transport.IcePwd, answer.GetIcePwd(line));
            Assert.Equal(transport.Fingerprint, answer.GetFingerprint(line));
            Assert.Equal(DtlsSetup.Passive, answer.GetSetup(line));
            Assert.True(line.RtcpMux);
            Assert.Equal(Expected(offered.Direction), line.Direction);
            Assert.Equal(line.Direction, outcome.LocalDirection);

            // Our preference order, the offerer's payload types, telephone-event last.
            var ours = line.Codecs.Where(c => !c.IsTelephoneEvent).ToList();
            var preferred = options.Codecs.Names.Where(n => offered.Codecs.Any(c => c.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
            Assert.Equal(preferred, ours.Select(c => c.Name.ToLowerInvariant()));
            Assert.All(ours, c => Assert.Equal(offered.FindCodec(c.PayloadType)!.Name, c.Name));
            Assert.Equal(line.Formats, line.Codecs.Select(c => c.PayloadType.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal(ours[0].PayloadType, outcome.Codec!.PayloadType);
            Assert.All(line.Codecs, c => Assert.All(c.Feedback, f => Assert.Contains(f, AllowedFeedback)));
            Assert.Equal(outcome.Codec.Feedback, outcome.Feedback);
            if (outcome.TelephoneEvent is { } dtmf)
            {
                // The audio clock rate when the offer has it (Firefox offers only 8000 Hz).
                Assert.Equal(offered.Codecs.Any(c => c.IsTelephoneEvent && c.ClockRate == outcome.Codec.ClockRate), dtmf.ClockRate == outcome.Codec.ClockRate);
                Assert.Contains(line.Codecs, c => c.PayloadType == dtmf.PayloadType);
            }

            var sends = line.Direction is MediaDirection.SendRecv or MediaDirection.SendOnly;
            Assert.Equal(sends, line.Msid is not null);
            Assert.Equal(sends ? [(uint)(1000 + i)] : [], line.GetSsrcs());
            Assert.Equal((uint)(1000 + i), outcome.LocalSsrc);
            if (sends)
            {
                Assert.Contains(line.Ssrcs, s => s.Name == "cname" && s.Value == "ms-cname");
                Assert.Contains(line.Ssrcs, s => s.Name == "msid" && s.Value == line.Msid);
                Assert.StartsWith("conf ", line.Msid, StringComparison.Ordinal);
            }

            Assert.Equal(offered.GetSsrcs(), outcome.RemoteSsrcs);
        }

        // BUNDLE echoes the accepted offered mids in the offer's order.
        var bundle = offer.FindGroup("BUNDLE")!;
        Assert.Equal(bundle.Mids.Where(mid => media.Any(m => m.Accepted && m.Mid == mid)), answer.FindGroup("BUNDLE")!.Mids);

        // The answer text is valid SDP with the same model.
        var text = answer.ToString();
        Assert.DoesNotContain("a=extmap", text, StringComparison.Ordinal);
        Assert.DoesNotContain("transport-cc", text, StringComparison.Ordinal);
        Assert.True(SessionDescription.TryParse(text, out var reparsed, out var error), error);
        Assert.Equal(answer.ToCanonicalString(), reparsed!.ToCanonicalString());
        Assert.Equal(text, reparsed.ToString());
        Assert.StartsWith("v=0\r\no=- 77 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnswerToChromiumAudioVideoIsExactlyThis()
    {
        var (answer, media) = Answer(SdpCapture.Parse("chromium-audio-video-maxcompat"), Options());

        Assert.Equal(
            """
            v=0
            o=- 77 1 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=ice-lite
            a=group:BUNDLE 0 1
            a=msid-semantic: WMS conf
            m=audio 40000 UDP/TLS/RTP/SAVPF 111 0 8 110
            c=IN IP4 198.51.100.10
            a=candidate:1 1 udp 2130706431 198.51.100.10 40000 typ host
            a=end-of-candidates
            a=ice-ufrag:srv1
            a=ice-pwd:0123456789abcdefghijklmn
            a=fingerprint:
            """.Replace("\n", "\r\n", StringComparison.Ordinal) + Transport().Fingerprint + "\r\n" +
            """
            a=setup:passive
            a=mid:0
            a=sendrecv
            a=msid:conf audio0
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:110 telephone-event/48000
            a=ssrc:1000 cname:ms-cname
            a=ssrc:1000 msid:conf audio0
            m=video 40000 UDP/TLS/RTP/SAVPF 96
            c=IN IP4 198.51.100.10
            a=candidate:1 1 udp 2130706431 198.51.100.10 40000 typ host
            a=end-of-candidates
            a=ice-ufrag:srv1
            a=ice-pwd:0123456789abcdefghijklmn
            a=fingerprint:
            """.Replace("\n", "\r\n", StringComparison.Ordinal) + Transport().Fingerprint + "\r\n" +
            """
            a=setup:passive
            a=mid:1
            a=sendrecv
            a=msid:conf video1
            a=rtcp-mux
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 goog-remb
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=ssrc:1001 cname:ms-cname
            a=ssrc:1001 msid:conf video1

            """.Replace("\n", "\r\n", StringComparison.Ordinal),
            answer.ToString());
        Assert.Equal("110 telephone-event/48000", media[0].TelephoneEvent!.ToString());
        Assert.Equal(["goog-remb", "ccm fir", "nack", "nack pli"], media[1].Feedback);
        Assert.Equal("minptime=10;useinbandfec=1", media[0].Codec!.Fmtp);
    }

    [Fact]
    public void DataChannelIsRejectedInPlaceAndLeftOutOfBundle()
    {
        var (answer, media) = Answer(SdpCapture.Parse("chromium-audio-video-datachannel"), Options());

        Assert.False(media[2].Accepted);
        Assert.Equal("application media is not supported", media[2].RejectReason);
        Assert.StartsWith("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n", answer.ToString()[answer.ToString().IndexOf("m=application", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal(["0", "1"], answer.FindGroup("BUNDLE")!.Mids);
    }

    [Fact]
    public void StereoIsKeptWhenAskedAndOffered()
    {
        var offer = SdpCapture.Parse("chromium-audio-stereo-munged");

        var (stereo, stereoMedia) = Answer(offer, Options(stereo: true));
        Assert.Equal("minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1", stereo.Media[0].Codecs[0].Fmtp);
        Assert.True(stereoMedia[0].Stereo);

        var (mono, monoMedia) = Answer(offer, Options(stereo: false));
        Assert.Equal("minptime=10;useinbandfec=1", mono.Media[0].Codecs[0].Fmtp);
        Assert.False(monoMedia[0].Stereo);

        // Asked, but the browser did not say it takes stereo: we ask for it, it is not agreed.
        var (_, plainMedia) = Answer(SdpCapture.Parse("chromium-audio-only"), Options(stereo: true));
        Assert.False(plainMedia[0].Stereo);
    }

    [Theory]
    [InlineData("pcma,opus", "8 111 126", "8 PCMA/8000", "126 telephone-event/8000")]
    [InlineData("pcmu", "0 126", "0 PCMU/8000", "126 telephone-event/8000")]
    [InlineData("opus", "111 110", "111 opus/48000/2", "110 telephone-event/48000")]
    public void CodecsFollowOurPreferenceWithTheOfferersPayloadTypes(string codecs, string formats, string primary, string dtmf)
    {
        var (answer, media) = Answer(SdpCapture.Parse("chromium-audio-only"), Options(codecs));

        Assert.Equal(formats, string.Join(' ', answer.Media[0].Formats));
        Assert.Equal(primary, media[0].Codec!.ToString());
        Assert.Equal(dtmf, media[0].TelephoneEvent!.ToString());
    }

    [Fact]
    public void FirefoxOfferIsAnsweredWithItsPayloadTypes()
    {
        var (answer, media) = Answer(SdpCapture.Parse("firefox-audio-video-maxcompat"), Options());

        Assert.Equal("109 0 8 101", string.Join(' ', answer.Media[0].Formats));
        Assert.Equal("120", answer.Media[1].Formats[0]);
        Assert.Equal(["nack", "nack pli", "ccm fir", "goog-remb"], media[1].Feedback);
        // Firefox offers DTMF at 8000 Hz only, even with opus: taken rather than losing DTMF.
        Assert.Equal("101 telephone-event/8000", media[0].TelephoneEvent!.ToString());
    }

    [Theory]
    [InlineData("chromium-screenshare-sendonly", "pcmu")]
    [InlineData("chromium-video-recvonly", "opus,pcma")]
    [InlineData("chromium-audio-only", "vp8")]
    public void NoCommonCodecFailsTheAnswer(string capture, string codecs)
    {
        Assert.False(OfferAnswer.TryCreateAnswer(SdpCapture.Parse(capture), Options(codecs), out var answer, out var media, out var failure, out var error));

        Assert.Null(answer);
        Assert.Null(media);
        Assert.Equal(NegotiationFailure.NoCommonCodec, failure);
        Assert.Contains("no common codec", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LineWithoutACommonCodecIsRejectedWhileOthersAreAccepted()
    {
        var (answer, media) = Answer(SdpCapture.Parse("chromium-audio-video-balanced"), Options("pcmu"));

        Assert.True(media[0].Accepted);
        Assert.False(media[1].Accepted);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal(MediaDirection.Inactive, answer.Media[1].Direction);
        Assert.Equal(["0"], answer.FindGroup("BUNDLE")!.Mids);
        Assert.Equal(0, OfferAnswer.GetRemoteTransport(SdpCapture.Parse("chromium-audio-video-balanced"), media)!.MediaIndex);
    }

    [Theory]
    [InlineData("a=fingerprint:", NegotiationFailure.MissingFingerprint)]
    [InlineData("a=ice-pwd:", NegotiationFailure.MissingIceCredentials)]
    [InlineData("a=ice-ufrag:", NegotiationFailure.MissingIceCredentials)]
    public void MissingTransportAttributesFailTheAnswer(string dropped, NegotiationFailure expected)
    {
        var offer = Without(SdpCapture.Text("chromium-audio-video-maxcompat"), dropped);

        Assert.False(OfferAnswer.TryCreateAnswer(offer, Options(), out _, out _, out var failure, out var error));
        Assert.Equal(expected, failure);
        Assert.Contains("m= line 0 (audio)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SessionLevelTransportAttributesAreEnough()
    {
        // Firefox puts the fingerprint at session level only.
        var (answer, _) = Answer(SdpCapture.Parse("firefox-video-recvonly"), Options());
        Assert.Equal(MediaDirection.SendOnly, answer.Media[0].Direction);
    }

    [Fact]
    public void OfferWithoutRtcpMuxOrWithPlainRtpIsUnsupported()
    {
        var noMux = Without(SdpCapture.Text("chromium-audio-only"), "a=rtcp-mux");
        Assert.False(OfferAnswer.TryCreateAnswer(noMux, Options(), out _, out _, out var failure, out var error));
        Assert.Equal(NegotiationFailure.UnsupportedTransport, failure);
        Assert.Contains("rtcp-mux is required", error, StringComparison.Ordinal);

        Assert.True(SessionDescription.TryParse(SdpCapture.Text("chromium-audio-only").Replace("UDP/TLS/RTP/SAVPF", "RTP/AVP", StringComparison.Ordinal), out var plain, out _));
        Assert.False(OfferAnswer.TryCreateAnswer(plain!, Options(), out _, out _, out failure, out error));
        Assert.Equal(NegotiationFailure.UnsupportedTransport, failure);
        Assert.Contains("protocol RTP/AVP is not supported", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithoutMediaFails()
    {
        Assert.True(SessionDescription.TryParse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", out var empty, out _));
        Assert.False(OfferAnswer.TryCreateAnswer(empty!, Options(), out _, out _, out var failure, out _));
        Assert.Equal(NegotiationFailure.NoMedia, failure);

        var dataOnly = SdpCapture.Parse("chromium-audio-video-datachannel");
        dataOnly.Media.RemoveRange(0, 2);
        Assert.False(OfferAnswer.TryCreateAnswer(dataOnly, Options(), out _, out _, out failure, out _));
        Assert.Equal(NegotiationFailure.NoMedia, failure);
    }

    [Theory]
    [InlineData(DtlsSetup.ActPass, DtlsSetup.Passive)]
    [InlineData(DtlsSetup.Active, DtlsSetup.Passive)]
    [InlineData(DtlsSetup.Passive, DtlsSetup.Active)]
    public void SetupIsTheOppositeRole(DtlsSetup offered, DtlsSetup answered)
    {
        var offer = SdpCapture.Parse("chromium-audio-only");
        offer.Media[0].Setup = offered;

        var (answer, _) = Answer(offer, Options());
        Assert.Equal(answered, answer.Media[0].Setup);
        Assert.Equal(offered, OfferAnswer.GetRemoteTransport(offer)!.Setup);
    }

    [Theory]
    [InlineData(MediaDirection.SendRecv, MediaDirection.SendRecv, MediaDirection.RecvOnly)]
    [InlineData(MediaDirection.RecvOnly, MediaDirection.RecvOnly, MediaDirection.RecvOnly)]
    [InlineData(MediaDirection.SendOnly, MediaDirection.SendOnly, MediaDirection.Inactive)]
    public void OurWishedDirectionIsIntersectedWithTheOffer(MediaDirection wish, MediaDirection withSendRecvOffer, MediaDirection withSendOnlyOffer)
    {
        var options = Options();
        options.AudioDirection = wish;
        options.VideoDirection = wish;

        Assert.Equal(withSendRecvOffer, Answer(SdpCapture.Parse("chromium-audio-only"), options).Answer.Media[0].Direction);
        Assert.Equal(withSendOnlyOffer, Answer(SdpCapture.Parse("chromium-screenshare-sendonly"), options).Answer.Media[0].Direction);
    }

    [Fact]
    public void RemoteTransportIsTheBundleTransport()
    {
        var offer = SdpCapture.Parse("chromium-audio-video-maxcompat");

        var remote = OfferAnswer.GetRemoteTransport(offer)!;

        Assert.Equal(0, remote.MediaIndex);
        Assert.Equal("0", remote.Mid);
        Assert.Equal(offer.Media[0].IceUfrag, remote.IceUfrag);
        Assert.Equal(offer.Media[0].IcePwd, remote.IcePwd);
        Assert.Equal(offer.Media[0].Fingerprint, remote.Fingerprint);
        Assert.Equal(DtlsSetup.ActPass, remote.Setup);
        Assert.Same(offer.Media[0].Candidates, remote.Candidates);

        offer.Media[0].Port = 0;
        Assert.Equal(1, OfferAnswer.GetRemoteTransport(offer)!.MediaIndex);
        offer.Media[1].Fingerprint = null;
        Assert.Null(OfferAnswer.GetRemoteTransport(offer));
    }

    internal static SessionDescription Without(string text, string linePrefix)
    {
        var kept = text.Split("\r\n").Where(line => !line.StartsWith(linePrefix, StringComparison.Ordinal));
        Assert.True(SessionDescription.TryParse(string.Join("\r\n", kept), out var sdp, out var error), error);
        return sdp!;
    }
}

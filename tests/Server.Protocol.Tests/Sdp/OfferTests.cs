using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

public class OfferTests
{
    private static OfferOptions Options(string codecs = "opus,pcmu,pcma,vp8")
    {
        Assert.True(CodecList.TryParse(codecs, out var list, out var error), error);
        return new OfferOptions
        {
            Transport = OfferAnswerTests.Transport(),
            Codecs = list!,
            Audio = true,
            Video = true,
            AudioSsrc = 1111,
            VideoSsrc = 2222,
            Cname = "ms-cname",
            StreamId = "conf",
            SessionId = 4242,
            Version = 3,
        };
    }

    [Fact]
    public void OfferPutsAudioFirstWithFixedPayloadTypes()
    {
        var offer = OfferAnswer.CreateOffer(Options());

        Assert.True(offer.IceLite);
        Assert.Equal(("4242", "3"), (offer.SessionId, offer.SessionVersion));
        Assert.Equal("BUNDLE 0 1", offer.FindGroup("BUNDLE")!.ToString());
        var audio = offer.Media[0];
        var video = offer.Media[1];
        Assert.Equal(("audio", "0", "video", "1"), (audio.Media, audio.Mid, video.Media, video.Mid));
        Assert.Equal(["111", "0", "8", "110", "126"], audio.Formats);
        Assert.Equal("minptime=10;useinbandfec=1", audio.Codecs[0].Fmtp);
        Assert.Equal(["96"], video.Formats);
        Assert.Equal(["goog-remb", "ccm fir", "nack", "nack pli"], video.Codecs[0].Feedback);
        Assert.All(offer.Media, m =>
        {
            Assert.Equal(DtlsSetup.ActPass, m.Setup);
            Assert.True(m.RtcpMux);
            Assert.True(m.EndOfCandidates);
            Assert.Single(m.Candidates);
            Assert.Equal(MediaDirection.SendRecv, m.Direction);
            Assert.Equal("UDP/TLS/RTP/SAVPF", m.Protocol);
        });
        Assert.Equal([1111u], audio.GetSsrcs());
        Assert.Contains(video.Ssrcs, s => s is { Ssrc: 2222, Name: "msid", Value: "conf video1" });

        Assert.Equal(SdpCapture.Text("mediaserver-offer").Split("\r\n").Length, offer.ToString().Split("\r\n").Length);
        Assert.True(SessionDescription.TryParse(offer.ToString(), out var reparsed, out var error), error);
        Assert.Equal(offer.ToString(), reparsed!.ToString());
    }

    [Fact]
    public void StereoAndDirectionsAndPreferredPayloadTypes()
    {
        var options = Options();
        options.Stereo = true;
        options.VideoDirection = MediaDirection.RecvOnly;
        options.PreferredPayloadTypes = new Dictionary<string, int> { ["opus"] = 109, ["pcmu"] = 8, ["vp8"] = 120, ["telephone-event/48000"] = 101, ["pcma"] = 300 };

        var offer = OfferAnswer.CreateOffer(options);

        Assert.Equal("minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1", offer.Media[0].Codecs[0].Fmtp);
        // pcmu asked for 8; pcma then finds 8 taken and its wish (300) invalid, so gets a dynamic type.
        Assert.Equal(["109", "8", "96", "101", "126"], offer.Media[0].Formats);
        Assert.Equal(["120"], offer.Media[1].Formats);
        Assert.Equal(MediaDirection.RecvOnly, offer.Media[1].Direction);
        Assert.Null(offer.Media[1].Msid);
        Assert.Empty(offer.Media[1].Ssrcs);
    }

    [Fact]
    public void KindsWithoutCodecsAreLeftOut()
    {
        var audioOnly = OfferAnswer.CreateOffer(Options("opus"));
        Assert.Equal(["audio"], audioOnly.Media.Select(m => m.Media));
        Assert.Equal(["111", "110"], audioOnly.Media[0].Formats);

        var options = Options("vp8,pcmu");
        options.Audio = false;
        var videoOnly = OfferAnswer.CreateOffer(options);
        Assert.Equal("video", Assert.Single(videoOnly.Media).Media);
        Assert.Equal("0", videoOnly.Media[0].Mid);
    }

    [Fact]
    public void ChromiumAnswerToOurOfferIsApplied()
    {
        var offer = SdpCapture.Parse("mediaserver-offer");
        var answer = SdpCapture.Parse("chromium-answer-to-mediaserver-offer");

        Assert.True(OfferAnswer.TryApplyAnswer(offer, answer, out var media, out var failure, out var error), error);

        Assert.Equal(NegotiationFailure.None, failure);
        var audio = media![0];
        var video = media[1];
        Assert.True(audio.Accepted && video.Accepted);
        Assert.Equal("111 opus/48000/2", audio.Codec!.ToString());
        Assert.Equal(["opus", "PCMU", "PCMA"], audio.Codecs.Select(c => c.Name));
        Assert.Equal("110 telephone-event/48000", audio.TelephoneEvent!.ToString());
        Assert.Equal("96 VP8/90000", video.Codec!.ToString());
        Assert.Equal(["goog-remb", "ccm fir", "nack", "nack pli"], video.Feedback);
        Assert.Equal((MediaDirection.SendRecv, MediaDirection.SendRecv), (audio.LocalDirection, video.LocalDirection));
        Assert.Equal((1111u, 2222u), (audio.LocalSsrc, video.LocalSsrc));
        Assert.Equal(answer.Media[0].GetSsrcs(), audio.RemoteSsrcs);
        Assert.Single(audio.RemoteSsrcs);
        Assert.False(audio.Stereo);

        var remote = OfferAnswer.GetRemoteTransport(answer, media)!;
        Assert.Equal(DtlsSetup.Active, remote.Setup);
        Assert.Equal(answer.Media[0].IceUfrag, remote.IceUfrag);
        Assert.Equal(4, remote.Candidates.Count);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void OurOwnAnswerToOurOwnOfferApplies(bool stereo, bool video)
    {
        var options = Options();
        options.Stereo = stereo;
        options.Video = video;
        var offer = OfferAnswer.CreateOffer(options);
        var answerOptions = OfferAnswerTests.Options(stereo: stereo);
        answerOptions.VideoDirection = MediaDirection.RecvOnly;

        Assert.True(OfferAnswer.TryCreateAnswer(offer, answerOptions, out var answer, out var answered, out _, out var error), error);
        Assert.True(OfferAnswer.TryApplyAnswer(offer, answer!, out var applied, out _, out error), error);

        Assert.Equal(stereo, applied![0].Stereo);
        Assert.Equal(stereo, answered![0].Stereo);
        if (video)
        {
            Assert.Equal(MediaDirection.RecvOnly, answered[1].LocalDirection);
            Assert.Equal(MediaDirection.SendOnly, applied[1].LocalDirection);
        }
    }

    [Fact]
    public void AnswersThatDoNotFitAreRefused()
    {
        var offer = SdpCapture.Parse("mediaserver-offer");
        var answer = SdpCapture.Parse("chromium-answer-to-mediaserver-offer");

        var shorter = SdpCapture.Parse("chromium-answer-to-mediaserver-offer");
        shorter.Media.RemoveAt(1);
        Assert.False(OfferAnswer.TryApplyAnswer(offer, shorter, out _, out var failure, out _));
        Assert.Equal(NegotiationFailure.InvalidAnswer, failure);

        var swapped = SdpCapture.Parse("chromium-answer-to-mediaserver-offer");
        swapped.Media.Reverse();
        Assert.False(OfferAnswer.TryApplyAnswer(offer, swapped, out _, out failure, out _));
        Assert.Equal(NegotiationFailure.InvalidAnswer, failure);

        var noFingerprint = OfferAnswerTests.Without(answer.ToString(), "a=fingerprint:");
        Assert.False(OfferAnswer.TryApplyAnswer(offer, noFingerprint, out _, out failure, out _));
        Assert.Equal(NegotiationFailure.MissingFingerprint, failure);

        var noIce = OfferAnswerTests.Without(answer.ToString(), "a=ice-pwd:");
        Assert.False(OfferAnswer.TryApplyAnswer(offer, noIce, out _, out failure, out _));
        Assert.Equal(NegotiationFailure.MissingIceCredentials, failure);

        var rejected = SdpCapture.Parse("chromium-answer-to-mediaserver-offer");
        rejected.Media.ForEach(m => m.Port = 0);
        Assert.False(OfferAnswer.TryApplyAnswer(offer, rejected, out _, out failure, out _));
        Assert.Equal(NegotiationFailure.NoMedia, failure);

        var foreignCodec = SdpCapture.Parse("chromium-answer-to-mediaserver-offer");
        foreignCodec.Media[1].Codecs[0].Name = "H264";
        Assert.True(OfferAnswer.TryApplyAnswer(offer, foreignCodec, out var media, out _, out _));
        Assert.False(media![1].Accepted);
        Assert.Equal("no common codec", media[1].RejectReason);
    }
}

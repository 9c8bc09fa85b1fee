using System.Net;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

/// <summary>
/// RFC 3264 offer/answer for plain RTP/AVP legs against real SIP bodies (see <see cref="SipSdpBodies"/>):
/// which line is taken, with which codec and payload type, where media goes, which direction
/// results, and what is refused.
/// </summary>
public class PlainRtpOfferAnswerTests
{
    private static readonly IPAddress Ours = IPAddress.Parse("198.51.100.10");

    internal static PlainRtpOptions Options(string codecs = "pcmu,pcma", MediaDirection direction = MediaDirection.SendRecv, bool rtcpMux = true, long version = 1) => new()
    {
        Address = Ours,
        Port = 20000,
        Codecs = List(codecs),
        Direction = direction,
        RtcpMux = rtcpMux,
        SessionId = 4242,
        Version = version,
    };

    private static CodecList List(string codecs)
    {
        Assert.True(CodecList.TryParse(codecs, out var list, out var error), error);
        return list!;
    }

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(text, out var description, out var error), error);
        return description!;
    }

    private static (SessionDescription Answer, PlainRtpMedia Media) Answer(string offer, PlainRtpOptions? options = null)
    {
        Assert.True(PlainRtpOfferAnswer.TryCreateAnswer(Parse(offer), options ?? Options(), out var answer, out var media, out var failure, out var error), $"{failure}: {error}");
        Assert.Equal(NegotiationFailure.None, failure);
        Assert.Null(error);

        // The answer we send must itself read back as the same description.
        var reparsed = Parse(answer!.ToString());
        Assert.Equal(answer.Media.Count, reparsed.Media.Count);
        return (reparsed, media!);
    }

    private static string Attribute(MediaDescription media, string name) => media.GetOtherAttribute(name) ?? string.Empty;

    [Fact]
    public void SippUacOfferIsAnsweredWithPcmuAndNoTelephoneEvent()
    {
        var (answer, media) = Answer(SipSdpBodies.SippUac);

        Assert.Equal("mediaserver", answer.OriginUsername);
        Assert.Equal("4242", answer.SessionId);
        Assert.Equal("1", answer.SessionVersion);
        Assert.Equal("198.51.100.10", answer.OriginAddress);
        Assert.Equal("198.51.100.10", answer.ConnectionAddress);
        var line = Assert.Single(answer.Media);
        Assert.Equal(20000, line.Port);
        Assert.Equal("RTP/AVP", line.Protocol);
        Assert.Equal(["0"], line.Formats);
        Assert.Equal("0 PCMU/8000", Assert.Single(line.Codecs).ToString());
        Assert.Equal("20", Attribute(line, "ptime"));
        Assert.Equal(MediaDirection.SendRecv, line.Direction);
        Assert.False(line.RtcpMux);

        Assert.Equal(0, media.Index);
        Assert.Equal("PCMU", media.Codec.Name);
        Assert.Equal(0, media.Codec.PayloadType);
        Assert.Equal(8000, media.Codec.ClockRate);
        Assert.Null(media.TelephoneEventPayloadType);
        Assert.Equal(20, media.Ptime);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6000), media.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6001), media.RemoteRtcp);
        Assert.False(media.RtcpMux);
        Assert.Equal(MediaDirection.SendRecv, media.RemoteDirection);
        Assert.Equal(MediaDirection.SendRecv, media.LocalDirection);
        Assert.False(media.RemoteHold);
        Assert.True(media.Sends);
        Assert.True(media.Receives);
    }

    [Fact]
    public void BaresipOfferGetsOneG711CodecWithTelephoneEventAtTheOfferedPayloadTypes()
    {
        var (answer, media) = Answer(SipSdpBodies.BaresipOffer);

        // Opus and G722 come first in baresip's list; a plain leg takes G.711, in our order.
        Assert.Equal("PCMU", media.Codec.Name);
        Assert.Equal(0, media.Codec.PayloadType);
        Assert.Equal(101, media.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 19810), media.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 19811), media.RemoteRtcp);
        Assert.False(media.RtcpMux);

        var line = Assert.Single(answer.Media);
        Assert.Equal(["0", "101"], line.Formats);
        Assert.Equal(["0 PCMU/8000", "101 telephone-event/8000"], line.Codecs.Select(c => c.ToString()));
        Assert.Equal("0-16", line.FindCodec(101)!.Fmtp);
        Assert.Equal(
            "v=0\r\no=mediaserver 4242 1 IN IP4 198.51.100.10\r\ns=-\r\nc=IN IP4 198.51.100.10\r\nt=0 0\r\n"
            + "m=audio 20000 RTP/AVP 0 101\r\na=sendrecv\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n",
            answer.ToString());
    }

    public static TheoryData<string, string, int, int, string> OtherUserAgents => new()
    {
        // Body, the codec we take, its payload type, telephone-event's, where RTCP goes.
        { nameof(SipSdpBodies.FreeSwitchLikeOffer), "PCMU", 0, 101, "203.0.113.1:16385" },
        { nameof(SipSdpBodies.AsteriskLikeOffer), "PCMU", 0, 101, "10.0.0.5:14509" },
        { nameof(SipSdpBodies.CiscoLikeOffer), "PCMU", 0, 101, "198.18.0.21:17057" },
    };

    [Theory]
    [MemberData(nameof(OtherUserAgents))]
    public void OffersShapedLikeOtherSipServersAreAnswered(string body, string codec, int payloadType, int telephoneEvent, string rtcp)
    {
        var text = (string)typeof(SipSdpBodies).GetProperty(body)!.GetValue(null)!;

        var (answer, media) = Answer(text);

        Assert.Equal(codec, media.Codec.Name);
        Assert.Equal(payloadType, media.Codec.PayloadType);
        Assert.Equal(telephoneEvent, media.TelephoneEventPayloadType);
        Assert.Equal(IPEndPoint.Parse(rtcp), media.RemoteRtcp);
        Assert.Equal([payloadType.ToString(System.Globalization.CultureInfo.InvariantCulture), telephoneEvent.ToString(System.Globalization.CultureInfo.InvariantCulture)], answer.Media[0].Formats);
    }

    [Fact]
    public void OurCodecOrderDecides()
    {
        var (answer, media) = Answer(SipSdpBodies.BaresipOffer, Options("pcma,pcmu"));

        Assert.Equal("PCMA", media.Codec.Name);
        Assert.Equal(8, media.Codec.PayloadType);
        Assert.Equal(["8", "101"], answer.Media[0].Formats);
    }

    [Fact]
    public void CodecsOtherThanG711InTheListAreNotUsedByAPlainLeg()
    {
        var (_, media) = Answer(SipSdpBodies.BaresipOffer, Options("opus,vp8,pcma"));

        Assert.Equal("PCMA", media.Codec.Name);
    }

    [Fact]
    public void RtcpMuxOfferedByBaresipIsAcceptedAndRtcpGoesToTheRtpPort()
    {
        var (answer, media) = Answer(SipSdpBodies.BaresipOfferRtcpMux);

        Assert.True(answer.Media[0].RtcpMux);
        Assert.True(media.RtcpMux);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 40580), media.RemoteRtcp);
        Assert.Equal(media.RemoteRtp, media.RemoteRtcp);
    }

    [Fact]
    public void RtcpMuxCanBeDeclined()
    {
        var (answer, media) = Answer(SipSdpBodies.BaresipOfferRtcpMux, Options(rtcpMux: false));

        Assert.False(answer.Media[0].RtcpMux);
        Assert.False(media.RtcpMux);
        Assert.Equal(40581, media.RemoteRtcp!.Port);
    }

    [Fact]
    public void LinphoneOfferTakesTelephoneEventAt8000AndTheRtcpAttributeAndRejectsVideo()
    {
        var (answer, media) = Answer(SipSdpBodies.LinphoneOffer);

        Assert.Equal(2, answer.Media.Count);
        Assert.Equal("PCMU", media.Codec.Name);
        Assert.Equal(100, media.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 7078), media.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 7079), media.RemoteRtcp);
        Assert.Equal(["0", "100"], answer.Media[0].Formats);

        var video = answer.Media[1];
        Assert.Equal("video", video.Media);
        Assert.Equal(0, video.Port);
        Assert.Equal("RTP/AVP", video.Protocol);
        Assert.Equal(["96"], video.Formats);
        Assert.Contains("m=video 0 RTP/AVP 96\r\n", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnRtcpAttributeWithItsOwnAddressIsHonoured()
    {
        var offer = SipSdpBodies.SippUac.Replace("a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\na=rtcp:53020 IN IP4 126.16.64.4\r\n", StringComparison.Ordinal);

        var (_, media) = Answer(offer);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("126.16.64.4"), 53020), media.RemoteRtcp);
    }

    [Fact]
    public void AMediaLevelAddressOverridesTheSessionOne()
    {
        var offer = SipSdpBodies.SippUac.Replace("m=audio 6000 RTP/AVP 0\r\n", "m=audio 6000 RTP/AVP 0\r\nc=IN IP4 203.0.113.9\r\n", StringComparison.Ordinal);

        var (_, media) = Answer(offer);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 6000), media.RemoteRtp);
    }

    public static TheoryData<string, string, MediaDirection, MediaDirection, bool, bool> HoldOffers => new()
    {
        // The body change, the peer's direction as we read it, ours, peer holds us, we still know where to send.
        { "a=sendrecv", "a=sendonly", MediaDirection.SendOnly, MediaDirection.RecvOnly, true, true },
        { "a=sendrecv", "a=inactive", MediaDirection.Inactive, MediaDirection.Inactive, true, true },
        { "a=sendrecv", "a=recvonly", MediaDirection.RecvOnly, MediaDirection.SendOnly, false, true },
        { "c=IN IP4 192.0.2.2", "c=IN IP4 0.0.0.0", MediaDirection.SendOnly, MediaDirection.RecvOnly, true, false },
        { "a=sendrecv", "a=sendrecv", MediaDirection.SendRecv, MediaDirection.SendRecv, false, true },
    };

    [Theory]
    [MemberData(nameof(HoldOffers))]
    public void HoldReOffersGiveTheDirectionRfc3264Asks(string from, string to, MediaDirection remote, MediaDirection local, bool remoteHold, bool hasAddress)
    {
        var offer = SipSdpBodies.BaresipOffer.Replace(from, to, StringComparison.Ordinal);

        var (answer, media) = Answer(offer, Options(version: 2));

        Assert.Equal("2", answer.SessionVersion);
        Assert.Equal(remote, media.RemoteDirection);
        Assert.Equal(local, media.LocalDirection);
        Assert.Equal(local, answer.Media[0].Direction);
        Assert.Equal(remoteHold, media.RemoteHold);
        Assert.Equal(hasAddress, media.RemoteRtp is not null);
        Assert.Equal(hasAddress, media.RemoteRtcp is not null);
    }

    [Fact]
    public void ASessionLevelDirectionAppliesToTheAudioLine()
    {
        var offer = SipSdpBodies.SippUac.Replace("t=0 0\r\n", "t=0 0\r\na=sendonly\r\n", StringComparison.Ordinal);

        var (_, media) = Answer(offer);

        Assert.Equal(MediaDirection.RecvOnly, media.LocalDirection);
    }

    [Theory]
    [InlineData(MediaDirection.SendOnly, MediaDirection.SendOnly)]
    [InlineData(MediaDirection.Inactive, MediaDirection.Inactive)]
    [InlineData(MediaDirection.RecvOnly, MediaDirection.RecvOnly)]
    public void OurHoldWishShapesTheAnswer(MediaDirection wish, MediaDirection expected)
    {
        var (answer, media) = Answer(SipSdpBodies.BaresipOffer, Options(direction: wish));

        Assert.Equal(expected, media.LocalDirection);
        Assert.Equal(expected, answer.Media[0].Direction);
    }

    [Fact]
    public void AnSrtpOnlyOfferIsRefusedAsAnUnsupportedTransport()
    {
        Assert.False(PlainRtpOfferAnswer.TryCreateAnswer(Parse(SipSdpBodies.SrtpOnlyOffer), Options(), out var answer, out var media, out var failure, out var error));

        Assert.Null(answer);
        Assert.Null(media);
        Assert.Equal(NegotiationFailure.UnsupportedTransport, failure);
        Assert.Contains("RTP/SAVP", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OfferAnswerTests.Offers), MemberType = typeof(OfferAnswerTests))]
    public void BrowserOffersAreRefusedWithoutThrowing(string capture)
    {
        var offer = SdpCapture.Parse(capture);

        Assert.False(PlainRtpOfferAnswer.TryCreateAnswer(offer, Options(), out _, out _, out var failure, out var error));

        // A video-only offer has nothing a plain leg would even look at.
        Assert.Equal(offer.Media.Any(m => m.Kind == MediaKind.Audio) ? NegotiationFailure.UnsupportedTransport : NegotiationFailure.NoMedia, failure);
        Assert.Contains("UDP/TLS/RTP/SAVPF", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOfferWithoutG711FailsWithNoCommonCodecNamingWhatWasOffered()
    {
        var offer = SipSdpBodies.BaresipOffer.Replace("RTP/AVP 96 9 0 8 101", "RTP/AVP 96 9 101", StringComparison.Ordinal);

        Assert.False(PlainRtpOfferAnswer.TryCreateAnswer(Parse(offer), Options(), out _, out _, out var failure, out var error));

        Assert.Equal(NegotiationFailure.NoCommonCodec, failure);
        Assert.Contains("96 opus/48000/2", error, StringComparison.Ordinal);
        Assert.Contains("9 G722/8000", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c=IN IP4 192.0.2.2", "c=IN IP4 sip.example.com")]
    [InlineData("c=IN IP4 192.0.2.2", "c=IN IP4 224.2.1.1/127")]
    [InlineData("c=IN IP4 192.0.2.2\r\n", "")]
    public void AnAddressWeCannotSendToIsAnUnsupportedTransport(string from, string to)
    {
        var offer = SipSdpBodies.BaresipOffer.Replace(from, to, StringComparison.Ordinal);

        Assert.False(PlainRtpOfferAnswer.TryCreateAnswer(Parse(offer), Options(), out _, out _, out var failure, out var error));

        Assert.Equal(NegotiationFailure.UnsupportedTransport, failure);
        Assert.NotNull(error);
    }

    [Fact]
    public void OnlyTheFirstAudioLineIsTakenAndDisabledLinesStayDisabled()
    {
        var offer = SipSdpBodies.SippUac + "m=audio 0 RTP/AVP 8\r\nm=audio 6002 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

        var (answer, media) = Answer(offer);

        Assert.Equal(0, media.Index);
        Assert.Equal([20000, 0, 0], answer.Media.Select(m => m.Port));
    }

    [Fact]
    public void AnAudioLineWeCannotUseIsSkippedForALaterOne()
    {
        var offer = SipSdpBodies.SrtpOnlyOffer + "m=audio 5006 RTP/AVP 8\r\n";

        var (answer, media) = Answer(offer);

        Assert.Equal(1, media.Index);
        Assert.Equal("PCMA", media.Codec.Name);
        Assert.Equal([0, 20000], answer.Media.Select(m => m.Port));
        Assert.Equal("RTP/SAVP", answer.Media[0].Protocol);
        Assert.Empty(answer.Media[0].OtherAttributes);
    }

    [Fact]
    public void ATelephoneEventAt48000AloneIsNotAgreed()
    {
        var offer = SipSdpBodies.BaresipOffer.Replace("telephone-event/8000", "telephone-event/48000", StringComparison.Ordinal);

        var (answer, media) = Answer(offer);

        Assert.Null(media.TelephoneEventPayloadType);
        Assert.Equal(["0"], answer.Media[0].Formats);
    }

    [Fact]
    public void TelephoneEventCanBeSwitchedOff()
    {
        var options = Options();
        var (answer, media) = Answer(SipSdpBodies.BaresipOffer, new PlainRtpOptions
        {
            Address = options.Address,
            Port = options.Port,
            Codecs = options.Codecs,
            TelephoneEvent = false,
        });

        Assert.Null(media.TelephoneEventPayloadType);
        Assert.Equal(["0"], answer.Media[0].Formats);
    }

    [Fact]
    public void TheRemotePtimeIsReported()
    {
        var offer = SipSdpBodies.BaresipOffer.Replace("a=ptime:20", "a=ptime:30", StringComparison.Ordinal);

        var (answer, media) = Answer(offer);

        Assert.Equal(30, media.Ptime);
        Assert.Equal("20", Attribute(answer.Media[0], "ptime"));
    }

    [Fact]
    public void OurOfferIsG711WithTelephoneEventAndRtcpMux()
    {
        var offer = PlainRtpOfferAnswer.CreateOffer(Options(version: 3));

        Assert.Equal(
            "v=0\r\no=mediaserver 4242 3 IN IP4 198.51.100.10\r\ns=-\r\nc=IN IP4 198.51.100.10\r\nt=0 0\r\n"
            + "m=audio 20000 RTP/AVP 0 8 101\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n",
            offer.ToString());
    }

    [Fact]
    public void OurHoldOfferIsSendOnly()
    {
        var offer = PlainRtpOfferAnswer.CreateOffer(Options(direction: MediaDirection.SendOnly, rtcpMux: false));

        Assert.Equal(MediaDirection.SendOnly, offer.Media[0].Direction);
        Assert.DoesNotContain("rtcp-mux", offer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnOfferNeedsAG711Codec() =>
        Assert.Throws<ArgumentException>(() => PlainRtpOfferAnswer.CreateOffer(Options("opus,vp8")));

    [Fact]
    public void RoundTripOurOfferTheirAnswerBothSidesAgree()
    {
        var offer = Parse(PlainRtpOfferAnswer.CreateOffer(Options()).ToString());
        var far = new PlainRtpOptions { Address = IPAddress.Parse("203.0.113.7"), Port = 40000, Codecs = List("pcma,pcmu"), SessionId = 99 };

        Assert.True(PlainRtpOfferAnswer.TryCreateAnswer(offer, far, out var answer, out var theirs, out var failure, out var error), $"{failure}: {error}");
        Assert.True(PlainRtpOfferAnswer.TryApplyAnswer(offer, Parse(answer!.ToString()), out var ours, out failure, out error), $"{failure}: {error}");

        Assert.Equal("PCMA", theirs!.Codec.Name);
        Assert.Equal("PCMA", ours!.Codec.Name);
        Assert.Equal(8, ours.Codec.PayloadType);
        Assert.Equal(101, ours.TelephoneEventPayloadType);
        Assert.Equal(101, theirs.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40000), ours.RemoteRtp);
        Assert.Equal(new IPEndPoint(Ours, 20000), theirs.RemoteRtp);
        Assert.True(ours.RtcpMux);
        Assert.Equal(ours.RemoteRtp, ours.RemoteRtcp);
        Assert.Equal(MediaDirection.SendRecv, ours.LocalDirection);
    }

    [Fact]
    public void RoundTripHoldOfferIsAnsweredRecvOnly()
    {
        var offer = Parse(PlainRtpOfferAnswer.CreateOffer(Options(direction: MediaDirection.SendOnly)).ToString());
        var far = new PlainRtpOptions { Address = IPAddress.Parse("203.0.113.7"), Port = 40000 };

        Assert.True(PlainRtpOfferAnswer.TryCreateAnswer(offer, far, out var answer, out var theirs, out _, out _));
        Assert.True(PlainRtpOfferAnswer.TryApplyAnswer(offer, Parse(answer!.ToString()), out var ours, out _, out _));

        Assert.Equal(MediaDirection.RecvOnly, theirs!.LocalDirection);
        Assert.Equal(MediaDirection.SendOnly, ours!.LocalDirection);
        Assert.Equal(MediaDirection.RecvOnly, ours.RemoteDirection);
    }

    [Fact]
    public void BaresipAnswerToOurOfferTakesItsFirstCodecAndIgnoredRtcpMux()
    {
        Assert.True(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(SipSdpBodies.BaresipAnswer), out var media, out var failure, out var error), $"{failure}: {error}");

        Assert.Equal("PCMU", media!.Codec.Name);
        Assert.Equal(101, media.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 13782), media.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 13783), media.RemoteRtcp);
        Assert.False(media.RtcpMux);
        Assert.Equal(MediaDirection.SendRecv, media.LocalDirection);
    }

    [Fact]
    public void BaresipAnswerWithRtcpMuxMovesRtcpOntoTheRtpPort()
    {
        Assert.True(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(SipSdpBodies.BaresipAnswerRtcpMux), out var media, out _, out _));

        Assert.True(media!.RtcpMux);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 3758), media.RemoteRtcp);
    }

    [Fact]
    public void OurOfferMatchesWhatBaresipWasSent()
    {
        var offer = PlainRtpOfferAnswer.CreateOffer(new PlainRtpOptions { Address = IPAddress.Loopback, Port = 30000, SessionId = 1234, Codecs = List("pcmu,pcma") });

        Assert.Equal(SipSdpBodies.OfferToBaresip, offer.ToString());
    }

    [Fact]
    public void AnAnswerThatRejectsTheAudioLineFails()
    {
        var answer = SipSdpBodies.BaresipAnswer.Replace("m=audio 13782", "m=audio 0", StringComparison.Ordinal);

        Assert.False(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(answer), out var media, out var failure, out var error));

        Assert.Null(media);
        Assert.Equal(NegotiationFailure.NoMedia, failure);
        Assert.Contains("rejected by the answer", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAnswerWithACodecWeDidNotOfferFails()
    {
        var answer = SipSdpBodies.BaresipAnswer.Replace("RTP/AVP 0 8 101", "RTP/AVP 18", StringComparison.Ordinal);

        Assert.False(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(answer), out _, out var failure, out _));

        Assert.Equal(NegotiationFailure.NoCommonCodec, failure);
    }

    [Fact]
    public void AnAnswerWithAnotherShapeIsInvalid()
    {
        var twoLines = SipSdpBodies.BaresipAnswer + "m=video 0 RTP/AVP 96\r\n";
        var video = SipSdpBodies.BaresipAnswer.Replace("m=audio", "m=video", StringComparison.Ordinal);

        Assert.False(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(twoLines), out _, out var failure, out _));
        Assert.Equal(NegotiationFailure.InvalidAnswer, failure);
        Assert.False(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(video), out _, out failure, out _));
        Assert.Equal(NegotiationFailure.InvalidAnswer, failure);
    }

    [Fact]
    public void AnSrtpAnswerToOurPlainOfferIsAnUnsupportedTransport()
    {
        var answer = SipSdpBodies.BaresipAnswer.Replace("RTP/AVP", "RTP/SAVP", StringComparison.Ordinal);

        Assert.False(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(answer), out _, out var failure, out _));

        Assert.Equal(NegotiationFailure.UnsupportedTransport, failure);
    }

    [Fact]
    public void AnAnswerThatHoldsUsWithZeroAddressIsApplied()
    {
        var answer = SipSdpBodies.BaresipAnswer.Replace("c=IN IP4 192.0.2.2", "c=IN IP4 0.0.0.0", StringComparison.Ordinal);

        Assert.True(PlainRtpOfferAnswer.TryApplyAnswer(Parse(SipSdpBodies.OfferToBaresip), Parse(answer), out var media, out _, out _));

        Assert.Null(media!.RemoteRtp);
        Assert.True(media.RemoteHold);
        Assert.Equal(MediaDirection.RecvOnly, media.LocalDirection);
    }
}

using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

public class SessionDescriptionTests
{
    public static TheoryData<string> Captures => SdpCapture.All();

    [Theory]
    [MemberData(nameof(Captures))]
    public void CaptureWritesBackByteForByte(string capture)
    {
        var text = SdpCapture.Text(capture);
        Assert.Contains("\r\n", text, StringComparison.Ordinal);

        Assert.Equal(text, SdpCapture.Parse(capture).ToString());
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void CaptureRoundTripsToTheSameModel(string capture)
    {
        var first = SdpCapture.Parse(capture);
        var canonical = first.ToCanonicalString();

        // Written in the writer's own order, it must still read back as the same model.
        Assert.True(SessionDescription.TryParse(canonical, out var second, out var error), error);
        Assert.Equal(canonical, second!.ToCanonicalString());
        Assert.True(SessionDescription.TryParse(first.ToString(), out var third, out error), error);
        Assert.Equal(canonical, third!.ToCanonicalString());
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void CaptureWithLfLineEndsGivesTheSameModel(string capture)
    {
        var lf = SdpCapture.Text(capture).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.True(SessionDescription.TryParse(lf, out var description, out var error), error);
        Assert.Equal(SdpCapture.Parse(capture).ToCanonicalString(), description!.ToCanonicalString());
        Assert.Equal(SdpCapture.Text(capture), description.ToString());
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void CaptureHasWhatWebRtcNeedsOnEveryEnabledLine(string capture)
    {
        var sdp = SdpCapture.Parse(capture);

        Assert.NotEmpty(sdp.Media);
        foreach (var media in sdp.Media.Where(m => !m.IsRejected))
        {
            Assert.NotNull(media.Mid);
            Assert.False(string.IsNullOrEmpty(sdp.GetIceUfrag(media)));
            Assert.False(string.IsNullOrEmpty(sdp.GetIcePwd(media)));
            Assert.Equal("sha-256", sdp.GetFingerprint(media)!.Algorithm);
            Assert.NotNull(sdp.GetSetup(media));
            if (media.IsRtp)
            {
                Assert.True(media.RtcpMux);
                Assert.Equal(media.Formats, media.Codecs.Select(c => c.PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.All(media.Codecs, c => Assert.NotEmpty(c.Name));
            }
        }
    }

    [Theory]
    [InlineData("chromium-audio-video-maxcompat", "audio:0:SendRecv,video:1:SendRecv", "0 1", DtlsSetup.ActPass)]
    [InlineData("chromium-audio-video-balanced", "audio:0:SendRecv,video:1:SendRecv", "0 1", DtlsSetup.ActPass)]
    [InlineData("chromium-audio-only", "audio:0:SendRecv", "0", DtlsSetup.ActPass)]
    [InlineData("chromium-screenshare-sendonly", "video:0:SendOnly", "0", DtlsSetup.ActPass)]
    [InlineData("chromium-video-recvonly", "video:0:RecvOnly", "0", DtlsSetup.ActPass)]
    [InlineData("chromium-audio-stereo-munged", "audio:0:SendRecv,video:1:SendRecv", "0 1", DtlsSetup.ActPass)]
    [InlineData("chromium-audio-video-datachannel", "audio:0:SendRecv,video:1:SendRecv,application:2:SendRecv", "0 1 2", DtlsSetup.ActPass)]
    [InlineData("chromium-answer-to-mediaserver-offer", "audio:0:SendRecv,video:1:SendRecv", "0 1", DtlsSetup.Active)]
    [InlineData("firefox-audio-video-maxcompat", "audio:0:SendRecv,video:1:SendRecv", "0 1", DtlsSetup.ActPass)]
    [InlineData("firefox-video-recvonly", "video:0:RecvOnly", "0", DtlsSetup.ActPass)]
    [InlineData("mediaserver-offer", "audio:0:SendRecv,video:1:SendRecv", "0 1", DtlsSetup.ActPass)]
    public void CaptureHasTheExpectedSections(string capture, string sections, string bundle, DtlsSetup setup)
    {
        var sdp = SdpCapture.Parse(capture);

        Assert.Equal(sections, string.Join(',', sdp.Media.Select(m => $"{m.Media}:{m.Mid}:{m.Direction}")));
        Assert.Equal("BUNDLE " + bundle, sdp.FindGroup("BUNDLE")!.ToString());
        Assert.All(sdp.Media, m => Assert.Equal(setup, sdp.GetSetup(m)));
        // A track is announced exactly where the browser sends.
        Assert.All(sdp.Media.Where(m => m.IsRtp), m => Assert.Equal(
            m.Direction is MediaDirection.SendRecv or MediaDirection.SendOnly,
            m.Msid is not null));
    }

    [Fact]
    public void ChromiumOfferFieldsAreRead()
    {
        var sdp = SdpCapture.Parse("chromium-audio-video-maxcompat");
        var audio = sdp.Media[0];
        var video = sdp.Media[1];

        Assert.Equal("-", sdp.OriginUsername);
        Assert.Equal("2", sdp.SessionVersion);
        Assert.False(sdp.IceLite);
        Assert.StartsWith("WMS ", sdp.MsidSemantic, StringComparison.Ordinal);
        Assert.Contains(sdp.OtherAttributes, a => a.Key == "extmap-allow-mixed" && a.Value is null);

        Assert.Equal(MediaKind.Audio, audio.Kind);
        Assert.Equal("UDP/TLS/RTP/SAVPF", audio.Protocol);
        Assert.Equal("192.0.2.2", audio.ConnectionAddress);
        Assert.Equal(4, audio.Candidates.Count);
        var host = audio.Candidates[0];
        Assert.Equal(("udp", "host", "192.0.2.2", audio.Port, 1), (host.Transport, host.Type, host.Address, host.Port, host.Component));
        Assert.Equal("0", host.GetExtension("generation"));
        Assert.Equal("active", audio.Candidates[2].GetExtension("tcptype"));
        Assert.False(audio.EndOfCandidates);
        Assert.Equal(32, sdp.GetFingerprint(audio)!.GetDigest().Length);
        Assert.Equal(sdp.GetIceUfrag(audio), sdp.GetIceUfrag(video));
        Assert.True(audio.RtcpRsize);
        Assert.Contains(audio.OtherAttributes, a => a.Key == "rtcp" && a.Value == "9 IN IP4 0.0.0.0");

        Assert.Equal("111 opus/48000/2", audio.Codecs[0].ToString());
        Assert.Equal(2, audio.Codecs[0].Channels);
        Assert.Equal("minptime=10;useinbandfec=1", audio.Codecs[0].Fmtp);
        Assert.Equal("1", audio.Codecs[0].GetParameter("useinbandfec"));
        Assert.Equal(["transport-cc"], audio.Codecs[0].Feedback);
        Assert.Contains(audio.Codecs, c => c is { PayloadType: 126, IsTelephoneEvent: true, ClockRate: 8000 });
        Assert.Contains(audio.Codecs, c => c is { PayloadType: 110, IsTelephoneEvent: true, ClockRate: 48000 });
        Assert.Equal([1, 2, 3, 4], audio.Extensions.Select(e => e.Id));
        Assert.Equal("urn:ietf:params:rtp-hdrext:ssrc-audio-level", audio.Extensions[0].Uri);

        var ssrc = Assert.Single(audio.GetSsrcs());
        Assert.Contains(audio.Ssrcs, s => s.Ssrc == ssrc && s.Name == "cname" && s.Value!.Length > 0);
        Assert.Contains(audio.Ssrcs, s => s.Ssrc == ssrc && s.Name == "msid" && s.Value == audio.Msid);

        Assert.Equal("96 VP8/90000", video.Codecs[0].ToString());
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], video.Codecs[0].Feedback);
        Assert.Equal("apt=96", video.FindCodec(97)!.Fmtp);
        var fid = Assert.Single(video.SsrcGroups);
        Assert.Equal("FID", fid.Semantics);
        Assert.Equal(fid.Ssrcs, video.GetSsrcs());
        Assert.Equal(11, video.Extensions.Count);
    }

    [Fact]
    public void FirefoxOfferUsesSessionLevelFingerprintAndExtmapDirections()
    {
        var sdp = SdpCapture.Parse("firefox-audio-video-maxcompat");
        var audio = sdp.Media[0];

        Assert.NotNull(sdp.Fingerprint);
        Assert.Null(audio.Fingerprint);
        Assert.Same(sdp.Fingerprint, sdp.GetFingerprint(audio));
        Assert.Equal("WMS *", sdp.MsidSemantic);
        Assert.Contains(sdp.OtherAttributes, a => a.Key == "sendrecv");
        Assert.True(audio.EndOfCandidates);
        Assert.Contains(audio.Candidates, c => c.Component == 2);
        Assert.EndsWith(".local", audio.Candidates[0].Address, StringComparison.Ordinal);
        Assert.Equal("UDP", audio.Candidates[0].Transport);
        Assert.True(audio.Candidates[0].IsUdp);
        Assert.Equal(MediaDirection.RecvOnly, audio.Extensions.Single(e => e.Id == 2).Direction);
        Assert.Equal("109 opus/48000/2", audio.Codecs[0].ToString());
        Assert.Equal("1", audio.Codecs[0].GetParameter("stereo"));
        Assert.Equal(1, audio.FindCodec(9)!.Channels);
    }

    [Fact]
    public void VertoStereoMungingIsReadDespiteTheSpaces()
    {
        var opus = SdpCapture.Parse("chromium-audio-stereo-munged").Media[0].Codecs[0];

        Assert.Equal("minptime=10;useinbandfec=1; stereo=1; sprop-stereo=1", opus.Fmtp);
        Assert.Equal("1", opus.GetParameter("stereo"));
        Assert.Equal("1", opus.GetParameter("sprop-stereo"));
    }

    [Fact]
    public void DataChannelSectionIsKeptAsApplication()
    {
        var data = SdpCapture.Parse("chromium-audio-video-datachannel").Media[2];

        Assert.Equal(MediaKind.Application, data.Kind);
        Assert.Equal("UDP/DTLS/SCTP", data.Protocol);
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Empty(data.Codecs);
        Assert.Equal("5000", data.GetOtherAttribute("sctp-port"));
    }

    [Fact]
    public void UnknownAttributesAndLinesStayInOrder()
    {
        const string Text = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\ni=info\nb=CT:100\nt=0 0\na=zeta:1\na=ice-lite\na=alpha\n"
            + "m=audio 5000 RTP/AVP 0 101\ni=media info\nc=IN IP4 10.0.0.1\nb=AS:64\nb=TIAS:64000\n"
            + "a=x-custom:a b c\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\na=rtcp-fb:* nack\na=ptime:20\n";

        Assert.True(SessionDescription.TryParse(Text, out var sdp, out var error), error);

        Assert.True(sdp!.IceLite);
        Assert.Equal(["zeta", "alpha"], sdp.OtherAttributes.Select(a => a.Key));
        var media = sdp.Media[0];
        Assert.Equal(64, media.Bandwidth);
        Assert.Equal("PCMU", media.Codecs[0].Name);
        Assert.Equal(["nack"], media.Codecs[0].Feedback);
        Assert.Equal(["nack"], media.Codecs[1].Feedback);
        Assert.Equal([new("x-custom", "a b c"), new("ptime", "20")], media.OtherAttributes);
        // The static PCMU gains an rtpmap; everything else is written where it stood.
        var expected = Text.Replace("\n", "\r\n", StringComparison.Ordinal)
            .Replace("a=rtpmap:101", "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=rtcp-fb:* nack\r\na=ptime:20\r\na=sendrecv\r\na=rtpmap:0 PCMU/8000\r\nREST", StringComparison.Ordinal);
        expected = expected[..expected.IndexOf("REST", StringComparison.Ordinal)];
        Assert.Equal(expected, sdp.ToString());
    }

    [Theory]
    [InlineData("", "line 1: expected v=0 line")]
    [InlineData("garbage", "line 1: expected <type>=<value>")]
    [InlineData("\0\0\0", "line 1: expected <type>=<value>")]
    [InlineData("o=- 1 1 IN IP4 1.2.3.4\r\n", "line 1: expected v= line")]
    [InlineData("v=1\r\n", "line 1: expected v=0")]
    [InlineData("v=0\r\ns=-\r\n", "line 2: expected o= line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n", "line 3: expected s= line")]
    [InlineData("v=0\r\no=- 1 IN IP4 1.2.3.4\r\ns=-\r\n", "line 2: bad o= line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio\r\n", "line 5: bad m= line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n", "line 5: bad m= line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 99999 RTP/AVP 0\r\n", "line 5: bad m= line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP opus\r\n", "line 5: bad m= line: payload type 'opus'")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 111\na=rtpmap:111 opus\n", "line 6: bad rtpmap")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 111\na=candidate:1 1 udp x 1.2.3.4 9 typ host\n", "line 6: bad candidate")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\na=fingerprint:sha-256 XY\n", "line 5: bad fingerprint")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=setup:sometimes\n", "line 6: unknown setup 'sometimes'")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\no=- 1 1 IN IP4 1.2.3.4\n", "line 6: o= is not allowed inside a media section")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nx=1\n", "line 5: unknown line type 'x='")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4\n", "line 4: bad c= line")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=video 9 RTP/AVP 96\na=extmap:0 urn:x\n", "line 6: bad extmap")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=video 9 RTP/AVP 96\na=ssrc:abc cname:x\n", "line 6: bad ssrc")]
    [InlineData("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=video 9 RTP/AVP 96\na=:x\n", "line 6: empty attribute name")]
    public void MalformedSdpIsRefusedNamingTheLine(string text, string message)
    {
        Assert.False(SessionDescription.TryParse(text, out var sdp, out var error));
        Assert.Null(sdp);
        Assert.Equal(message, error);
    }

    [Fact]
    public void HugeInputIsRefusedBeforeParsing()
    {
        var text = "v=0\r\n" + new string('a', SessionDescription.MaxLength);

        Assert.False(SessionDescription.TryParse(text, out _, out var error));
        Assert.Contains("at most 262144", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyMediaSectionsAreRefused()
    {
        var text = "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\n" + string.Concat(Enumerable.Repeat("m=audio 9 RTP/AVP 0\n", SessionDescription.MaxMedia + 1));

        Assert.False(SessionDescription.TryParse(text, out _, out var error));
        Assert.Equal("line 69: more than 64 m= lines", error);
    }

    [Theory]
    [InlineData("m=x\rgarbage 9 UDP/TLS/RTP/SAVPF 109\r\na=sendrecv\r\na=sendrecv\r\n", MediaDirection.SendRecv)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 109\r\na=sendonly\r\na=recvonly\r\n", MediaDirection.SendOnly)]
    public void ARepeatedDirectionIsDroppedSoParseWriteParseIsStable(string section, MediaDirection expected)
    {
        // Found by the nightly property run: the repeat was kept as an unknown attribute, which
        // the re-parse of the written text then read as the section's direction.
        var text = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n" + section;

        Assert.True(SessionDescription.TryParse(text, out var sdp, out var error), error);
        Assert.True(SessionDescription.TryParse(sdp!.ToString(), out var again, out error), error);

        Assert.Equal(expected, sdp.Media[0].Direction);
        Assert.Equal(sdp.ToCanonicalString(), again!.ToCanonicalString());
        // At most one direction line (a section of an unknown kind leaves out the default sendrecv).
        Assert.True(sdp.ToString().Split("\r\n").Count(l => l is "a=sendrecv" or "a=sendonly" or "a=recvonly") <= 1, sdp.ToString());
    }

    [Fact]
    public void BlankLinesAndAMissingFinalNewlineAreTolerated()
    {
        Assert.True(SessionDescription.TryParse("v=0\r\n\r\no=- 1 1 IN IP4 1.2.3.4\ns=-\n\nt=0 0\nm=audio 9 RTP/AVP 0", out var sdp, out var error), error);
        Assert.Equal(9, sdp!.Media[0].Port);
    }

    [Theory]
    [InlineData("a=rtcp-fb:* nack\n")]
    [InlineData("a=group:BUNDLE 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9\n")]
    [InlineData("a=ssrc:1 cname:x\na=ssrc:2 cname:y\n")]
    [InlineData("a=candidate:1 1 udp 1 1.2.3.4 9 typ host\n")]
    [InlineData("a=rtpmap:96 VP8/90000\na=fmtp:96 x=1\n")]
    public void PathologicalInputUpToTheSizeLimitIsParsedWrittenAndAnswered(string repeated)
    {
        var head = "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\na=group:BUNDLE 0\nm=video 9 UDP/TLS/RTP/SAVPF "
            + string.Join(' ', Enumerable.Range(0, 128)) + "\na=mid:0\na=rtcp-mux\na=ice-ufrag:u\na=ice-pwd:p\na=fingerprint:sha-256 AB:CD\n";
        var text = head + string.Concat(Enumerable.Repeat(repeated, (SessionDescription.MaxLength * 9 / 10 - head.Length) / repeated.Length));

        // How long this takes is measured by SdpBenchmarks.ParseAnswerLargestRtcpFbWildcard, not
        // asserted here: a timed assertion fails on a loaded CI machine, not on a slow parser.
        Assert.True(SessionDescription.TryParse(text, out var sdp, out var error), error);
        Assert.True(SessionDescription.TryParse(sdp!.ToString(), out _, out error), error);
        OfferAnswer.TryCreateAnswer(sdp, OfferAnswerTests.Options(), out _, out _, out _, out _);
        OfferAnswer.GetRemoteTransport(sdp);
    }
}

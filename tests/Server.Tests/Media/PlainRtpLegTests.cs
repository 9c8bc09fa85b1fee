using System.Collections.Concurrent;
using System.Net;
using MediaServer.Media;
using MediaServer.Mixer.Codecs;
using MediaServer.Observability;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Media;

/// <summary>
/// A plain RTP leg (what a SIP call gets) against a C# phone on 127.0.0.1: echo through the
/// leg's relay, symmetric RTP behind a "NAT" that changes the source port, garbage, wrong
/// payload types and strangers, RFC 4733 digits, RTCP reports, hold by re-INVITE, an outbound
/// offer, and the media timeout.
/// </summary>
public sealed class PlainRtpLegTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task EchoSendsPcmuBackUnderTheLegsSsrcAndReportsReadyOnce()
    {
        using var setup = Setup.Answered();
        var (leg, peer, listener) = (setup.Leg, setup.Peer, setup.Listener);
        leg.Target = leg;

        for (var i = 0; i < 50; i++)
        {
            peer.SendPcmu((ushort)(100 + i), (uint)(160 * i));
        }

        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 45, Wait, "echoed PCMU");
        var echoed = peer.ReceivedRtp;
        Assert.True(RtpPacket.TryParse(echoed[0], out var first));
        Assert.Equal(leg.AudioSsrc, first.Ssrc);
        Assert.Equal(0, first.PayloadType);
        Assert.Equal(160, first.Payload.Length);
        Assert.Equal(1, listener.Ready);
        Assert.True(leg.PlainTransport!.IsLatched);
        Assert.Equal((AudioCodecKind.Pcmu, 1, 8000), leg.AudioCodec);
        Assert.True(leg.IsPlain);
        Assert.Null(leg.Transport);
    }

    [Fact]
    public async Task ThePeerSendingFromAnotherPortThanItsSdpSaidIsLatchedTo()
    {
        using var setup = Setup.Create();
        var (leg, peer) = (setup.Leg, setup.Peer);
        using var sdpSocket = PlainRtpPeer.Bind();
        using var stop = new CancellationTokenSource();
        var atSdpAddress = new ConcurrentQueue<byte[]>();
        _ = PlainRtpPeer.CollectAsync(sdpSocket, atSdpAddress, stop.Token);
        var sdpPort = ((IPEndPoint)sdpSocket.Client.LocalEndPoint!).Port;
        setup.Answer(peer.Offer(sdpPort));

        // Before any packet arrives we can only believe the SDP.
        leg.SendAudio(new byte[160], 160);
        await WaitFor.ConditionAsync(() => atSdpAddress.Count == 1, Wait, "a packet at the SDP address");

        // Behind a NAT the phone's packets come from a port the SDP never named: answer there.
        leg.Target = leg;
        for (var i = 0; i < 20; i++)
        {
            peer.SendPcmu((ushort)i, (uint)(160 * i));
        }

        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 18, Wait, "echo at the real source");
        leg.SendAudio(new byte[160], 160);
        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 19, Wait, "mixer audio at the real source");
        Assert.Single(atSdpAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, peer.RtpPort), leg.PlainTransport!.RemoteRtp);
        Assert.Equal(1, setup.Metrics.PlainRtpLatched);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task GarbageWrongPayloadTypesAndStrangersAreCountedAndTheCallGoesOn()
    {
        using var setup = Setup.Answered();
        var (leg, peer, metrics) = (setup.Leg, setup.Peer, setup.Metrics);
        leg.Target = leg;

        // Before anything latched: junk and PCMA (not agreed) must not latch the leg.
        var random = new Random(11);
        var junk = new byte[300];
        for (var i = 0; i < 100; i++)
        {
            random.NextBytes(junk);
            junk[0] = (byte)(junk[0] & 0x3F);
            peer.Send(junk[..random.Next(1, junk.Length)]);
        }

        for (var i = 0; i < 10; i++)
        {
            peer.SendPcmu((ushort)i, (uint)(160 * i), payloadType: 8);
            peer.SendPcmu((ushort)(500 + i), 0, payloadLength: 0);
        }

        await WaitFor.ConditionAsync(() => metrics.PlainRtpMalformed >= 110 && metrics.PlainRtpWrongPayloadType >= 10, Wait, "drops counted");
        Assert.False(leg.PlainTransport!.IsLatched);

        for (var i = 0; i < 20; i++)
        {
            peer.SendPcmu((ushort)(1000 + i), (uint)(160 * i));
        }

        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 18, Wait, "echo after the junk");

        // Once latched, a third party's packets are refused and nothing is sent to it.
        using var stranger = PlainRtpPeer.Bind();
        using var stop = new CancellationTokenSource();
        var atStranger = new ConcurrentQueue<byte[]>();
        _ = PlainRtpPeer.CollectAsync(stranger, atStranger, stop.Token);
        for (var i = 0; i < 10; i++)
        {
            peer.SendPcmu((ushort)(2000 + i), (uint)(160 * i), from: stranger);
        }

        await WaitFor.ConditionAsync(() => metrics.PlainRtpUnknownSource >= 10, Wait, "strangers counted");
        Assert.Empty(atStranger);
        Assert.Equal(0, metrics.MediaDispatchErrors);
        Assert.Empty(setup.Listener.Failures);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task AKeyPressWithThreeEndPacketsIsOneDigit()
    {
        using var setup = Setup.Answered();
        var (peer, listener) = (setup.Peer, setup.Listener);

        peer.SendPcmu(1, 0);
        peer.PressKey('5', 2, 160);
        peer.SendPcmu(8, 1600);

        // Every packet handled (the redundant end packets included) before counting digits.
        await WaitFor.ConditionAsync(() => setup.Leg.AudioIn.LastPacketMs > 0 && setup.Metrics.PlainRtpPacketsIn >= 8 && listener.DigitCount >= 1, Wait, "the digit");
        await Task.Delay(100);
        Assert.Equal(['5'], listener.Digits);
    }

    [Fact]
    public async Task DigitsInARowAreEachReportedEvenTheSameOneTwice()
    {
        using var setup = Setup.Answered();
        var (peer, listener) = (setup.Peer, setup.Listener);

        ushort sequence = 1;
        uint timestamp = 0;
        foreach (var digit in "1#55*D")
        {
            peer.PressKey(digit, sequence, timestamp);
            sequence += 6;
            timestamp += 1600;
        }

        await WaitFor.ConditionAsync(() => listener.DigitCount >= 6, Wait, "six digits");
        await Task.Delay(100);
        Assert.Equal("1#55*D", new string([.. listener.Digits]));
    }

    [Fact]
    public async Task SenderReportsReachThePeersRtcpPort()
    {
        using var setup = Setup.Answered();
        var (leg, peer) = (setup.Leg, setup.Peer);

        for (var i = 0; i < 10; i++)
        {
            peer.SendPcmu((ushort)i, (uint)(160 * i));
            leg.SendAudio(new byte[160], 160);
        }

        await WaitFor.ConditionAsync(() => leg.AudioIn.HasSsrc && peer.ReceivedRtp.Count >= 10, Wait, "media both ways");
        leg.SendReports(Environment.TickCount64);

        await WaitFor.ConditionAsync(() => peer.ReceivedRtcp.Count >= 1, Wait, "an RTCP report at the phone's RTCP port");
        var reader = new RtcpCompoundReader(peer.ReceivedRtcp[0]);
        Assert.True(reader.TryReadNext(out var packet));
        Assert.True(RtcpSenderReport.TryParse(packet, out var report));
        Assert.Equal(leg.AudioSsrc, report.Ssrc);
        Assert.Equal(10u, report.PacketCount);
        Assert.Equal(1, report.ReportCount);
        Assert.Equal(peer.Ssrc, report.GetReport(0).Ssrc);

        // The phone's own report is taken (its RTCP port latches too) and does not disturb media.
        var rtcp = new byte[100];
        var writer = new RtcpWriter(rtcp);
        Assert.True(writer.TryWriteReceiverReport(peer.Ssrc, []));
        peer.SendRtcp(rtcp[..writer.Length]);
        await WaitFor.ConditionAsync(() => setup.Metrics.PlainRtpPacketsIn >= 11, Wait, "the phone's RTCP");
        Assert.Empty(setup.Listener.Failures);
    }

    [Fact]
    public async Task UnderRtcpMuxReportsGoToTheRtpPort()
    {
        using var setup = Setup.Create();
        var (leg, peer) = (setup.Leg, setup.Peer);
        setup.Answer(peer.Offer(rtcpMux: true));
        Assert.True(leg.PlainMedia!.RtcpMux);
        peer.Muxed = true;

        leg.SendAudio(new byte[160], 160);
        leg.SendReports(Environment.TickCount64);

        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 2, Wait, "RTP and RTCP on one port");
        Assert.Contains(peer.ReceivedRtp, p => p[1] == 200);
        Assert.Empty(peer.ReceivedRtcp);
    }

    [Fact]
    public async Task HoldAndUnholdByReInviteStopAndResumeSendingWithRisingVersions()
    {
        using var setup = Setup.Answered();
        var (leg, peer) = (setup.Leg, setup.Peer);
        Assert.Equal("1", setup.LastAnswer!.SessionVersion);

        // The phone puts us on hold: we stop sending, and say recvonly.
        var held = setup.Answer(peer.Offer(direction: "sendonly", version: 2));
        Assert.Equal("2", held.SessionVersion);
        Assert.Equal(setup.LastAnswerSessionId, held.SessionId);
        Assert.Equal(MediaDirection.RecvOnly, held.Media[0].Direction);
        Assert.True(leg.PlainMedia!.RemoteHold);
        leg.SendAudio(new byte[160], 160);

        // A session refresh with the same offer gets the same answer, version and all (RFC 3264 §8).
        var refresh = setup.Answer(peer.Offer(direction: "sendonly", version: 2));
        Assert.Equal("2", refresh.SessionVersion);

        // Unhold: sending resumes.
        var resumed = setup.Answer(peer.Offer(version: 3));
        Assert.Equal("3", resumed.SessionVersion);
        Assert.Equal(MediaDirection.SendRecv, resumed.Media[0].Direction);
        leg.SendAudio(new byte[160], 160);
        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 1, Wait, "audio after unhold");
        await Task.Delay(100);
        Assert.Single(peer.ReceivedRtp);

        // We hold the phone: our re-INVITE offers sendonly.
        leg.Held = true;
        var offer = leg.CreatePlainOffer();
        Assert.Equal(MediaDirection.SendOnly, offer.Media[0].Direction);
        Assert.Equal("4", offer.SessionVersion);
        Assert.Equal(leg.LocalRtpPort, offer.Media[0].Port);
    }

    [Fact]
    public async Task ReInviteWithZeroAddressHoldsAndTheSameAddressKeepsTheLatch()
    {
        using var setup = Setup.Answered();
        var (leg, peer) = (setup.Leg, setup.Peer);
        leg.Target = leg;
        peer.SendPcmu(1, 0);
        await WaitFor.ConditionAsync(() => leg.PlainTransport!.IsLatched, Wait, "latched");

        setup.Answer(peer.Offer(address: "0.0.0.0", version: 2));
        Assert.Null(leg.PlainMedia!.RemoteRtp);
        Assert.Equal(MediaDirection.RecvOnly, leg.PlainMedia.LocalDirection);

        setup.Answer(peer.Offer(version: 3));
        Assert.True(leg.PlainTransport!.IsLatched);
        peer.SendPcmu(2, 160);
        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 1, Wait, "echo after unhold");
    }

    [Fact]
    public async Task AReInviteThatMovesOnlyRtcpIsFollowedWhileRtpKeepsItsLatch()
    {
        using var setup = Setup.Answered();
        var (leg, peer) = (setup.Leg, setup.Peer);
        peer.SendPcmu(1, 0);
        await WaitFor.ConditionAsync(() => leg.PlainTransport!.IsLatched, Wait, "latched");
        using var newRtcp = PlainRtpPeer.Bind();
        using var stop = new CancellationTokenSource();
        var atNewRtcp = new ConcurrentQueue<byte[]>();
        _ = PlainRtpPeer.CollectAsync(newRtcp, atNewRtcp, stop.Token);
        var newPort = ((IPEndPoint)newRtcp.Client.LocalEndPoint!).Port;

        setup.Answer(peer.Offer(version: 2).Replace($"a=rtcp:{peer.RtcpPort}", $"a=rtcp:{newPort}", StringComparison.Ordinal));
        leg.SendReports(Environment.TickCount64);

        await WaitFor.ConditionAsync(() => !atNewRtcp.IsEmpty, Wait, "RTCP at the new port");
        Assert.True(leg.PlainTransport!.IsLatched);
        Assert.Empty(peer.ReceivedRtcp);
        await stop.CancelAsync();
    }

    [Fact]
    public void AFailedReOfferChangesNothing()
    {
        using var setup = Setup.Answered();
        var leg = setup.Leg;

        var g722Only = setup.Peer.Offer(version: 2).Replace("RTP/AVP 0 101", "RTP/AVP 9", StringComparison.Ordinal);
        Assert.True(SessionDescription.TryParse(g722Only, out var offer, out _));
        Assert.False(leg.TryAnswerPlain(offer!, out var answer, out var failure, out var error));

        Assert.Null(answer);
        Assert.Equal(NegotiationFailure.NoCommonCodec, failure);
        Assert.NotNull(error);
        Assert.Equal("PCMU", leg.PlainMedia!.Codec.Name);
        Assert.Equal("2", setup.Answer(setup.Peer.Offer(direction: "inactive", version: 2)).SessionVersion);
    }

    [Fact]
    public async Task AnOutboundOfferAndItsAnswerStartMedia()
    {
        using var setup = Setup.Create();
        var (leg, peer) = (setup.Leg, setup.Peer);

        var offer = leg.CreatePlainOffer();
        Assert.Equal("1", offer.SessionVersion);
        Assert.Equal(["0", "8", "101"], offer.Media[0].Formats);
        Assert.True(SessionDescription.TryParse(offer.ToString(), out var parsed, out _));
        var phone = new PlainRtpOptions { Address = IPAddress.Loopback, Port = peer.RtpPort, Codecs = CodecListOf("pcma"), RtcpMux = false };
        Assert.True(PlainRtpOfferAnswer.TryCreateAnswer(parsed!, phone, out var answer, out _, out _, out _));
        Assert.True(SessionDescription.TryParse(answer!.ToString(), out var parsedAnswer, out _));

        Assert.True(leg.TryApplyPlainAnswer(parsedAnswer!, out var failure, out var error), $"{failure}: {error}");
        Assert.Equal((AudioCodecKind.Pcma, 1, 8000), leg.AudioCodec);
        leg.SendAudio(new byte[160], 160);

        await WaitFor.ConditionAsync(() => peer.ReceivedRtp.Count >= 1, Wait, "PCMA at the phone");
        Assert.True(RtpPacket.TryParse(peer.ReceivedRtp[0], out var packet));
        Assert.Equal(8, packet.PayloadType);
        Assert.True(packet.Marker);
    }

    [Fact]
    public void PlainAndWebRtcNegotiationDoNotMix()
    {
        using var setup = Setup.Create();
        var leg = setup.Leg;

        Assert.False(leg.TryAnswer(new SessionDescription(), stereo: false, out _, out var failure, out _));
        Assert.Equal(NegotiationFailure.UnsupportedTransport, failure);
        Assert.Throws<InvalidOperationException>(() => leg.CreateOffer(true, false, null, false));
        Assert.False(leg.TryApplyPlainAnswer(new SessionDescription(), out failure, out _));
        Assert.Equal(NegotiationFailure.NoMedia, failure);
    }

    [Fact]
    public async Task APhoneThatFallsSilentEndsTheLegWithRtpTimeout()
    {
        var metrics = new ServerMetrics();
        var pool = TestRtpPorts.Pool(metrics);
        pool.RtpTimeoutMs = 1500;
        using var setup = Setup.Answered(pool);
        setup.Peer.SendPcmu(1, 0);

        await WaitFor.ConditionAsync(() => !setup.Listener.Failures.IsEmpty, TimeSpan.FromSeconds(6), "the media timeout");
        var (failure, reason) = Assert.Single(setup.Listener.Failures);
        Assert.Equal(TransportFailure.RtpTimeout, failure);
        Assert.Contains("no RTP", reason, StringComparison.Ordinal);
        Assert.Equal(1, metrics.PlainRtpTimeouts);
    }

    [Theory]
    [InlineData("inactive", "127.0.0.1")]
    [InlineData("recvonly", "127.0.0.1")]
    [InlineData("sendonly", "127.0.0.1")]
    [InlineData("sendrecv", "0.0.0.0")]
    public void APhoneThatHoldsOrSaysItSendsNothingIsNotTimedOut(string direction, string address)
    {
        using var setup = Setup.Create();
        setup.Answer(setup.Peer.Offer(direction: direction, address: address));

        setup.Leg.PlainTransport!.OnTick(Environment.TickCount64 + 120_000);

        Assert.Empty(setup.Listener.Failures);
    }

    [Fact]
    public void TheTimeoutCountsFromTheAnswerEvenWhenNothingEverArrived()
    {
        using var setup = Setup.Answered();

        setup.Leg.PlainTransport!.OnTick(Environment.TickCount64 + 59_000);
        Assert.Empty(setup.Listener.Failures);
        setup.Leg.PlainTransport.OnTick(Environment.TickCount64 + 61_000);
        setup.Leg.PlainTransport.OnTick(Environment.TickCount64 + 62_000);

        Assert.Equal(TransportFailure.RtpTimeout, Assert.Single(setup.Listener.Failures).Failure);
    }

    [Fact]
    public void DisposingTheLegGivesItsPortsBack()
    {
        var pool = TestRtpPorts.Pool();
        var setup = Setup.Answered(pool);
        var port = setup.Leg.LocalRtpPort;
        Assert.Equal(0, port % 2);
        Assert.Equal(1, pool.InUse);

        setup.Dispose();

        Assert.Equal(0, pool.InUse);
        using var rebind = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, port));
    }

    internal static CodecList CodecListOf(string names)
    {
        Assert.True(CodecList.TryParse(names, out var list, out var error), error);
        return list!;
    }

    /// <summary>A plain leg on a pool of its own, a phone, and what the leg reported.</summary>
    internal sealed class Setup : IDisposable
    {
        private Setup(RtpPortPool pool)
        {
            Pool = pool;
            Metrics = pool.Metrics;
            Assert.True(MediaLeg.TryCreatePlain(pool, IPAddress.Loopback, CodecListOf("pcmu,pcma"), Listener, "plain-test", out var leg));
            Leg = leg;
            Peer = new PlainRtpPeer { ServerPort = leg.LocalRtpPort };
        }

        public RtpPortPool Pool { get; }

        public ServerMetrics Metrics { get; }

        public RecordingLegListener Listener { get; } = new();

        public MediaLeg Leg { get; }

        public PlainRtpPeer Peer { get; }

        public SessionDescription? LastAnswer { get; private set; }

        public string? LastAnswerSessionId { get; private set; }

        public static Setup Create(RtpPortPool? pool = null) => new(pool ?? TestRtpPorts.Pool());

        /// <summary>A leg that answered the phone's ordinary offer (PCMU, telephone-event, a=rtcp).</summary>
        public static Setup Answered(RtpPortPool? pool = null)
        {
            var setup = Create(pool);
            setup.Answer(setup.Peer.Offer());
            return setup;
        }

        public SessionDescription Answer(string offerText)
        {
            Assert.True(SessionDescription.TryParse(offerText, out var offer, out var parseError), parseError);
            Assert.True(Leg.TryAnswerPlain(offer!, out var answer, out var failure, out var error), $"{failure}: {error}");
            Assert.True(SessionDescription.TryParse(answer!.ToString(), out var parsed, out parseError), parseError);
            LastAnswer = parsed;
            LastAnswerSessionId ??= parsed!.SessionId;
            return parsed!;
        }

        public void Dispose()
        {
            Leg.Dispose();
            Peer.Dispose();
        }
    }
}

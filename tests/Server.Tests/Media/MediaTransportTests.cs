using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Stun;
using MediaServer.Tests.Calls;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Media;

/// <summary>
/// The server's WebRTC transport against a C# peer that does exactly what a browser does
/// on the wire (and what a browser never would): ICE checks with USE-CANDIDATE, a DTLS
/// client with its own certificate, SRTP both ways through the echo extension, wrong
/// passwords, a lying fingerprint, and garbage on the media port.
/// </summary>
public sealed class MediaTransportTests
{
    [Fact]
    public async Task EchoSendsOurOwnRtpBackUnderTheServersSsrcThroughDtlsSrtp()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = await StartEchoAsync(alice, "echo-peer-1");

        var opus = (byte)peer.PayloadTypeOf("opus");
        var serverAudioSsrc = peer.Answer!.Media[0].Ssrcs[0].Ssrc;
        var payload = new byte[80];
        for (var i = 0; i < 50; i++)
        {
            payload[0] = (byte)i;
            peer.SendRtp(opus, (ushort)(1000 + i), (uint)(960 * i), peer.AudioSsrc, payload);
        }

        await WaitFor.ConditionAsync(() => peer.Received.Count(IsRtp) >= 45, TimeSpan.FromSeconds(5), "echoed packets");
        var echoed = peer.Received.Where(IsRtp).ToList();
        Assert.True(RtpPacket.TryParse(echoed[0], out var first));
        Assert.Equal(serverAudioSsrc, first.Ssrc);
        Assert.Equal(opus, first.PayloadType);
        Assert.Equal(80, first.Payload.Length);

        // Sequence numbers continue one by one under the new SSRC.
        var sequences = echoed.Select(p => { RtpPacket.TryParse(p, out var r); return r.SequenceNumber; }).ToList();
        for (var i = 1; i < sequences.Count; i++)
        {
            Assert.True(RtpSequence.Difference(sequences[i], sequences[i - 1]) >= 1);
        }

        Assert.Equal(0, server.Verto.Metrics.SrtpDropped);
    }

    [Fact]
    public async Task AConnectivityCheckWithTheWrongPasswordIsRefusedWith401()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = new WebRtcTestPeer();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = CallSignallingTests.Dialog("bad-ice", "9196") });
        var answer = await CallSignallingTests.ReceiveRequestAsync(alice, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);

        Assert.Equal(StunClass.ErrorResponse, await peer.CheckAsync(wrongPassword: "not-the-password"u8.ToArray()));
        Assert.True(server.Verto.Metrics.StunRejected >= 1);
        Assert.Equal(StunClass.SuccessResponse, await peer.CheckAsync());
    }

    [Fact]
    public async Task ACertificateThatDoesNotMatchTheSdpFingerprintEndsTheCallWithAClearCause()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = new WebRtcTestPeer
        {
            // Any other certificate's fingerprint: the one we present will not match it.
            OfferedFingerprint = string.Join(':', RandomNumberGenerator.GetBytes(32).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))),
        };
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = CallSignallingTests.Dialog("bad-dtls", "9196") });
        var answer = await CallSignallingTests.ReceiveRequestAsync(alice, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        Assert.Equal(StunClass.SuccessResponse, await peer.CheckAsync());
        var handshake = peer.HandshakeAsync();

        var bye = await CallSignallingTests.ReceiveRequestAsync(alice, "verto.bye");
        Assert.Equal("SRTP_READ_ERROR", bye.GetProperty("cause").GetString());
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        Assert.True(server.Verto.Metrics.DtlsFailures >= 1);
        Assert.Equal(0, server.Verto.Calls!.Count);
    }

    [Fact]
    public async Task GarbageAndForgedPacketsOnTheMediaPortAreCountedAndTheCallGoesOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = await StartEchoAsync(alice, "garbage-1");
        var opus = (byte)peer.PayloadTypeOf("opus");

        var random = new Random(7);
        var junk = new byte[200];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(junk);
            peer.SendRaw(junk.AsSpan(0, random.Next(1, junk.Length)));
        }

        // RTP-looking packets with a made-up authentication tag: SRTP must drop and count them.
        var forged = new byte[100];
        for (var i = 0; i < 50; i++)
        {
            RtpHeader.TryWrite(forged, false, opus, (ushort)(5000 + i), 0, peer.AudioSsrc, out _);
            peer.SendRaw(forged);
        }

        for (var i = 0; i < 20; i++)
        {
            peer.SendRtp(opus, (ushort)(2000 + i), (uint)(960 * i), peer.AudioSsrc, new byte[40]);
        }

        await WaitFor.ConditionAsync(() => peer.Received.Count(IsRtp) >= 18, TimeSpan.FromSeconds(5), "real packets still echoed");
        Assert.True(server.Verto.Metrics.SrtpDropped >= 50, $"SRTP drops counted: {server.Verto.Metrics.SrtpDropped}");
        Assert.True(server.Verto.Metrics.MediaMalformed + server.Verto.Metrics.StunRejected > 0);
        Assert.Equal(0, server.Verto.Metrics.MediaDispatchErrors);
        Assert.Equal(1, server.Verto.Calls!.Count);
    }

    [Fact]
    public async Task NacksAreAnsweredFromHistoryAndKeyFrameRequestsReachTheSender()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = await StartEchoAsync(alice, "rtcp-1");
        var vp8 = (byte)peer.PayloadTypeOf("vp8");
        var serverVideoSsrc = peer.Answer!.Media[1].Ssrcs[0].Ssrc;
        var seen = 0;
        ushort? lost = null;
        peer.DropIncoming = (ssrc, sequence) =>
        {
            // Lose the 11th echoed video packet once, as a network would.
            if (ssrc != serverVideoSsrc || lost is not null || ++seen != 11)
            {
                return false;
            }

            lost = sequence;
            return true;
        };
        for (var i = 0; i < 30; i++)
        {
            peer.SendRtp(vp8, (ushort)(7000 + i), (uint)(3000 * i), peer.VideoSsrc, new byte[300], marker: true);
        }

        await WaitFor.ConditionAsync(() => VideoFrom(peer, serverVideoSsrc).Count >= 29, TimeSpan.FromSeconds(5), "echoed video");
        Assert.NotNull(lost);
        Assert.DoesNotContain(lost.Value, VideoFrom(peer, serverVideoSsrc));

        // The echo's receiver (us) reports a packet lost and asks for a keyframe.
        var rtcp = new byte[200];
        var writer = new MediaServer.Protocol.Rtcp.RtcpWriter(rtcp);
        Assert.True(writer.TryWriteReceiverReport(peer.VideoSsrc, []));
        Assert.True(writer.TryWriteGenericNack(peer.VideoSsrc, serverVideoSsrc, [lost.Value]));
        Assert.True(writer.TryWritePictureLossIndication(peer.VideoSsrc, serverVideoSsrc));
        peer.SendRtcp(rtcp.AsSpan(0, writer.Length));

        await WaitFor.ConditionAsync(() => VideoFrom(peer, serverVideoSsrc).Contains(lost.Value), TimeSpan.FromSeconds(5), "the retransmission");
        // Counted once the send succeeded, so the packet can arrive a moment before the count.
        await WaitFor.ConditionAsync(() => server.Verto.Metrics.Retransmissions >= 1, TimeSpan.FromSeconds(2), "the retransmission to be counted");

        // The keyframe request goes to the video's source: for echo, back to us, about our own SSRC.
        await WaitFor.ConditionAsync(() => peer.Received.Any(p => IsPliFor(p, peer.VideoSsrc)), TimeSpan.FromSeconds(5), "a PLI about our video");
    }

    [Fact]
    public async Task ALegWhoseConsentLapsesIsEndedWithMediaTimeout()
    {
        await using var server = await TestServer.StartAsync();
        server.Host.Media.ConsentTimeoutMs = 2000;
        await using var alice = await server.LoginAsync();
        using var peer = await StartEchoAsync(alice, "consent-1");

        // The peer never sends another check, like a browser tab that vanished without a bye.
        var bye = await CallSignallingTests.ReceiveRequestAsync(alice, "verto.bye");
        Assert.Equal("MEDIA_TIMEOUT", bye.GetProperty("cause").GetString());
        Assert.Equal(0, server.Verto.Calls!.Count);
        await WaitFor.ConditionAsync(() => server.Host.Media.TransportCount == 0, what: "transport released");
    }

    private static List<ushort> VideoFrom(WebRtcTestPeer peer, uint ssrc) =>
        peer.Received.Where(IsRtp).Select(p => { RtpPacket.TryParse(p, out var r); return (r.Ssrc, r.SequenceNumber); })
            .Where(x => x.Ssrc == ssrc).Select(x => x.SequenceNumber).ToList();

    private static bool IsPliFor(byte[] packet, uint mediaSsrc)
    {
        var reader = new MediaServer.Protocol.Rtcp.RtcpCompoundReader(packet);
        while (reader.TryReadNext(out var rtcp))
        {
            if (MediaServer.Protocol.Rtcp.RtcpFeedback.TryParse(rtcp, out var feedback) && feedback.IsPictureLossIndication && feedback.MediaSsrc == mediaSsrc)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Places an echo call from the peer and brings its media up: answer, ICE, DTLS.</summary>
    private static async Task<WebRtcTestPeer> StartEchoAsync(VertoTestClient client, string callId)
    {
        var peer = new WebRtcTestPeer();
        await client.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(), ["dialogParams"] = CallSignallingTests.Dialog(callId, "9196") });
        var answer = await CallSignallingTests.ReceiveRequestAsync(client, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        Assert.Equal(StunClass.SuccessResponse, await peer.CheckAsync());
        var keys = await peer.HandshakeAsync();
        Assert.Equal(MediaServer.Media.Dtls.SrtpProfile.AeadAes128Gcm, keys.Profile);
        // The server's SRTP keys exist once its side of the handshake finished too.
        await Task.Delay(200);
        return peer;
    }

    private static bool IsRtp(byte[] packet) => packet.Length >= 12 && (packet[1] & 0x7F) is < 72 or > 79 && packet[1] is < 192 or > 223;
}

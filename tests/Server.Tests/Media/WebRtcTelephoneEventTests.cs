using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Stun;
using MediaServer.Tests.Calls;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Media;

/// <summary>A browser's RFC 4733 DTMF (RTCDTMFSender) takes the same RTP path as a SIP phone's: one digit per key press on the call.</summary>
public sealed class WebRtcTelephoneEventTests
{
    [Fact]
    public async Task TelephoneEventsFromABrowserBecomeDigitsOnTheCall()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        using var peer = new WebRtcTestPeer();
        await alice.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(video: false), ["dialogParams"] = CallSignallingTests.Dialog("dtmf-1", "9196") });
        var answer = await CallSignallingTests.ReceiveRequestAsync(alice, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        Assert.Equal(StunClass.SuccessResponse, await peer.CheckAsync());
        await peer.HandshakeAsync();
        await Task.Delay(200);

        var call = server.Verto.Calls!.Find("dtmf-1");
        Assert.NotNull(call);
        var digits = new ConcurrentQueue<char>();
        call.TelephoneEvent += (c, digit) =>
        {
            Assert.Same(call, c);
            digits.Enqueue(digit);
        };

        var events = (byte)peer.PayloadTypeOf("telephone-event");
        var payload = new byte[TelephoneEvent.Size];
        ushort sequence = 100;
        uint timestamp = 48_000;
        foreach (var digit in "9#")
        {
            var code = (byte)TelephoneEvent.FromDigit(digit)!.Value;
            for (var i = 0; i < 6; i++)
            {
                var end = i >= 3;
                Assert.True(new TelephoneEvent(code, end, 10, (ushort)(960 * (i + 1))).TryWrite(payload, out _));
                peer.SendRtp(events, sequence++, timestamp, peer.AudioSsrc, payload, marker: i == 0);
            }

            timestamp += 9600;
        }

        await WaitFor.ConditionAsync(() => digits.Count >= 2, TimeSpan.FromSeconds(5), "two digits");
        await Task.Delay(100);
        Assert.Equal("9#", new string([.. digits]));
    }
}

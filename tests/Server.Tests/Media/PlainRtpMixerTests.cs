using MediaServer.Media;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Runtime;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtp;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Media;

/// <summary>
/// Two plain legs in one audio mix, wired the way a conference wires its members (the leg's
/// codec picks the mixer's decoder and encoder, the leg's AudioInput is the mixer member,
/// the member's frames go out through SendAudio): a tone one phone sends in PCMU is heard by
/// the other, G.711 both ways, without anything WebRTC-specific in the path.
/// </summary>
public sealed class PlainRtpMixerTests
{
    [Fact]
    public async Task AToneFromOnePhoneIsHeardByTheOtherThroughTheMixer()
    {
        using var talker = PlainRtpLegTests.Setup.Answered();
        using var hearer = PlainRtpLegTests.Setup.Answered();
        var metrics = new MixerMetrics();
        using var clock = new MixerClock(metrics, threads: 1);
        var mixer = new AudioMixer(metrics);
        Join(mixer, 1, talker.Leg);
        Join(mixer, 2, hearer.Leg);
        clock.Register(mixer);

        try
        {
            var tone = new byte[160];
            var sample = 0;
            for (var packet = 0; packet < 100; packet++)
            {
                for (var i = 0; i < tone.Length; i++, sample++)
                {
                    tone[i] = G711.LinearToUlaw((short)(8000 * Math.Sin(2 * Math.PI * 1000 * sample / 8000.0)));
                }

                talker.Peer.Send(PlainRtpPeer.Packet(0, (ushort)packet, (uint)(160 * packet), talker.Peer.Ssrc, tone, marker: packet == 0));
                await Task.Delay(20);
                if (Loudest(hearer.Peer) > 2000)
                {
                    break;
                }
            }

            await WaitFor.ConditionAsync(() => Loudest(hearer.Peer) > 2000, TimeSpan.FromSeconds(5), "the tone at the other phone");
            Assert.True(RtpPacket.TryParse(hearer.Peer.ReceivedRtp[^1], out var heard));
            Assert.Equal(0, heard.PayloadType);
            Assert.Equal(hearer.Leg.AudioSsrc, heard.Ssrc);
            Assert.Equal(160, heard.Payload.Length);
        }
        finally
        {
            clock.Unregister(mixer);
        }
    }

    private static void Join(AudioMixer mixer, int id, MediaLeg leg)
    {
        var (kind, channels, clockRate) = leg.AudioCodec!.Value;
        Assert.Equal(AudioCodecKind.Pcmu, kind);
        var member = mixer.AddMember(id, kind, channels, clockRate, AudioCodecSettings.G711(kind), energyThreshold: 100, new LegOutput(leg));
        leg.AudioInput = member;
    }

    /// <summary>The loudest sample of the PCMU the phone received so far.</summary>
    private static int Loudest(PlainRtpPeer peer)
    {
        var loudest = 0;
        foreach (var datagram in peer.ReceivedRtp)
        {
            if (RtpPacket.TryParse(datagram, out var packet) && packet.PayloadType == 0)
            {
                foreach (var code in packet.Payload)
                {
                    loudest = Math.Max(loudest, Math.Abs((int)G711.UlawToLinear(code)));
                }
            }
        }

        return loudest;
    }

    /// <summary>What ConferenceMember does with the mixer's frames: they go out on the call's leg.</summary>
    private sealed class LegOutput(MediaLeg leg) : IMixerMemberListener
    {
        public void OnAudioFrame(MixerMember member, ReadOnlySpan<byte> payload, int timestampUnits) => leg.SendAudio(payload, timestampUnits);

        public void OnTalkingChanged(MixerMember member, bool talking, int energy)
        {
        }
    }
}

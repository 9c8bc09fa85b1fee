using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Stun;
using MediaServer.Tests.Infrastructure;
using Xunit;

namespace MediaServer.Tests.Security;

/// <summary>
/// A flood at the media port while a conference runs: random bytes, STUN checks with an unknown
/// ufrag or a wrong password, RTP-looking packets from ports no ICE check validated, and SRTP
/// with the wrong keys from a member's own address. The members keep hearing each other at full
/// strength with nothing missing, and every flood packet shows up in /metrics.
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class UdpFloodTests
{
    private const int Amplitude = 8000;
    private const double AliceHz = 440;
    private const double BobHz = 700;

    // 150 rounds of 20 ms: about 3 s. Per round, from four flood sockets and Alice's own one.
    private const int Rounds = 150;
    private const int RandomPerRound = 12;
    private const int UnknownUfragPerRound = 4;
    private const int BadIntegrityPerRound = 4;
    private const int RtpPerRound = 12;
    private const int ForgedSrtpPerRound = 4;

    [Fact]
    public async Task AFloodAtTheMediaPortLeavesTheConferenceUntouchedAndIsCounted()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3500");
        await using var bob = await ConferenceParticipant.JoinAsync(server, "1001", TestServer.BobPassword, "3500");
        alice.SendTone(AliceHz, Amplitude);
        bob.SendTone(BobHz, Amplitude);
        await WaitFor.ConditionAsync(() => bob.ReceivedToneAmplitude(AliceHz) > Amplitude / 4.0, TimeSpan.FromSeconds(10), "bob hears alice");
        await WaitFor.ConditionAsync(() => alice.ReceivedToneAmplitude(BobHz) > Amplitude / 4.0, TimeSpan.FromSeconds(10), "alice hears bob");

        var before = ParseCounters(await server.MetricsAsync());
        var aliceBefore = alice.ReceivedAudioPackets();
        var bobBefore = bob.ReceivedAudioPackets();
        var clock = Stopwatch.StartNew();
        var sent = await FloodAsync(server.Host.MediaPort, alice);
        var floodSeconds = clock.Elapsed.TotalSeconds;
        var aliceDuring = alice.ReceivedAudioPackets() - aliceBefore;
        var bobDuring = bob.ReceivedAudioPackets() - bobBefore;

        // Both still hear each other at full strength, and what the server sent them during the
        // flood kept the 50 packets/s pace without a single missing sequence number.
        Assert.Equal(0, alice.AudioSequenceGaps(aliceDuring));
        Assert.Equal(0, bob.AudioSequenceGaps(bobDuring));
        Assert.True(bob.ReceivedToneAmplitude(AliceHz) > Amplitude / 4.0, $"bob hears alice at {bob.ReceivedToneAmplitude(AliceHz):F0}");
        Assert.True(alice.ReceivedToneAmplitude(BobHz) > Amplitude / 4.0, $"alice hears bob at {alice.ReceivedToneAmplitude(BobHz):F0}");
        Assert.InRange(aliceDuring, (int)(floodSeconds * 50 * 0.85), (int)(floodSeconds * 50 * 1.15) + 2);
        Assert.InRange(bobDuring, (int)(floodSeconds * 50 * 0.85), (int)(floodSeconds * 50 * 1.15) + 2);

        // Every flood packet is counted (loopback may lose a few under load; none is counted twice).
        var after = ParseCounters(await server.MetricsAsync());
        long Rise(string name) => after[name] - before[name];
        var stunRejected = Rise("mediaserver_stun_rejected_total");
        var srtpDropped = Rise("mediaserver_srtp_dropped_total");
        var refusedAtTheDoor = Rise("mediaserver_media_malformed_total") + Rise("mediaserver_media_unknown_source_total");
        Assert.InRange(stunRejected, (long)(sent.Stun * 0.95), sent.Stun);
        Assert.InRange(srtpDropped, (long)(sent.ForgedSrtp * 0.95), sent.ForgedSrtp);
        Assert.InRange(refusedAtTheDoor, (long)((sent.Random + sent.Rtp) * 0.95), sent.Random + sent.Rtp);
        Assert.Equal(0, Rise("mediaserver_media_dispatch_errors_total"));
        Assert.True(Rise("mediaserver_media_packets_in_total") >= (long)(sent.Total * 0.95));
    }

    /// <summary>Sends the flood, paced over about 3 s; returns how many of each kind went out.</summary>
    private static async Task<FloodCounts> FloodAsync(int mediaPort, ConferenceParticipant member)
    {
        var target = new IPEndPoint(IPAddress.Loopback, mediaPort);
        var sockets = Enumerable.Range(0, 4).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ToArray();
        try
        {
            foreach (var socket in sockets)
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            var serverUfrag = OfferAnswer.GetRemoteTransport(member.Peer.Answer!)!.IceUfrag;
            var random = new Random(8123);
            var buffer = new byte[1200];
            var counts = new FloodCounts();
            for (var round = 0; round < Rounds; round++)
            {
                var socket = sockets[round % sockets.Length];
                for (var i = 0; i < RandomPerRound; i++)
                {
                    var length = random.Next(1, buffer.Length);
                    random.NextBytes(buffer.AsSpan(0, length));
                    if (buffer[0] < 4)
                    {
                        // A first byte that says STUN would, with luck, parse: keep random bytes random-looking only.
                        buffer[0] = 0xFF;
                    }

                    socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, target);
                    counts.Random++;
                }

                for (var i = 0; i < UnknownUfragPerRound; i++)
                {
                    socket.SendTo(Stun(buffer, $"nosuchufrag{random.Next()}:x", random), SocketFlags.None, target);
                    counts.Stun++;
                }

                for (var i = 0; i < BadIntegrityPerRound; i++)
                {
                    socket.SendTo(Stun(buffer, $"{serverUfrag}:x", random), SocketFlags.None, target);
                    counts.Stun++;
                }

                for (var i = 0; i < RtpPerRound; i++)
                {
                    socket.SendTo(RtpLooking(buffer, (uint)random.Next(), random), SocketFlags.None, target);
                    counts.Rtp++;
                }

                for (var i = 0; i < ForgedSrtpPerRound; i++)
                {
                    // From the member's own, validated address, with its own SSRC: only the keys are wrong.
                    member.Peer.SendRaw(RtpLooking(buffer, member.Peer.AudioSsrc, random));
                    counts.ForgedSrtp++;
                }

                await Task.Delay(20);
            }

            return counts;
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>A binding request for <paramref name="username"/> whose MESSAGE-INTEGRITY uses a password nobody has.</summary>
    private static byte[] Stun(byte[] buffer, string username, Random random)
    {
        var transaction = new byte[12];
        random.NextBytes(transaction);
        var wrongPassword = new byte[22];
        random.NextBytes(wrongPassword);
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, transaction);
        writer.AddUsername(Encoding.ASCII.GetBytes(username));
        writer.AddPriority(0x6E7F1EFF);
        writer.AddIceControlling((ulong)random.NextInt64());
        writer.AddMessageIntegrity(wrongPassword);
        writer.AddFingerprint();
        return buffer.AsSpan(0, writer.Length).ToArray();
    }

    /// <summary>A version-2 RTP header (payload type outside the RTCP range) and random payload and "tag".</summary>
    private static byte[] RtpLooking(byte[] buffer, uint ssrc, Random random)
    {
        var length = random.Next(40, 300);
        random.NextBytes(buffer.AsSpan(0, length));
        buffer[0] = 0x80;
        buffer[1] = (byte)(random.Next(0, 2) == 0 ? 111 : 0x80 | 111);
        RtpHeader.SetSsrc(buffer, ssrc);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>The unlabelled counters of a Prometheus text page.</summary>
    private static Dictionary<string, long> ParseCounters(string text)
    {
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (line.StartsWith("mediaserver_", StringComparison.Ordinal) && space > 0 && !line.Contains('{', StringComparison.Ordinal)
                && long.TryParse(line[(space + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                counters[line[..space]] = value;
            }
        }

        return counters;
    }

    private sealed class FloodCounts
    {
        public int Random;
        public int Stun;
        public int Rtp;
        public int ForgedSrtp;

        public int Total => Random + Stun + Rtp + ForgedSrtp;
    }
}

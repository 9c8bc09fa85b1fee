using MediaServer.Mixer.Audio;
using static MediaServer.Mixer.Audio.JitterBufferResult;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>
/// The jitter buffer in simulated time: ordering, loss, lateness, duplicates, pauses, resets and
/// wrap-around, each from a scripted stream of 20 ms Opus packets at 48 kHz.
/// </summary>
public class JitterBufferTests
{
    private static List<ushort> Played(IEnumerable<JitterScenario.Outcome> outcomes) =>
        [.. outcomes.Where(o => o.Result == Packet).Select(o => o.Sequence)];

    private static List<ushort> Range(int first, int count) => [.. Enumerable.Range(first, count).Select(i => (ushort)i)];

    [Fact]
    public void InOrderStreamPlaysEveryPacketInOrderAfterTheInitialDelay()
    {
        var buffer = new JitterBuffer(48000);
        Assert.Equal(40, buffer.TargetDelayMs);
        var outcomes = new JitterScenario().Stream(200, startMs: 1005).Run(buffer, 1000, 5100);

        Assert.Equal(Range(1000, 200), Played(outcomes));
        var first = outcomes.First(o => o.Result == Packet);
        Assert.InRange(first.AtMs - 1005, 40, 59);
        Assert.All(outcomes.TakeWhile(o => o.Result != Packet), o => Assert.Equal(Empty, o.Result));

        // From the first packet to the last, nothing else: no gaps, stretches or drops.
        var playing = outcomes.SkipWhile(o => o.Result != Packet).Take(200).ToList();
        Assert.All(playing, o => Assert.Equal(Packet, o.Result));
        Assert.All(playing, o => Assert.Equal(960, o.DurationUnits));
        Assert.Equal(96000u + (199 * 960), playing[^1].Timestamp);
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (buffer.Lost, buffer.Late, buffer.DroppedForDrift, buffer.Duplicates, buffer.Reordered));
        Assert.Equal(200, buffer.Received);
        Assert.InRange(buffer.DelayMs, 40, 59);
    }

    [Fact]
    public void WhileFillingItReportsTheMediaHeld()
    {
        var buffer = new JitterBuffer(48000);
        var outcomes = new JitterScenario().Stream(2, startMs: 0).Run(buffer, 0, 20);
        Assert.All(outcomes, o => Assert.Equal(Empty, o.Result));
        Assert.Equal(40, buffer.BufferedMs);

        // The third packet brings the first one's wait to 40 ms: it plays, two stay.
        outcomes = new JitterScenario().Stream(1, startMs: 0, first: 2).Run(buffer, 40, 40);
        Assert.Equal(Packet, Assert.Single(outcomes).Result);
        Assert.Equal(40, buffer.BufferedMs);
    }

    [Fact]
    public void SwappedPairsPlayInOrder()
    {
        var buffer = new JitterBuffer(48000);
        // 1001 arrives before 1000, 1003 before 1002, ...
        var outcomes = new JitterScenario().Stream(200, startMs: 1003, delayMs: i => i % 2 == 0 ? 20 : -20).Run(buffer, 1000, 5200);

        Assert.Equal(Range(1000, 200), Played(outcomes));
        Assert.Equal(0, buffer.Lost);
        Assert.Equal(100, buffer.Reordered);
    }

    [Fact]
    public void RandomPermutationWithinSixtyMillisecondsPlaysInOrder()
    {
        var random = new Random(42);
        var scenario = new JitterScenario();
        for (var group = 0; group < 100; group++)
        {
            // Each 60 ms of audio (three packets) is held up and delivered, shuffled, as its last packet is sent.
            int[] order = [0, 1, 2];
            random.Shuffle(order);
            for (var k = 0; k < 3; k++)
            {
                var i = (group * 3) + k;
                scenario.Send((ushort)(2000 + i), (uint)i * 960, 1043 + (group * 60L) + order[k]);
            }
        }

        var buffer = new JitterBuffer(48000);
        var outcomes = scenario.Run(buffer, 1000, 8000);

        Assert.Equal(Range(2000, 300), Played(outcomes));
        Assert.Equal(0, buffer.Lost);
        Assert.Equal(0, buffer.Late);
        Assert.True(buffer.Reordered > 50);
    }

    [Fact]
    public void ALostPacketYieldsExactlyOneMissing()
    {
        var scenario = new JitterScenario().Stream(50, startMs: 1005).Stream(49, startMs: 1005, first: 51);
        var buffer = new JitterBuffer(48000);

        // Up to the last packet's pop: the buffer running dry after it would be one more concealment.
        var outcomes = scenario.Run(buffer, 1000, 3040);
        var playing = outcomes.SkipWhile(o => o.Result != Packet).Take(100).ToList();

        Assert.Equal([.. Range(1000, 50), .. Range(1051, 49)], Played(playing));
        var missing = Assert.Single(playing, o => o.Result == Missing);
        Assert.Equal(Missing, playing[50].Result);

        // The packet after the hole is here already: the caller can rebuild the hole from its FEC.
        Assert.Equal(1051, missing.PeekedSequence);
        Assert.Equal(1, buffer.Lost);
        Assert.Equal(1, buffer.Concealed);
        Assert.Equal(0, buffer.Late);
    }

    [Fact]
    public void AVeryLatePacketIsDroppedAsLate()
    {
        var buffer = new JitterBuffer(48000);
        var outcomes = new JitterScenario().Stream(100, startMs: 1005, delayMs: i => i == 30 ? 300 : 0).Run(buffer, 1000, 4000);
        var playing = outcomes.SkipWhile(o => o.Result != Packet).Take(100).ToList();

        Assert.Equal([.. Range(1000, 30), .. Range(1031, 69)], Played(playing));
        Assert.Equal(Missing, playing[30].Result);
        Assert.Equal(1, buffer.Late);
        Assert.Equal(1, buffer.Lost);

        // One outlier moves neither the target nor the delay.
        Assert.Equal(40, buffer.TargetDelayMs);
    }

    [Fact]
    public void DuplicatesAreDroppedBeforeAndAfterPlayout()
    {
        var scenario = new JitterScenario()
            .Stream(100, startMs: 1005)
            .Stream(100, startMs: 1010)      // a copy 5 ms later, still buffered
            .Stream(100, startMs: 1300);     // a copy 295 ms later, long played
        var buffer = new JitterBuffer(48000);
        var outcomes = scenario.Run(buffer, 1000, 4000);

        Assert.Equal(Range(1000, 100), Played(outcomes));
        Assert.Equal(200, buffer.Duplicates);
        Assert.Equal(0, buffer.Late);
        Assert.Equal(0, buffer.Lost);
    }

    [Fact]
    public void ADtxPauseIsEmptyNotLossAndPlaybackResumesWithFreshBuffering()
    {
        // 100 packets, then a second of nothing (the timestamp runs on, the sequence does not), then 100 more.
        var scenario = new JitterScenario().Stream(100, startMs: 1005).Stream(100, startMs: 1005, first: 150, firstSequence: 1000 - 50);
        var buffer = new JitterBuffer(48000);
        var outcomes = scenario.Run(buffer, 1000, 8000);

        Assert.Equal(Range(1000, 200), Played(outcomes));
        var lastBefore = outcomes.FindIndex(o => o.Result == Packet && o.Sequence == 1099);
        var firstAfter = outcomes.FindIndex(o => o.Result == Packet && o.Sequence == 1100);
        var pause = outcomes[(lastBefore + 1)..firstAfter];

        Assert.True(pause.Count(o => o.Result == Missing) <= 1, "at most the one concealment when the buffer first runs dry");
        Assert.True(pause.Count(o => o.Result == Empty) >= 45);
        Assert.Equal(0, buffer.Lost);
        Assert.Equal(0, buffer.Late);
        Assert.Equal(0, buffer.Resets);

        // Fresh buffering: the first packet of the new talkspurt waits about the target again.
        var resumedArrival = 1005 + (150 * 20);
        Assert.InRange(outcomes[firstAfter].AtMs - resumedArrival, 40, 59);
        Assert.All(outcomes[firstAfter..(firstAfter + 100)], o => Assert.Equal(Packet, o.Result));
    }

    [Fact]
    public void AnSsrcChangeResetsAndTheNewStreamPlaysFromItsStart()
    {
        var scenario = new JitterScenario().Stream(50, startMs: 1005);
        for (var i = 0; i < 50; i++)
        {
            scenario.Send((ushort)(40000 + i), 7_000_000 + ((uint)i * 960), 2105 + (i * 20L), ssrc: 2);
        }

        var buffer = new JitterBuffer(48000);
        var outcomes = scenario.Run(buffer, 1000, 4000);

        Assert.Equal([.. Range(1000, 50), .. Range(40000, 50)], Played(outcomes));
        Assert.Equal(1, buffer.Resets);
        Assert.Equal(0, buffer.Lost);
        var firstOfNew = outcomes.First(o => o.Result == Packet && o.Sequence == 40000);
        Assert.InRange(firstOfNew.AtMs - 2105, 40, 59);
    }

    [Fact]
    public void AStragglerOfTheOldSsrcDoesNotResetAgain()
    {
        var scenario = new JitterScenario().Stream(50, startMs: 1005);
        for (var i = 0; i < 50; i++)
        {
            scenario.Send((ushort)(40000 + i), 7_000_000 + ((uint)i * 960), 2105 + (i * 20L), ssrc: 2);
        }

        // A late copy of the old stream's last packet turns up after the new stream started.
        scenario.Send(1049, 96000 + (49 * 960), 2150);
        var buffer = new JitterBuffer(48000);
        var outcomes = scenario.Run(buffer, 1000, 4000);

        Assert.Equal([.. Range(1000, 50), .. Range(40000, 50)], Played(outcomes));
        Assert.Equal(1, buffer.Resets);
        Assert.Equal(1, buffer.Late);
    }

    [Fact]
    public void ABigTimestampJumpResets()
    {
        // Same SSRC, sequence continues, but the timestamp leaps 10 s ahead. (The new stream comes
        // after the old one has played out: a reset drops whatever of the old one is still held.)
        var scenario = new JitterScenario().Stream(50, startMs: 1005).Stream(50, startMs: 2105, firstSequence: 1050, firstTimestamp: 96000 + (500 * 960));
        var buffer = new JitterBuffer(48000);
        var outcomes = scenario.Run(buffer, 1000, 4000);

        Assert.Equal(Range(1000, 100), Played(outcomes));
        Assert.Equal(1, buffer.Resets);
        Assert.Equal(0, buffer.Lost);
    }

    [Fact]
    public void ABigSequenceJumpResets()
    {
        var scenario = new JitterScenario().Stream(50, startMs: 1005).Stream(50, startMs: 2105, firstSequence: 31000, firstTimestamp: 96000 + (50 * 960));
        var buffer = new JitterBuffer(48000);
        var outcomes = scenario.Run(buffer, 1000, 4000);

        Assert.Equal([.. Range(1000, 50), .. Range(31000, 50)], Played(outcomes));
        Assert.Equal(1, buffer.Resets);
    }

    [Fact]
    public void SequenceAndTimestampWrapAround()
    {
        var firstTimestamp = uint.MaxValue - (100 * 960) + 1;
        var buffer = new JitterBuffer(48000);
        var outcomes = new JitterScenario()
            .Stream(300, startMs: 1005, delayMs: i => i % 2 == 0 ? 20 : -20, firstSequence: 65400, firstTimestamp: firstTimestamp)
            .Run(buffer, 1000, 8000);

        Assert.Equal([.. Enumerable.Range(0, 300).Select(i => (ushort)(65400 + i))], Played(outcomes));
        var timestamps = outcomes.Where(o => o.Result == Packet).Select(o => o.Timestamp).ToList();
        Assert.Equal([.. Enumerable.Range(0, 300).Select(i => unchecked(firstTimestamp + ((uint)i * 960)))], timestamps);
        Assert.Equal((0L, 0L, 0L), (buffer.Lost, buffer.Resets, buffer.Late));
    }

    [Fact]
    public void RunningDryConcealsOnceThenWaitsForTheLatePacket()
    {
        // Packet 20 is 30 ms late with nothing behind it: one Missing keeps its place, then it plays.
        var buffer = new JitterBuffer(48000);
        var outcomes = new JitterScenario()
            .Stream(20, startMs: 1005)
            .Stream(20, startMs: 1005, first: 20, delayMs: _ => 60)
            .Run(buffer, 1000, 3000);

        Assert.Equal(Range(1000, 40), Played(outcomes));
        Assert.Equal(0, buffer.Lost);
        Assert.Equal(0, buffer.Late);
        Assert.True(buffer.Concealed >= 1);
    }

    [Fact]
    public void G711At8KilohertzReportsItsDurationFromTimestamps()
    {
        var scenario = new JitterScenario();
        for (var i = 0; i < 50; i++)
        {
            scenario.Send((ushort)(7 + i), 1000 + ((uint)i * 160), 1005 + (i * 20L));
        }

        var buffer = new JitterBuffer(8000);
        var outcomes = scenario.Run(buffer, 1000, 2100);
        var played = outcomes.Where(o => o.Result == Packet).ToList();

        Assert.Equal(50, played.Count);
        Assert.All(played, o => Assert.Equal(160, o.DurationUnits));
        Assert.Equal(0, buffer.Lost);
        Assert.InRange(buffer.DelayMs, 40, 59);
    }

    [Fact]
    public void AnOversizedPayloadIsDropped()
    {
        var buffer = new JitterBuffer(48000, maxPayload: 100);
        buffer.Insert(new byte[101], 1, 960, 1, 0);
        Assert.Equal(1, buffer.Oversized);
        Assert.Equal(0, buffer.Received);
        Assert.Equal(Empty, buffer.Pop(100, new byte[200], out _, out _, out _));
    }

    [Fact]
    public void ResetForgetsTheStream()
    {
        var buffer = new JitterBuffer(8000);
        new JitterScenario().Stream(20, startMs: 0).Run(buffer, 0, 200);
        buffer.Reset();
        Assert.Equal(Empty, buffer.Pop(220, new byte[100], out _, out _, out _));
        Assert.Equal(0, buffer.BufferedMs);
        Assert.Equal(40, buffer.TargetDelayMs);
        Assert.Equal(0, buffer.Resets);
    }

    [Fact]
    public async Task PacketsPlayInOrderWhileAnotherThreadInserts()
    {
        var buffer = new JitterBuffer(48000);
        const int count = 20_000;
        var clock = 0L;
        var inserter = Task.Run(() =>
        {
            var payload = new byte[40];
            for (var i = 0; i < count; i++)
            {
                JitterScenario.WritePayload(payload, (ushort)i);
                buffer.Insert(payload, (ushort)i, (uint)i * 960, 7, i * 20L);
                Volatile.Write(ref clock, i * 20L);
            }
        });

        var out1 = new byte[1500];
        var last = -1;
        var played = 0;
        while (!inserter.IsCompleted || buffer.BufferedMs > 0)
        {
            if (buffer.Pop(Volatile.Read(ref clock) + 1000, out1, out _, out _, out _) == Packet)
            {
                var sequence = (out1[0] << 8) | out1[1];
                Assert.True(sequence > last, $"{sequence} after {last}");
                last = sequence;
                played++;
            }
        }

        await inserter;
        Assert.Equal(count, buffer.Received);
        Assert.True(played > 0);
    }
}

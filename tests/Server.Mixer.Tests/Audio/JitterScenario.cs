using System.Buffers.Binary;
using MediaServer.Mixer.Audio;

namespace MediaServer.Mixer.Tests.Audio;

/// <summary>
/// A simulated sender, network and mixer around one <see cref="JitterBuffer"/>: packets are
/// scheduled with their arrival times, then the consumer pops on its own clock, every arrival due
/// by a pop inserted before it. Time is simulated, so an hour runs in well under a second. Each
/// payload carries its sequence number so the test sees what came out.
/// </summary>
internal sealed class JitterScenario
{
    private readonly List<Arrival> _arrivals = [];

    public readonly record struct Arrival(long AtMs, ushort Sequence, uint Timestamp, uint Ssrc);

    public readonly record struct Outcome(long AtMs, JitterBufferResult Result, ushort Sequence, uint Timestamp, int DurationUnits, int PeekedSequence);

    /// <summary>The payload of a packet: its sequence number, then filler.</summary>
    public static void WritePayload(Span<byte> payload, ushort sequence)
    {
        BinaryPrimitives.WriteUInt16BigEndian(payload, sequence);
        payload[2..].Fill(0x5a);
    }

    public JitterScenario Send(ushort sequence, uint timestamp, long atMs, uint ssrc = 1)
    {
        _arrivals.Add(new Arrival(atMs, sequence, timestamp, ssrc));
        return this;
    }

    /// <summary>A 20 ms, 48 kHz stream: packet i (from <paramref name="first"/>) sent at startMs + 20 i, plus its delay.</summary>
    public JitterScenario Stream(int count, long startMs, Func<int, long>? delayMs = null, ushort firstSequence = 1000, uint firstTimestamp = 96000, int first = 0)
    {
        for (var i = first; i < first + count; i++)
        {
            Send((ushort)(firstSequence + i), firstTimestamp + ((uint)i * 960), startMs + (i * 20L) + (delayMs?.Invoke(i) ?? 0));
        }

        return this;
    }

    public List<Outcome> Run(JitterBuffer buffer, long fromMs, long untilMs, int popIntervalMs = 20)
    {
        var arrivals = _arrivals.OrderBy(a => a.AtMs).ToArray();
        var outcomes = new List<Outcome>();
        Span<byte> packet = stackalloc byte[40];
        Span<byte> payload = stackalloc byte[1500];
        var next = 0;
        for (var now = fromMs; now <= untilMs; now += popIntervalMs)
        {
            for (; next < arrivals.Length && arrivals[next].AtMs <= now; next++)
            {
                var a = arrivals[next];
                WritePayload(packet, a.Sequence);
                buffer.Insert(packet, a.Sequence, a.Timestamp, a.Ssrc, a.AtMs);
            }

            var result = buffer.Pop(now, payload, out var length, out var timestamp, out var duration);
            var sequence = result == JitterBufferResult.Packet ? BinaryPrimitives.ReadUInt16BigEndian(payload) : (ushort)0;
            if (result == JitterBufferResult.Packet)
            {
                Assert.Equal(40, length);
            }

            var peeked = result == JitterBufferResult.Missing && buffer.TryPeekNext(payload, out _) ? BinaryPrimitives.ReadUInt16BigEndian(payload) : -1;
            outcomes.Add(new Outcome(now, result, sequence, timestamp, duration, peeked));
        }

        return outcomes;
    }
}

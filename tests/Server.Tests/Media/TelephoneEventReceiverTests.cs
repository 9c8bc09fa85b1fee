using MediaServer.Media;
using MediaServer.Protocol.Payload;

namespace MediaServer.Tests.Media;

/// <summary>RFC 4733 §2.5: packets of one event share its start timestamp; the end is sent three times; losses happen.</summary>
public sealed class TelephoneEventReceiverTests
{
    private const uint Ssrc = 0x1234;

    private static string Feed(TelephoneEventReceiver receiver, params (uint Timestamp, byte Event, bool End)[] packets)
    {
        var result = new List<char>();
        Span<char> digits = stackalloc char[2];
        var payload = new byte[4];
        foreach (var (timestamp, code, end) in packets)
        {
            Assert.True(new TelephoneEvent(code, end, 10, 800).TryWrite(payload, out _));
            var count = receiver.OnPacket(Ssrc, timestamp, payload, digits);
            result.AddRange(digits[..count].ToArray());
        }

        return new string([.. result]);
    }

    [Fact]
    public void AnotherKeyAtTheSameTimestampIsANewDigit() =>
        // Replayed recordings (SIPp's DTMF pcaps) all start at the same timestamp.
        Assert.Equal("12", Feed(new(), (13280, 1, false), (13280, 1, true), (13280, 1, true), (13280, 2, false), (13280, 2, true), (13280, 2, true)));

    [Fact]
    public void TheThreeEndPacketsMakeOneDigit() =>
        Assert.Equal("5", Feed(new(), (100, 5, false), (100, 5, false), (100, 5, true), (100, 5, true), (100, 5, true)));

    [Fact]
    public void AnEventWhoseStartWasLostStillCounts() =>
        Assert.Equal("#", Feed(new(), (100, 11, true), (100, 11, true), (100, 11, true)));

    [Fact]
    public void AnEventWhoseEndsWereAllLostIsReportedWhenTheNextOneStarts() =>
        Assert.Equal("12", Feed(new(), (100, 1, false), (100, 1, false), (900, 2, false), (900, 2, true)));

    [Fact]
    public void ALostEndFoundTogetherWithACompleteEventGivesBoth() =>
        Assert.Equal("34", Feed(new(), (100, 3, false), (900, 4, true), (900, 4, true)));

    [Fact]
    public void LatePacketsOfAnOlderEventAreIgnored() =>
        Assert.Equal("78", Feed(new(), (100, 7, true), (900, 8, false), (100, 7, true), (900, 8, true)));

    [Fact]
    public void EventsBeyondTheDigitsAreNotReported() =>
        Assert.Equal("*D", Feed(new(), (100, 10, true), (200, 16, true), (300, 15, true)));

    [Fact]
    public void ShortPayloadsAreIgnored()
    {
        Span<char> digits = stackalloc char[2];
        Assert.Equal(0, new TelephoneEventReceiver().OnPacket(Ssrc, 1, [0x05, 0x80], digits));
    }
}

using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Payload;

public class TelephoneEventTests
{
    /// <summary>
    /// The digit 9 as RFC 4733 §5's examples send it: volume 10 (-10 dBm0), first packet with a
    /// duration of 400 (50 ms at 8 kHz), last one with E set.
    /// </summary>
    [Theory]
    [InlineData("09 0a 01 90", 9, false, 10, 400)] // event 9 | E=0 R=0 volume 10 | duration 400
    [InlineData("09 8a 06 40", 9, true, 10, 1600)] // event 9 | E=1 R=0 volume 10 | duration 1600
    [InlineData("0b 3f ff ff", 11, false, 63, 65535)] // '#' | volume 63 | longest duration
    public void ParsesAndWritesBack(string hex, int ev, bool end, int volume, int duration)
    {
        var payload = Hex.Parse(hex);
        Assert.True(TelephoneEvent.TryParse(payload, out var parsed));
        Assert.Equal(ev, parsed.Event);
        Assert.Equal(end, parsed.End);
        Assert.Equal(volume, parsed.Volume);
        Assert.Equal(duration, parsed.Duration);

        Span<byte> written = stackalloc byte[4];
        Assert.True(parsed.TryWrite(written, out var length));
        Assert.Equal(4, length);
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), Hex.Format(written));
    }

    [Fact]
    public void ReservedBitIsIgnored()
    {
        Assert.True(TelephoneEvent.TryParse(Hex.Parse("05 4a 00 a0"), out var ev));
        Assert.False(ev.End);
        Assert.Equal(10, ev.Volume);
    }

    [Fact]
    public void ShortPayloadsAreRefused()
    {
        for (var length = 0; length < 4; length++)
        {
            Assert.False(TelephoneEvent.TryParse(new byte[length], out _));
        }

        Assert.False(new TelephoneEvent(1, false, 0, 0).TryWrite(new byte[3], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TelephoneEvent(1, false, 64, 0));
    }

    [Fact]
    public void Digits()
    {
        const string Digits = "0123456789*#ABCD";
        for (var ev = 0; ev < 16; ev++)
        {
            Assert.Equal(Digits[ev], TelephoneEvent.ToDigit(ev));
            Assert.Equal(ev, TelephoneEvent.FromDigit(Digits[ev]));
        }

        Assert.Equal(12, TelephoneEvent.FromDigit('a'));
        Assert.Null(TelephoneEvent.ToDigit(16));
        Assert.Null(TelephoneEvent.ToDigit(-1));
        Assert.Null(TelephoneEvent.FromDigit('E'));
    }
}

using MediaServer.Protocol.Payload;

namespace MediaServer.Protocol.Tests.Payload;

public class G711Tests
{
    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    [InlineData(0xEF, 132)] // segment 1, quant 0
    [InlineData(0x8F, 16764)] // segment 7, quant 0: 132 * 2^7 - 132
    public void UlawKnownValues(int code, int linear)
    {
        Assert.Equal(linear, G711.UlawToLinear((byte)code));
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xD4, 24)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    [InlineData(0xC5, 264)] // segment 1, quant 0
    public void AlawKnownValues(int code, int linear)
    {
        Assert.Equal(linear, G711.AlawToLinear((byte)code));
    }

    [Theory]
    [InlineData(0, 0xFF, 0xD5)]
    [InlineData(-1, 0x7F, 0x55)]
    [InlineData(32767, 0x80, 0xAA)]
    [InlineData(-32768, 0x00, 0x2A)]
    [InlineData(8, 0xFE, 0xD5)]
    public void EncodeKnownValues(int linear, int ulaw, int alaw)
    {
        Assert.Equal(ulaw, G711.LinearToUlaw((short)linear));
        Assert.Equal(alaw, G711.LinearToAlaw((short)linear));
    }

    /// <summary>Every 16-bit sample comes back within half a quantization step (μ-law clips beyond ±32635).</summary>
    [Fact]
    public void EveryLinearValueRoundTripsWithinHalfAStep()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            var ulaw = G711.LinearToUlaw((short)x);
            var ulawSegment = (~ulaw >> 4) & 0x07;
            var clipped = Math.Clamp(x, -32635, 32635);
            var ulawError = Math.Abs(G711.UlawToLinear(ulaw) - clipped);
            Assert.True(ulawError <= (1 << (ulawSegment + 3)) / 2, $"μ-law {x}: error {ulawError}");

            var alaw = G711.LinearToAlaw((short)x);
            var alawSegment = ((alaw ^ 0x55) >> 4) & 0x07;
            var alawStep = alawSegment == 0 ? 16 : 8 << alawSegment;
            var alawError = Math.Abs(G711.AlawToLinear(alaw) - x);
            Assert.True(alawError <= alawStep / 2, $"A-law {x}: error {alawError}");
        }
    }

    /// <summary>Decoding then re-encoding returns the same value for all 256 codes; A-law even the same byte.</summary>
    [Fact]
    public void EveryCodeSurvivesDecodeEncodeDecode()
    {
        for (var code = 0; code < 256; code++)
        {
            var ulaw = G711.UlawToLinear((byte)code);
            Assert.Equal(ulaw, G711.UlawToLinear(G711.LinearToUlaw(ulaw)));

            // μ-law has two zeros (0x7F and 0xFF); every other code maps back to itself.
            if (code != 0x7F)
            {
                Assert.Equal(code, G711.LinearToUlaw(ulaw));
            }

            var alaw = G711.AlawToLinear((byte)code);
            Assert.Equal(code, G711.LinearToAlaw(alaw));
        }
    }

    [Fact]
    public void SpanVersionsMatchTheScalarOnes()
    {
        short[] samples = [0, 1, -1, 1000, -1000, short.MaxValue, short.MinValue];
        var ulaw = new byte[samples.Length];
        var alaw = new byte[samples.Length];
        G711.EncodeUlaw(samples, ulaw);
        G711.EncodeAlaw(samples, alaw);
        var back = new short[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal(G711.LinearToUlaw(samples[i]), ulaw[i]);
            Assert.Equal(G711.LinearToAlaw(samples[i]), alaw[i]);
        }

        G711.DecodeUlaw(ulaw, back);
        Assert.Equal(ulaw.Select(G711.UlawToLinear), back);
        G711.DecodeAlaw(alaw, back);
        Assert.Equal(alaw.Select(G711.AlawToLinear), back);
        Assert.Throws<ArgumentException>(() => G711.EncodeUlaw(samples, new byte[1]));
    }
}

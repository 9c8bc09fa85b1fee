using MediaServer.Mixer.Recording;

namespace MediaServer.Mixer.Tests.Recording;

/// <summary>EBML element encoding (RFC 8794 §4): IDs, variable-length sizes, integers, floats, strings, patched masters.</summary>
public sealed class EbmlBufferTests
{
    [Theory]
    [InlineData(0L, "80")]
    [InlineData(1L, "81")]
    [InlineData(126L, "FE")] // 127 would be all ones: reserved for "unknown"
    [InlineData(127L, "407F")]
    [InlineData(16382L, "7FFE")]
    [InlineData(16383L, "203FFF")]
    [InlineData(2097151L, "101FFFFF")]
    public void SizesTakeTheShortestVint(long size, string hex)
    {
        var buffer = new EbmlBuffer();
        buffer.WriteSize(size);
        Assert.Equal(hex, Convert.ToHexString(buffer.Written));
    }

    [Fact]
    public void AnEightByteSizeHoldsAnySmallValue()
    {
        var bytes = new byte[8];
        EbmlBuffer.WriteSize(bytes, 5, 8);
        Assert.Equal("0100000000000005", Convert.ToHexString(bytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => EbmlBuffer.WriteSize(bytes, 127, 1));
    }

    [Theory]
    [InlineData(0xA3u, "A3")]
    [InlineData(0x4286u, "4286")]
    [InlineData(0x2AD7B1u, "2AD7B1")]
    [InlineData(0x1A45DFA3u, "1A45DFA3")]
    public void IdsKeepTheirLengthMarker(uint id, string hex)
    {
        var buffer = new EbmlBuffer();
        buffer.WriteId(id);
        Assert.Equal(hex, Convert.ToHexString(buffer.Written));
    }

    [Fact]
    public void AnIdWithoutALengthMarkerIsRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => new EbmlBuffer().WriteId(0x7F));

    [Fact]
    public void ElementsAreIdSizeAndBigEndianData()
    {
        var buffer = new EbmlBuffer();
        buffer.WriteUInt(0x2AD7B1, 1_000_000); // TimecodeScale
        buffer.WriteUInt(0xD7, 1); // TrackNumber
        buffer.WriteUInt(0xE7, 0); // Timecode 0: one zero byte
        buffer.WriteUInt(0x53AC, 0x1234, width: 8); // SeekPosition, fixed width for patching
        buffer.WriteString(0x86, "A_OPUS");
        buffer.WriteFloat(0xB5, 48000);
        Assert.Equal(
            "2AD7B1" + "83" + "0F4240"
            + "D7" + "81" + "01"
            + "E7" + "81" + "00"
            + "53AC" + "88" + "0000000000001234"
            + "86" + "86" + "415F4F505553"
            + "B5" + "88" + "40E7700000000000",
            Convert.ToHexString(buffer.Written));
    }

    [Fact]
    public void AMasterGetsItsSizePatchedInEightBytes()
    {
        var buffer = new EbmlBuffer(16);
        var start = buffer.BeginMaster(0xE1);
        buffer.WriteUInt(0x9F, 2);
        buffer.WriteBinary(0x63A2, new byte[40]); // grows the buffer past its first capacity
        buffer.EndMaster(start);
        var bytes = buffer.Written.ToArray();
        Assert.Equal("E1", Convert.ToHexString(bytes, 0, 1));
        Assert.Equal("010000000000002E", Convert.ToHexString(bytes, 1, 8)); // 3 + (2 + 1 + 40) = 46 bytes of data
        Assert.Equal(1 + 8 + 46, bytes.Length);
    }
}

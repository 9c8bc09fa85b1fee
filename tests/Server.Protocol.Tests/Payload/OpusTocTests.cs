using MediaServer.Protocol.Payload;

namespace MediaServer.Protocol.Tests.Payload;

public class OpusTocTests
{
    [Theory]
    [InlineData(0, OpusMode.Silk, OpusBandwidth.Narrowband, 480)]
    [InlineData(1, OpusMode.Silk, OpusBandwidth.Narrowband, 960)]
    [InlineData(2, OpusMode.Silk, OpusBandwidth.Narrowband, 1920)]
    [InlineData(3, OpusMode.Silk, OpusBandwidth.Narrowband, 2880)]
    [InlineData(5, OpusMode.Silk, OpusBandwidth.Mediumband, 960)]
    [InlineData(11, OpusMode.Silk, OpusBandwidth.Wideband, 2880)]
    [InlineData(12, OpusMode.Hybrid, OpusBandwidth.SuperWideband, 480)]
    [InlineData(13, OpusMode.Hybrid, OpusBandwidth.SuperWideband, 960)]
    [InlineData(15, OpusMode.Hybrid, OpusBandwidth.Fullband, 960)]
    [InlineData(16, OpusMode.Celt, OpusBandwidth.Narrowband, 120)]
    [InlineData(21, OpusMode.Celt, OpusBandwidth.Wideband, 240)]
    [InlineData(26, OpusMode.Celt, OpusBandwidth.SuperWideband, 480)]
    [InlineData(31, OpusMode.Celt, OpusBandwidth.Fullband, 960)]
    public void ConfigurationTable(int config, OpusMode mode, OpusBandwidth bandwidth, int samples)
    {
        var toc = new OpusToc((byte)(config << 3));
        Assert.Equal(config, toc.Config);
        Assert.Equal(mode, toc.Mode);
        Assert.Equal(bandwidth, toc.Bandwidth);
        Assert.Equal(samples, toc.FrameSamplesAt48k);
        Assert.False(toc.IsStereo);
        Assert.Equal(0, toc.FrameCountCode);
    }

    [Fact]
    public void StereoAndCode()
    {
        var toc = new OpusToc(0xFE);
        Assert.True(toc.IsStereo);
        Assert.Equal(2, toc.FrameCountCode);
    }

    [Theory]
    [InlineData("f8 ff fe", 960)] // Chrome's 20 ms CELT FB DTX frame, code 0
    [InlineData("78 01 02", 960)] // config 15: Hybrid FB 20 ms, code 0
    [InlineData("09 aa bb", 1920)] // SILK NB 20 ms, code 1: 2 frames
    [InlineData("0a 01 aa", 1920)] // code 2: 2 frames
    [InlineData("0b 06", 5760)] // SILK NB 20 ms, code 3, M=6: 120 ms
    [InlineData("1b 02", 5760)] // SILK NB 60 ms, code 3, M=2
    [InlineData("83 30", 5760)] // CELT NB 2.5 ms, code 3, M=48
    [InlineData("fb 83 01 02", 2880)] // CELT FB 20 ms, code 3, VBR, M=3
    public void SampleCounts(string hex, int samples)
    {
        Assert.True(OpusToc.TryGetSampleCount(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), out var count));
        Assert.Equal(samples, count);
    }

    [Theory]
    [InlineData("")] // empty
    [InlineData("0a")] // code 2 without a length byte
    [InlineData("0b")] // code 3 without a count byte
    [InlineData("0b 00")] // code 3 with M = 0
    [InlineData("0b 07")] // 7 x 20 ms = 140 ms
    [InlineData("1b 03")] // 3 x 60 ms
    [InlineData("83 31")] // 49 x 2.5 ms
    public void RefusesInvalidPackets(string hex)
    {
        Assert.False(OpusToc.TryGetSampleCount(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), out _));
    }
}

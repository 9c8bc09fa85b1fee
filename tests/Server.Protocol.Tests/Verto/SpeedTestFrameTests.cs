using System.Text;
using MediaServer.Protocol.Verto;

namespace MediaServer.Protocol.Tests.Verto;

public class SpeedTestFrameTests
{
    [Theory]
    [InlineData("#SPU 262144", SpeedTestFrameKind.Upload, 262144)]
    [InlineData("#SPU 99999999999", SpeedTestFrameKind.Upload, SpeedTestFrame.MaxBytes)]
    [InlineData("#SPU nonsense", SpeedTestFrameKind.Upload, 0)]
    [InlineData("#SPB ....", SpeedTestFrameKind.Block, 0)]
    [InlineData("#SPE", SpeedTestFrameKind.End, 0)]
    [InlineData("#SP", SpeedTestFrameKind.Ignored, 0)]
    [InlineData("#XYZ 1", SpeedTestFrameKind.Ignored, 0)]
    public void ClassifiesFrames(string frame, SpeedTestFrameKind kind, long bytes)
    {
        Assert.Equal(kind, SpeedTestFrame.Classify(Encoding.ASCII.GetBytes(frame), out var announced));
        Assert.Equal(bytes, announced);
    }

    [Fact]
    public void ReportsAndBlocksHaveTheClientsShape()
    {
        Assert.Equal("#SPU 12", Encoding.ASCII.GetString(SpeedTestFrame.Report(download: false, 12)));
        Assert.Equal("#SPD 0", Encoding.ASCII.GetString(SpeedTestFrame.Report(download: true, -5)));
        var block = SpeedTestFrame.DownloadBlock();
        Assert.Equal(SpeedTestFrame.BlockSize, block.Length);
        Assert.StartsWith("#SPB", Encoding.ASCII.GetString(block), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyHashFramesAreSpeedTestFrames()
    {
        Assert.True(SpeedTestFrame.IsSpeedTest("#SPE"u8));
        Assert.False(SpeedTestFrame.IsSpeedTest("{}"u8));
        Assert.False(SpeedTestFrame.IsSpeedTest([]));
    }
}

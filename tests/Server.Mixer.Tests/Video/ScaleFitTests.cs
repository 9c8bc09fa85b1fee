using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>Fit (bars) and zoom (crop) arithmetic, on its own.</summary>
public sealed class ScaleFitTests
{
    [Fact]
    public void FourByThreeInASixteenByNineTileIsPillarboxed()
    {
        // 640x480 into 640x360: full height, 480 wide, 80 px bars left and right.
        Assert.Equal(new PixelRect(80, 0, 480, 360), ScaleFit.Fit(640, 480, new PixelRect(0, 0, 640, 360)));
    }

    [Fact]
    public void SixteenByNineInAFourByThreeTileIsLetterboxed()
    {
        // 1280x720 into 640x480: full width, 360 high, 60 px bars top and bottom.
        Assert.Equal(new PixelRect(100, 260, 640, 360), ScaleFit.Fit(1280, 720, new PixelRect(100, 200, 640, 480)));
    }

    [Fact]
    public void PortraitInALandscapeTileIsPillarboxed()
    {
        // 360x640 into 1280x720: 405 wide rounds to 406, centred at 437 → 436 (even).
        Assert.Equal(new PixelRect(436, 0, 406, 720), ScaleFit.Fit(360, 640, new PixelRect(0, 0, 1280, 720)));
    }

    [Fact]
    public void SameAspectFillsTheTileExactly()
    {
        Assert.Equal(new PixelRect(852, 480, 426, 240), ScaleFit.Fit(640, 360, new PixelRect(852, 480, 426, 240)));
        Assert.Equal(new PixelRect(0, 0, 1920, 1080), ScaleFit.Fit(1280, 720, new PixelRect(0, 0, 1920, 1080)));
    }

    [Fact]
    public void FitSizesAndOffsetsAreEven()
    {
        for (var sourceWidth = 100; sourceWidth < 700; sourceWidth += 37)
        {
            for (var sourceHeight = 90; sourceHeight < 500; sourceHeight += 41)
            {
                var tile = new PixelRect(426, 240, 426, 240);
                var fitted = ScaleFit.Fit(sourceWidth, sourceHeight, tile);
                Assert.Equal(0, fitted.X & 1);
                Assert.Equal(0, fitted.Y & 1);
                Assert.Equal(0, fitted.Width & 1);
                Assert.Equal(0, fitted.Height & 1);
                Assert.True(fitted.X >= tile.X && fitted.Right <= tile.Right && fitted.Y >= tile.Y && fitted.Bottom <= tile.Bottom, $"{sourceWidth}x{sourceHeight} -> {fitted}");
                Assert.True(fitted.Width == tile.Width || fitted.Height == tile.Height, "one side must touch the tile");
            }
        }
    }

    [Fact]
    public void OddFittedSizeRoundsToEven()
    {
        // 100x77 into 200x200: 154 high, centred at 23 → 22 (chroma rows start on even pixels).
        Assert.Equal(new PixelRect(0, 22, 200, 154), ScaleFit.Fit(100, 77, new PixelRect(0, 0, 200, 200)));
        // 300x101 into 200x99: 66.67 → 67 rounds up to 68, centred at (99-68)/2 = 15 → 14.
        Assert.Equal(new PixelRect(0, 14, 200, 68), ScaleFit.Fit(300, 101, new PixelRect(0, 0, 200, 99)));
    }

    [Fact]
    public void OddTileOnTheCanvasEdgeIsFilledWhole()
    {
        // A 641 px wide canvas gives its last tile an odd width; the picture may use all of it.
        Assert.Equal(new PixelRect(0, 0, 641, 360), ScaleFit.Fit(641, 360, new PixelRect(0, 0, 641, 360)));
    }

    [Fact]
    public void CropOfAWideSourceForATallTileTakesTheCentre()
    {
        // 640x360 for a 640x720 slot (2x1-zoom on 720p): the middle half, 320 wide from 160.
        Assert.Equal(new PixelRect(160, 0, 320, 360), ScaleFit.Crop(640, 360, 640, 720));
    }

    [Fact]
    public void CropOfATallSourceForAWideTileTakesTheMiddleBand()
    {
        // 640x480 (4:3) for 16:9: 360 rows starting at 60.
        Assert.Equal(new PixelRect(0, 60, 640, 360), ScaleFit.Crop(640, 480, 1280, 720));
    }

    [Fact]
    public void CropOfMatchingAspectIsTheWholePicture()
    {
        Assert.Equal(new PixelRect(0, 0, 640, 360), ScaleFit.Crop(640, 360, 426, 240));
        Assert.Equal(new PixelRect(0, 0, 641, 361), ScaleFit.Crop(641, 361, 641, 361));
    }

    [Fact]
    public void CropRoundsToEven()
    {
        // 640x360 for a 426x720 slot (3x1-zoom on 720p): 213 wide → 214, offset 213 → 212.
        Assert.Equal(new PixelRect(212, 0, 214, 360), ScaleFit.Crop(640, 360, 426, 720));
        // 1280x720 for 90x180 units on 1080p (480x540): 640 wide, offset 320.
        Assert.Equal(new PixelRect(320, 0, 640, 720), ScaleFit.Crop(1280, 720, 480, 540));
    }

    [Fact]
    public void CropNeverLeavesTheSource()
    {
        for (var tileWidth = 2; tileWidth < 900; tileWidth += 53)
        {
            for (var tileHeight = 2; tileHeight < 900; tileHeight += 47)
            {
                var crop = ScaleFit.Crop(639, 359, tileWidth, tileHeight);
                Assert.True(crop.X >= 0 && crop.Y >= 0 && crop.Right <= 639 && crop.Bottom <= 359, crop.ToString());
                Assert.Equal(0, (crop.X | crop.Y) & 1);
                Assert.True(crop.Width >= 2 && crop.Height >= 2);
            }
        }
    }
}

using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>Every shipped layout turned into pixels on the two common canvases, against conference-layouts.md §1.</summary>
public sealed class LayoutGeometryTests
{
    public static readonly TheoryData<string, int, int> EveryLayoutOnBothCanvases = Build();

    // Layouts whose ordinary slots tile the whole 360×360 unit square (the rest leave
    // background around centred tiles or are full-canvas-plus-picture-in-picture).
    private static readonly string[] FullCover =
    [
        "1x1", "2x1-zoom", "3x1-zoom", "5-grid-zoom", "3x2-zoom", "7-grid-zoom", "4x2-zoom", "2x2", "3x3", "4x4", "5x5", "6x6", "8x8",
        "1up_top_left+5", "1up_top_left+7", "1up_top_left+9", "2up_top+8", "2up_middle+8", "2up_bottom+8", "3up+4", "3up+9", "2x1-presenter-zoom",
    ];

    [Theory]
    [MemberData(nameof(EveryLayoutOnBothCanvases))]
    public void TilesFollowTheTruncationRuleAndStayInsideTheCanvas(string name, int width, int height)
    {
        var layout = ShippedLayouts.Layout(name);
        var tiles = new PixelRect[layout.Images.Count];
        TileGeometry.Tiles(layout, width, height, tiles);
        for (var i = 0; i < tiles.Length; i++)
        {
            var image = layout.Images[i];
            var tile = tiles[i];
            Assert.Equal((int)Math.Floor(width * image.X / 360.0), tile.X);
            Assert.Equal((int)Math.Floor(height * image.Y / 360.0), tile.Y);
            Assert.Equal((int)Math.Floor(width * image.Scale / 360.0), tile.Width);
            Assert.Equal((int)Math.Floor(height * image.HScale / 360.0), tile.Height);
            Assert.True(tile.Width > 0 && tile.Height > 0, $"{name}[{i}] is empty");
            Assert.True(tile.X >= 0 && tile.Y >= 0 && tile.Right <= width && tile.Bottom <= height, $"{name}[{i}] {tile} leaves {width}x{height}");
        }
    }

    [Theory]
    [MemberData(nameof(EveryLayoutOnBothCanvases))]
    public void OrdinarySlotsDoNotOverlapEachOtherAndOverlapSlotsSitOnTheFloor(string name, int width, int height)
    {
        var layout = ShippedLayouts.Layout(name);
        var images = layout.Images;
        for (var i = 0; i < images.Count; i++)
        {
            var a = TileGeometry.Tile(images[i], width, height);
            var painted = TileGeometry.PaintedTile(images[i], width, height);
            if (images[i].Overlap)
            {
                // Picture-in-picture: drawn over the full-canvas floor slot.
                Assert.True(TileGeometry.Tile(images[0], width, height).Intersects(a), $"{name}[{i}] overlaps nothing");
                continue;
            }

            for (var j = i + 1; j < images.Count; j++)
            {
                if (!images[j].Overlap)
                {
                    Assert.False(a.Intersects(TileGeometry.Tile(images[j], width, height)), $"{name}: slots {i} and {j} overlap");
                    Assert.False(painted.Intersects(TileGeometry.PaintedTile(images[j], width, height)), $"{name}: painted slots {i} and {j} overlap");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryLayoutOnBothCanvases))]
    public void PaintedTilesAreChromaAlignedAndWithinAPixelOfTheTile(string name, int width, int height)
    {
        foreach (var image in ShippedLayouts.Layout(name).Images)
        {
            var tile = TileGeometry.Tile(image, width, height);
            var painted = TileGeometry.PaintedTile(image, width, height);
            Assert.Equal(0, painted.X & 1);
            Assert.Equal(0, painted.Y & 1);
            Assert.True((painted.Width & 1) == 0 || painted.Right == width);
            Assert.True((painted.Height & 1) == 0 || painted.Bottom == height);
            Assert.InRange(tile.X - painted.X, 0, 1);
            Assert.InRange(tile.Y - painted.Y, 0, 1);
            Assert.InRange(tile.Right - painted.Right, 0, 1);
            Assert.InRange(tile.Bottom - painted.Bottom, 0, 1);
        }
    }

    [Fact]
    public void FullCoverLayoutsTileTheUnitSquare()
    {
        foreach (var name in FullCover)
        {
            var ordinary = ShippedLayouts.Layout(name).Images.Where(image => !image.Overlap);
            Assert.Equal(360 * 360, ordinary.Sum(image => image.Scale * image.HScale));
        }
    }

    [Fact]
    public void ThreeByThreeOn1080pIsNine640x360Tiles()
    {
        var tiles = TilesOf("3x3", 1920, 1080);
        var expected = from y in new[] { 0, 360, 720 } from x in new[] { 0, 640, 1280 } select new PixelRect(x, y, 640, 360);
        Assert.Equal(expected, tiles);
    }

    [Fact]
    public void ThreeByThreeOn720pTruncatesAPixelShortOfTheEdge()
    {
        var tiles = TilesOf("3x3", 1280, 720);
        Assert.Equal(new PixelRect(853, 0, 426, 240), tiles[2]);
        Assert.Equal(new PixelRect(852, 480, 426, 240), TileGeometry.PaintedTile(ShippedLayouts.Layout("3x3").Images[8], 1280, 720));
    }

    [Fact]
    public void TwoByOneZoomOn1080pIsTwoHalfWidthColumns()
    {
        Assert.Equal([new PixelRect(0, 0, 960, 1080), new PixelRect(960, 0, 960, 1080)], TilesOf("2x1-zoom", 1920, 1080));
    }

    [Fact]
    public void OneUpTopLeftPlusFiveOn1080p()
    {
        PixelRect[] expected =
        [
            new(0, 0, 1280, 720),
            new(1280, 0, 640, 360), new(1280, 360, 640, 360),
            new(0, 720, 640, 360), new(640, 720, 640, 360), new(1280, 720, 640, 360),
        ];
        Assert.Equal(expected, TilesOf("1up_top_left+5", 1920, 1080));
    }

    [Theory]
    [InlineData("2x2", 2)]
    [InlineData("3x3", 3)]
    [InlineData("4x4", 4)]
    [InlineData("5x5", 5)]
    [InlineData("6x6", 6)]
    [InlineData("8x8", 8)]
    public void SquareGridsFollowTheGridRule(string name, int n)
    {
        foreach (var (width, height) in new[] { (1280, 720), (1920, 1080) })
        {
            var tiles = TilesOf(name, width, height);
            Assert.Equal(n * n, tiles.Length);
            var cell = 360 / n;
            for (var k = 0; k < tiles.Length; k++)
            {
                Assert.Equal(new PixelRect(width * (k % n) * cell / 360, height * (k / n) * cell / 360, width * cell / 360, height * cell / 360), tiles[k]);
            }
        }
    }

    [Theory]
    [InlineData("presenter-overlap-small-top-right", 1600, 0, 320, 180)]
    [InlineData("presenter-overlap-small-bot-right", 1600, 900, 320, 180)]
    [InlineData("presenter-overlap-large-top-right", 960, 0, 960, 540)]
    [InlineData("presenter-overlap-large-bot-right", 960, 540, 960, 540)]
    public void PresenterOverlapCorners(string name, int x, int y, int width, int height)
    {
        var tiles = TilesOf(name, 1920, 1080);
        Assert.Equal(new PixelRect(0, 0, 1920, 1080), tiles[0]);
        Assert.Equal(new PixelRect(x, y, width, height), tiles[1]);
    }

    private static PixelRect[] TilesOf(string name, int width, int height)
    {
        var layout = ShippedLayouts.Layout(name);
        var tiles = new PixelRect[layout.Images.Count];
        TileGeometry.Tiles(layout, width, height, tiles);
        return tiles;
    }

    private static TheoryData<string, int, int> Build()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var name in LayoutCatalogTests.StandardLayouts)
        {
            data.Add(name, 1280, 720);
            data.Add(name, 1920, 1080);
        }

        return data;
    }
}

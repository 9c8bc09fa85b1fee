using System.Text;
using MediaServer.Mixer.Interop;
using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>
/// FreeType through our bindings. The glyph checks double as the check of the FT_FaceRec,
/// FT_GlyphSlotRec and FT_Bitmap offsets: a wrong offset reads garbage sizes or a bitmap that
/// is not an H.
/// </summary>
public sealed class BannerFontTests(BannerFontFixture fixture) : IClassFixture<BannerFontFixture>
{
    private readonly BannerFont _font = fixture.Font;

    [Fact]
    public void LibFreeTypeIsAvailableAndNamesItsVersion()
    {
        LibFreeType.EnsureAvailable();
        Assert.StartsWith("FreeType 2.", LibFreeType.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultFontIsDejaVuSans()
    {
        Assert.Equal("DejaVu Sans", _font.FamilyName);

        // DejaVu Sans: 2048 units per em, ascender 1901, descender -483.
        Assert.Equal(19, _font.Ascent(20));
        Assert.Equal(5, _font.Descent(20));
    }

    [Fact]
    public void CapitalHHasTheShapeAndMetricsOfAnH()
    {
        // FreeType 2.12.1 renders DejaVu Sans 'H' at 20 px as 13 × 15 at (1, 15), advance 15 px;
        // the ranges leave room for other hinting versions.
        var h = _font.Glyph(new Rune('H'), 20);
        Assert.NotEqual(0u, h.GlyphIndex);
        Assert.InRange(h.Width, 11, 15);
        Assert.InRange(h.Rows, 14, 16);
        Assert.Equal(h.Rows, h.Top);
        Assert.InRange(h.Left, 0, 3);
        Assert.InRange(h.Advance, 14 * 64, 16 * 64);
        Assert.Equal(0, h.Advance % 64);
        Assert.Equal(h.Width * h.Rows, h.Coverage.Length);

        var coverage = h.Coverage.ToArray();
        int At(int x, int y) => coverage[(y * h.Width) + x];

        // Two stems from top to bottom...
        for (var y = 0; y < h.Rows; y++)
        {
            Assert.True(Math.Max(At(0, y), At(1, y)) > 200, $"left stem missing in row {y}");
            Assert.True(Math.Max(At(h.Width - 1, y), At(h.Width - 2, y)) > 200, $"right stem missing in row {y}");
        }

        // ...open between them at the top and bottom, joined by the bar in the middle.
        var middleColumn = h.Width / 2;
        Assert.Equal(0, At(middleColumn, 0));
        Assert.Equal(0, At(middleColumn, h.Rows - 1));
        Assert.Contains(Enumerable.Range(0, h.Rows), y => At(middleColumn, y) > 200);
    }

    [Fact]
    public void GlyphsScaleWithThePixelSize()
    {
        var small = _font.Glyph(new Rune('H'), 20);
        var large = _font.Glyph(new Rune('H'), 40);
        Assert.InRange(large.Rows, (2 * small.Rows) - 2, (2 * small.Rows) + 2);
        Assert.InRange(large.Advance, (2 * small.Advance) - 128, (2 * small.Advance) + 128);
    }

    [Fact]
    public void DescendersReachBelowTheBaselineAndSpacesAreBlank()
    {
        var g = _font.Glyph(new Rune('g'), 20);
        Assert.True(g.Top < g.Rows, $"top {g.Top}, rows {g.Rows}");

        var space = _font.Glyph(new Rune(' '), 20);
        Assert.Equal(0, space.Width);
        Assert.True(space.Advance > 0);
        Assert.Same(space, _font.Glyph(new Rune('\n'), 20));
    }

    [Fact]
    public void AVIsKernedTighter()
    {
        Assert.True(_font.Kerning(new Rune('A'), new Rune('V'), 20) < 0);
        Assert.Equal(0, _font.Kerning(new Rune('H'), new Rune('H'), 20));
        Assert.True(_font.Measure("AV", 20) < _font.Glyph(new Rune('A'), 20).Advance + _font.Glyph(new Rune('V'), 20).Advance);
    }

    [Fact]
    public void CharactersOutsideLatinRenderToo()
    {
        var smiley = _font.Glyph(new Rune(0x263A), 24);
        Assert.NotEqual(0u, smiley.GlyphIndex);
        Assert.True(smiley.Width > 0);
    }

    [Fact]
    public void GlyphsAreCached()
    {
        Assert.Same(_font.Glyph(new Rune('Q'), 18), _font.Glyph(new Rune('Q'), 18));
    }

    [Fact]
    public void MissingFontFileIsAClearError()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-banner-font.ttf");
        var error = Assert.Throws<FileNotFoundException>(() => new BannerFont(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNoFontIsRefused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a font");
            Assert.Throws<InvalidDataException>(() => new BannerFont(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

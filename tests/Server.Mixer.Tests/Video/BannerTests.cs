using MediaServer.Mixer.Tests.Codecs;
using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>Banners drawn into a composed picture: where the strip and the text land, what stays untouched, and what it costs.</summary>
public sealed class BannerTests(BannerFontFixture fixture) : IClassFixture<BannerFontFixture>
{
    private const byte Black = 16;
    private const byte Neutral = 128;

    // The strip over black: (16 × 80 + 32 × 176 + 128) / 256.
    private const byte ShadedBlack = 27;

    private readonly BannerRenderer _renderer = new(fixture.Font);

    [Fact]
    public void AliceGetsAStripWithWhiteTextAndNothingElseChanges()
    {
        var canvas = BlackCanvas(1280, 720);
        var before = (byte[])canvas.Data.Clone();
        _renderer.Draw(canvas, 640, 360, 640, 360, "Alice");

        var strip = BannerRenderer.StripHeightFor(360);
        Assert.Equal(60, strip);
        var stripTop = 720 - strip;
        AssertUnchangedOutside(canvas, before, 640, stripTop, 1280, 720);

        var bright = 0;
        var brightLeft = int.MaxValue;
        var brightRight = 0;
        for (var y = stripTop; y < 720; y++)
        {
            for (var x = 640; x < 1280; x++)
            {
                var luma = canvas.Y[(y * canvas.StrideY) + x];
                Assert.InRange(luma, ShadedBlack, BannerRenderer.TextLuma);
                if (luma > 200)
                {
                    bright++;
                    brightLeft = Math.Min(brightLeft, x);
                    brightRight = Math.Max(brightRight, x);
                }
            }
        }

        // Glyphs were drawn, left-aligned after the margin, about as wide as "Alice" measures.
        Assert.True(bright > 100, $"{bright} bright pixels");
        var margin = BannerRenderer.MarginFor(strip);
        Assert.InRange(brightLeft, 640 + margin - 2, 640 + margin + 4);
        var width = fixture.Font.Measure("Alice", BannerRenderer.PixelSizeFor(strip)) >> 6;
        Assert.InRange(brightRight - brightLeft, width - 8, width + 2);

        // Away from the text the strip is plain shade: the right end, the top and bottom rows.
        Assert.Equal(ShadedBlack, canvas.Y[(stripTop * canvas.StrideY) + 1279]);
        Assert.Equal(ShadedBlack, canvas.Y[(stripTop * canvas.StrideY) + 700]);
        Assert.Equal(ShadedBlack, canvas.Y[(719 * canvas.StrideY) + 700]);
        Assert.Equal(Neutral, canvas.U[((stripTop / 2) * canvas.StrideUV) + 400]);
    }

    [Fact]
    public void TheStripDarkensBrightVideoAndWashesOutItsColour()
    {
        var canvas = BlackCanvas(640, 360);
        FillRect(canvas, 0, 0, 640, 360, 200, 90, 200);
        _renderer.Draw(canvas, 0, 0, 640, 360, string.Empty);

        var stripTop = 360 - BannerRenderer.StripHeightFor(360);

        // (200 × 80 + 32 × 176 + 128) / 256 = 85; (90 × 80 + 128 × 176 + 128) / 256 = 116; (200 × 80 + 128 × 176 + 128) / 256 = 151.
        Assert.Equal(200, canvas.Y[((stripTop - 1) * canvas.StrideY) + 320]);
        Assert.Equal(85, canvas.Y[(stripTop * canvas.StrideY) + 320]);
        Assert.Equal(85, canvas.Y[(359 * canvas.StrideY) + 639]);
        Assert.Equal(116, canvas.U[((stripTop / 2) * canvas.StrideUV) + 160]);
        Assert.Equal(151, canvas.V[(179 * canvas.StrideUV) + 319]);
        Assert.Equal(90, canvas.U[(((stripTop / 2) - 1) * canvas.StrideUV) + 160]);
    }

    [Theory]
    [InlineData(48, 360)]
    [InlineData(640, 30)]
    public void TinyTilesGetNoBanner(int width, int height)
    {
        var canvas = BlackCanvas(1280, 720);
        var before = (byte[])canvas.Data.Clone();
        _renderer.Draw(canvas, 100, 100, width, height, "Alice");
        Assert.Equal(before, canvas.Data);
    }

    [Fact]
    public void VeryLongTextStaysInsideItsTileAndEndsInAnEllipsis()
    {
        var canvas = BlackCanvas(640, 360);
        FillRect(canvas, 0, 0, 640, 360, Black, 90, 200);
        var before = (byte[])canvas.Data.Clone();
        var text = string.Concat(Enumerable.Repeat("Wolfgang Amadeus Mozart ", 20));
        _renderer.Draw(canvas, 100, 101, 201, 120, text);

        var strip = BannerRenderer.StripHeightFor(120);
        AssertUnchangedOutside(canvas, before, 100, 221 - strip, 301, 221);

        var brightRight = 0;
        for (var y = 221 - strip; y < 221; y++)
        {
            for (var x = 100; x < 301; x++)
            {
                if (canvas.Y[(y * canvas.StrideY) + x] > 200)
                {
                    brightRight = Math.Max(brightRight, x);
                }
            }
        }

        // The text runs up to the right margin, not past it.
        var margin = BannerRenderer.MarginFor(strip);
        Assert.InRange(brightRight, 301 - margin - BannerRenderer.PixelSizeFor(strip), 301 - margin + 1);
    }

    [Theory]
    [InlineData(-100, 400)]
    [InlineData(1000, 500)]
    [InlineData(1200, 650)]
    [InlineData(-700, -400)]
    public void TilesHangingOffTheCanvasAreClipped(int tileX, int tileY)
    {
        // Tinted, so a stray chroma write would show.
        var canvas = BlackCanvas(1280, 720);
        FillRect(canvas, 0, 0, 1280, 720, 60, 90, 200);
        var before = (byte[])canvas.Data.Clone();
        _renderer.Draw(canvas, tileX, tileY, 640, 360, "Clipped Banner Text");
        var stripTop = tileY + 360 - BannerRenderer.StripHeightFor(360);
        AssertUnchangedOutside(canvas, before, tileX, stripTop, tileX + 640, tileY + 360);
    }

    [Fact]
    public void DrawingAllocatesNothingOnceTheGlyphsAreCached()
    {
        var canvas = BlackCanvas(1280, 720);
        AllocationProbe.AssertNoAllocation(() =>
        {
            _renderer.Draw(canvas, 640, 360, 640, 360, "Alice");
            _renderer.Draw(canvas, 0, 0, 320, 180, "Bartholomew Fitzgerald-Montgomery %u263A \u263A");
        });
    }

    [Fact]
    public void ConcurrentDrawsWithOneFontMatchASingleThreadedDraw()
    {
        using var font = new BannerFont();
        var renderer = new BannerRenderer(font);
        string[] texts = ["Alice", "Bob Builder", "Zo\u00EB \u263A", "Wolfgang Amadeus Mozart the Second"];
        int[] heights = [120, 180, 240, 360];

        var canvases = new I420Frame[8];
        Parallel.For(0, canvases.Length, i =>
        {
            canvases[i] = BlackCanvas(640, 360);
            renderer.Draw(canvases[i], 0, 0, 640, heights[i % 4], texts[i % 4]);
        });

        for (var i = 0; i < canvases.Length; i++)
        {
            var reference = BlackCanvas(640, 360);
            _renderer.Draw(reference, 0, 0, 640, heights[i % 4], texts[i % 4]);
            Assert.Equal(reference.Data, canvases[i].Data);
        }
    }

    [Fact]
    public void VectorShadeMatchesScalarShade()
    {
        var random = new Random(7);
        foreach (var length in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 100, 640, 641 })
        {
            foreach (var alpha in new[] { 0, 1, 128, BannerRenderer.ShadeAlpha, 255, 256 })
            {
                var row = new byte[length];
                random.NextBytes(row);
                var expected = (byte[])row.Clone();
                BannerRenderer.ShadeRowScalar(expected, BannerRenderer.ShadeLuma, alpha);
                BannerRenderer.ShadeRow(row, BannerRenderer.ShadeLuma, alpha);
                Assert.Equal(expected, row);
            }
        }
    }

    [Fact]
    public void VectorTextBlendMatchesScalarBlend()
    {
        var random = new Random(9);
        var coverage = new byte[1000];
        var luma = new byte[1000];
        random.NextBytes(coverage);
        random.NextBytes(luma);
        var expected = (byte[])luma.Clone();
        for (var i = 0; i < expected.Length; i++)
        {
            // One byte at a time never reaches the vector loop.
            BannerRenderer.BlendRow(coverage.AsSpan(i, 1), expected.AsSpan(i, 1));
        }

        BannerRenderer.BlendRow(coverage, luma);
        Assert.Equal(expected, luma);
    }

    [Fact]
    public void TextBlendLeavesUncoveredPixelsAndPaintsCoveredOnesWhite()
    {
        var values = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        var untouched = (byte[])values.Clone();
        BannerRenderer.BlendRow(new byte[256], untouched);
        Assert.Equal(values, untouched);

        var covered = (byte[])values.Clone();
        BannerRenderer.BlendRow(Enumerable.Repeat((byte)255, 256).ToArray(), covered);
        Assert.All(covered, luma => Assert.Equal(BannerRenderer.TextLuma, luma));

        var half = (byte[])values.Clone();
        BannerRenderer.BlendRow(Enumerable.Repeat((byte)128, 256).ToArray(), half);
        Assert.All(Enumerable.Range(0, 256), v => Assert.InRange(half[v], ((v + 235) / 2) - 1, ((v + 235) / 2) + 1));
    }

    private static I420Frame BlackCanvas(int width, int height)
    {
        var canvas = new I420Frame(width, height);
        canvas.Fill(Black, Neutral, Neutral);
        return canvas;
    }

    private static void FillRect(I420Frame canvas, int left, int top, int right, int bottom, byte y, byte u, byte v)
    {
        for (var row = top; row < bottom; row++)
        {
            canvas.Y.Slice((row * canvas.StrideY) + left, right - left).Fill(y);
        }

        for (var row = top / 2; row < bottom / 2; row++)
        {
            canvas.U.Slice((row * canvas.StrideUV) + (left / 2), (right - left) / 2).Fill(u);
            canvas.V.Slice((row * canvas.StrideUV) + (left / 2), (right - left) / 2).Fill(v);
        }
    }

    /// <summary>Every sample (Y, U, V) outside the given luma rectangle is as it was.</summary>
    private static void AssertUnchangedOutside(I420Frame canvas, byte[] before, int left, int top, int right, int bottom)
    {
        for (var y = 0; y < canvas.Height; y++)
        {
            for (var x = 0; x < canvas.Width; x++)
            {
                if (x >= left && x < right && y >= top && y < bottom)
                {
                    continue;
                }

                var at = (y * canvas.StrideY) + x;
                Assert.True(before[at] == canvas.Data[at], $"Y changed at ({x}, {y})");
            }
        }

        for (var y = 0; y < canvas.ChromaHeight; y++)
        {
            for (var x = 0; x < canvas.ChromaWidth; x++)
            {
                // A chroma sample belongs to the rectangle if any of its four luma samples does.
                if ((2 * x) + 1 >= left && 2 * x < right && (2 * y) + 1 >= top && 2 * y < bottom)
                {
                    continue;
                }

                var u = canvas.OffsetU + (y * canvas.StrideUV) + x;
                var v = canvas.OffsetV + (y * canvas.StrideUV) + x;
                Assert.True(before[u] == canvas.Data[u] && before[v] == canvas.Data[v], $"chroma changed at ({x}, {y})");
            }
        }
    }
}

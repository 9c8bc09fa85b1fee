namespace MediaServer.Mixer.Video;

/// <summary>
/// The layouts a server has when conf/layouts.json is absent (tests, a bare install): the
/// `grid` group of conference-layouts.md §4 (1x1, 2x1, 1x1+2x1 and the N×N grids), made by the
/// spec's rules rather than read from a file. The shipped file has these and all the others.
/// </summary>
public static class BuiltInLayouts
{
    public static LayoutCatalog Grid { get; } = MakeGrid();

    private static LayoutCatalog MakeGrid()
    {
        List<VideoLayout> layouts =
        [
            new("1x1", [new LayoutImage(0, 0, 360, 360, Floor: true)]),
            new("2x1", [new LayoutImage(0, 90, 180, 180), new LayoutImage(180, 90, 180, 180)]),
            new("1x1+2x1", [new LayoutImage(90, 0, 180, 180), new LayoutImage(0, 180, 180, 180), new LayoutImage(180, 180, 180, 180)]),
        ];
        foreach (var n in (ReadOnlySpan<int>)[2, 3, 4, 5, 6, 8])
        {
            var cell = 360 / n;
            var images = new List<LayoutImage>();
            for (var k = 0; k < n * n; k++)
            {
                images.Add(new LayoutImage(k % n * cell, k / n * cell, cell, cell));
            }

            layouts.Add(new VideoLayout($"{n}x{n}", images));
        }

        var order = new[] { "1x1", "2x1", "1x1+2x1", "2x2", "3x3", "4x4", "5x5", "6x6", "8x8" };
        var byName = layouts.ToDictionary(l => l.Name, StringComparer.Ordinal);
        return new LayoutCatalog(layouts, [new LayoutGroup("grid", order.Select(name => byName[name]))]);
    }
}

using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>conf/layouts.json against conference-layouts.md §3-§4, and the parser's error lines.</summary>
public sealed class LayoutCatalogTests
{
    public static readonly string[] StandardLayouts =
    [
        "1x1", "1x2", "2x1", "2x1-zoom", "3x1-zoom", "5-grid-zoom", "3x2-zoom", "7-grid-zoom", "4x2-zoom", "1x1+2x1",
        "2x2", "3x3", "4x4", "5x5", "6x6", "8x8", "1up_top_left+5", "1up_top_left+7", "1up_top_left+9",
        "2up_top+8", "2up_middle+8", "2up_bottom+8", "3up+4", "3up+9", "2x1-presenter-zoom",
        "presenter-dual-vertical", "presenter-dual-horizontal", "presenter-overlap-small-top-right",
        "presenter-overlap-small-bot-right", "presenter-overlap-large-top-right", "presenter-overlap-large-bot-right", "overlaps",
    ];

    [Fact]
    public void ShipsEveryStandardLayoutAndNothingElse()
    {
        var names = ShippedLayouts.Catalog.Layouts.Select(layout => layout.Name).ToArray();
        Assert.Equal(StandardLayouts.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("1x1", 1, false)]
    [InlineData("1x2", 2, true)]
    [InlineData("2x1", 2, true)]
    [InlineData("2x1-zoom", 2, true)]
    [InlineData("3x1-zoom", 3, true)]
    [InlineData("5-grid-zoom", 5, true)]
    [InlineData("3x2-zoom", 6, true)]
    [InlineData("7-grid-zoom", 7, true)]
    [InlineData("4x2-zoom", 8, true)]
    [InlineData("1x1+2x1", 3, true)]
    [InlineData("2x2", 4, true)]
    [InlineData("3x3", 9, true)]
    [InlineData("4x4", 16, true)]
    [InlineData("5x5", 25, true)]
    [InlineData("6x6", 36, true)]
    [InlineData("8x8", 64, true)]
    [InlineData("1up_top_left+5", 6, true)]
    [InlineData("1up_top_left+7", 8, true)]
    [InlineData("1up_top_left+9", 10, true)]
    [InlineData("2up_top+8", 10, true)]
    [InlineData("2up_middle+8", 10, true)]
    [InlineData("2up_bottom+8", 10, true)]
    [InlineData("3up+4", 7, true)]
    [InlineData("3up+9", 12, true)]
    [InlineData("2x1-presenter-zoom", 2, true)]
    [InlineData("presenter-dual-vertical", 2, false)]
    [InlineData("presenter-dual-horizontal", 2, false)]
    [InlineData("presenter-overlap-small-top-right", 2, false)]
    [InlineData("presenter-overlap-small-bot-right", 2, false)]
    [InlineData("presenter-overlap-large-top-right", 2, false)]
    [InlineData("presenter-overlap-large-bot-right", 2, false)]
    [InlineData("overlaps", 7, true)]
    public void SlotCountAndAuto3dPosition(string name, int slots, bool auto3d)
    {
        var layout = ShippedLayouts.Layout(name);
        Assert.Equal(slots, layout.Images.Count);
        Assert.Equal(auto3d, layout.Auto3dPosition);
    }

    [Theory]
    [InlineData("1x1", 0, "")]
    [InlineData("3x3", -1, "")]
    [InlineData("2x1-zoom", -1, "")]
    [InlineData("1up_top_left+5", 0, "")]
    [InlineData("1up_top_left+7", 0, "")]
    [InlineData("1up_top_left+9", 0, "")]
    [InlineData("2up_top+8", 0, "secondary")]
    [InlineData("2up_middle+8", 0, "secondary")]
    [InlineData("2up_bottom+8", 0, "secondary")]
    [InlineData("3up+4", 0, "secondary,third")]
    [InlineData("3up+9", 0, "secondary,third")]
    [InlineData("2x1-presenter-zoom", 0, "presenter")]
    [InlineData("presenter-dual-vertical", 0, "presenter")]
    [InlineData("presenter-dual-horizontal", 0, "presenter")]
    [InlineData("presenter-overlap-small-top-right", 0, "presenter")]
    [InlineData("presenter-overlap-small-bot-right", 0, "presenter")]
    [InlineData("presenter-overlap-large-top-right", 0, "presenter")]
    [InlineData("presenter-overlap-large-bot-right", 0, "presenter")]
    [InlineData("overlaps", 0, "")]
    public void FloorIndexAndReservationIds(string name, int floorIndex, string reservationIds)
    {
        var layout = ShippedLayouts.Layout(name);
        Assert.Equal(floorIndex, layout.FloorIndex);
        Assert.Equal(reservationIds.Split(',', StringSplitOptions.RemoveEmptyEntries), layout.ReservationIds);
    }

    [Fact]
    public void LayoutsWithoutFloorOrReservationPerSpecHaveNone()
    {
        string[] plain = ["1x2", "2x1", "2x1-zoom", "3x1-zoom", "5-grid-zoom", "3x2-zoom", "7-grid-zoom", "4x2-zoom", "1x1+2x1", "2x2", "3x3", "4x4", "5x5", "6x6", "8x8"];
        foreach (var name in plain)
        {
            var layout = ShippedLayouts.Layout(name);
            Assert.Equal(-1, layout.FloorIndex);
            Assert.Empty(layout.ReservationIds);
        }
    }

    [Theory]
    [InlineData("presenter-dual-vertical")]
    [InlineData("presenter-dual-horizontal")]
    [InlineData("presenter-overlap-small-top-right")]
    [InlineData("presenter-overlap-large-bot-right")]
    [InlineData("overlaps")]
    public void PresenterAndOverlapLayoutsKeepTheirFirstSlotForTheFloorHolderOnly(string name)
    {
        var first = ShippedLayouts.Layout(name).Images[0];
        Assert.True(first.FloorOnly);
        Assert.True(first.IsFloor);
    }

    /// <summary>One slot per layout checked against the words of §3 (the rest follow from the geometry tests).</summary>
    [Theory]
    [InlineData("1x1", 0, 0, 0, 360, 360, "floor")]
    [InlineData("1x2", 1, 90, 180, 180, 180, "")]
    [InlineData("2x1", 1, 180, 90, 180, 180, "")]
    [InlineData("2x1-zoom", 1, 180, 0, 180, 360, "zoom")]
    [InlineData("3x1-zoom", 2, 240, 0, 120, 360, "zoom")]
    [InlineData("5-grid-zoom", 1, 180, 0, 180, 180, "zoom")]
    [InlineData("5-grid-zoom", 4, 240, 180, 120, 180, "zoom")]
    [InlineData("3x2-zoom", 4, 120, 180, 120, 180, "zoom")]
    [InlineData("7-grid-zoom", 2, 240, 0, 120, 180, "zoom")]
    [InlineData("7-grid-zoom", 6, 270, 180, 90, 180, "zoom")]
    [InlineData("4x2-zoom", 7, 270, 180, 90, 180, "zoom")]
    [InlineData("1x1+2x1", 0, 90, 0, 180, 180, "")]
    [InlineData("1x1+2x1", 2, 180, 180, 180, 180, "")]
    [InlineData("5x5", 24, 288, 288, 72, 72, "")]
    [InlineData("6x6", 7, 60, 60, 60, 60, "")]
    [InlineData("8x8", 63, 315, 315, 45, 45, "")]
    [InlineData("1up_top_left+7", 0, 0, 0, 270, 270, "floor")]
    [InlineData("1up_top_left+7", 3, 270, 180, 90, 90, "")]
    [InlineData("1up_top_left+7", 7, 270, 270, 90, 90, "")]
    [InlineData("1up_top_left+9", 0, 0, 0, 288, 288, "floor")]
    [InlineData("1up_top_left+9", 4, 288, 216, 72, 72, "")]
    [InlineData("1up_top_left+9", 9, 288, 288, 72, 72, "")]
    [InlineData("2up_top+8", 1, 180, 0, 180, 180, "secondary")]
    [InlineData("2up_top+8", 9, 270, 270, 90, 90, "")]
    [InlineData("2up_middle+8", 0, 0, 90, 180, 180, "floor")]
    [InlineData("2up_middle+8", 2, 0, 0, 90, 90, "")]
    [InlineData("2up_middle+8", 9, 270, 270, 90, 90, "")]
    [InlineData("2up_bottom+8", 1, 180, 180, 180, 180, "secondary")]
    [InlineData("2up_bottom+8", 9, 270, 90, 90, 90, "")]
    [InlineData("3up+4", 2, 0, 180, 180, 180, "third")]
    [InlineData("3up+4", 6, 270, 270, 90, 90, "")]
    [InlineData("3up+9", 11, 300, 300, 60, 60, "")]
    [InlineData("2x1-presenter-zoom", 0, 0, 0, 180, 360, "floor,zoom")]
    [InlineData("2x1-presenter-zoom", 1, 180, 0, 180, 360, "presenter,zoom")]
    [InlineData("presenter-dual-vertical", 1, 90, 180, 180, 180, "presenter")]
    [InlineData("presenter-dual-horizontal", 0, 0, 90, 180, 180, "floor-only")]
    [InlineData("presenter-dual-horizontal", 1, 180, 90, 180, 180, "presenter")]
    [InlineData("presenter-overlap-small-top-right", 1, 300, 0, 60, 60, "overlap,presenter")]
    [InlineData("presenter-overlap-small-bot-right", 1, 300, 300, 60, 60, "overlap,presenter")]
    [InlineData("presenter-overlap-large-top-right", 1, 180, 0, 180, 180, "overlap,presenter")]
    [InlineData("presenter-overlap-large-bot-right", 1, 180, 180, 180, 180, "overlap,presenter")]
    [InlineData("overlaps", 1, 300, 300, 60, 60, "overlap")]
    [InlineData("overlaps", 6, 0, 300, 60, 60, "overlap")]
    public void SlotAsTheSpecDescribesIt(string name, int index, int x, int y, int scale, int hscale, string flags)
    {
        var image = ShippedLayouts.Layout(name).Images[index];
        var expected = flags.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((x, y, scale, hscale), (image.X, image.Y, image.Scale, image.HScale));
        Assert.Equal(expected.Contains("zoom"), image.Zoom);
        Assert.Equal(expected.Contains("floor"), image.Floor);
        Assert.Equal(expected.Contains("floor-only"), image.FloorOnly);
        Assert.Equal(expected.Contains("overlap"), image.Overlap);
        Assert.Equal(expected.FirstOrDefault(flag => flag is "secondary" or "third" or "presenter"), image.ReservationId);
    }

    [Fact]
    public void OverlapsListsItsSmallTilesRightToLeft()
    {
        var xs = ShippedLayouts.Layout("overlaps").Images.Skip(1).Select(image => image.X);
        Assert.Equal([300, 240, 180, 120, 60, 0], xs);
    }

    [Fact]
    public void ZoomGridsZoomEverySlot()
    {
        foreach (var name in new[] { "2x1-zoom", "3x1-zoom", "5-grid-zoom", "3x2-zoom", "7-grid-zoom", "4x2-zoom", "2x1-presenter-zoom" })
        {
            Assert.All(ShippedLayouts.Layout(name).Images, image => Assert.True(image.Zoom, name));
        }
    }

    [Theory]
    [InlineData("grid", "1x1,2x1,1x1+2x1,2x2,3x3,4x4,5x5,6x6,8x8")]
    [InlineData("grid-zoom", "1x1,2x1-zoom,3x1-zoom,2x2,5-grid-zoom,3x2-zoom,7-grid-zoom,4x2-zoom,3x3")]
    [InlineData("1up_top_left_plus", "1up_top_left+5,1up_top_left+7,1up_top_left+9")]
    [InlineData("3up_plus", "3up+4,3up+9")]
    public void GroupsListTheirLayoutsInOrder(string group, string layouts)
    {
        var found = ShippedLayouts.Catalog.FindGroup("group:" + group);
        Assert.NotNull(found);
        Assert.Same(found, ShippedLayouts.Catalog.FindGroup(group));
        Assert.Equal(layouts.Split(','), found.Layouts.Select(layout => layout.Name));
        Assert.Equal("group:" + group, found.ClientName);
    }

    [Fact]
    public void ShipsExactlyTheFourVanillaGroups()
    {
        Assert.Equal(["grid", "grid-zoom", "1up_top_left_plus", "3up_plus"], ShippedLayouts.Catalog.Groups.Select(group => group.Name));
    }

    [Theory]
    [InlineData("grid", 0, "1x1")]
    [InlineData("grid", 1, "1x1")]
    [InlineData("grid", 2, "2x1")]
    [InlineData("grid", 3, "1x1+2x1")]
    [InlineData("grid", 4, "2x2")]
    [InlineData("grid", 5, "3x3")]
    [InlineData("grid", 9, "3x3")]
    [InlineData("grid", 10, "4x4")]
    [InlineData("grid", 16, "4x4")]
    [InlineData("grid", 17, "5x5")]
    [InlineData("grid", 25, "5x5")]
    [InlineData("grid", 26, "6x6")]
    [InlineData("grid", 36, "6x6")]
    [InlineData("grid", 37, "8x8")]
    [InlineData("grid", 64, "8x8")]
    [InlineData("grid", 200, "8x8")]
    [InlineData("grid-zoom", 1, "1x1")]
    [InlineData("grid-zoom", 2, "2x1-zoom")]
    [InlineData("grid-zoom", 3, "3x1-zoom")]
    [InlineData("grid-zoom", 4, "2x2")]
    [InlineData("grid-zoom", 5, "5-grid-zoom")]
    [InlineData("grid-zoom", 6, "3x2-zoom")]
    [InlineData("grid-zoom", 7, "7-grid-zoom")]
    [InlineData("grid-zoom", 8, "4x2-zoom")]
    [InlineData("grid-zoom", 9, "3x3")]
    [InlineData("grid-zoom", 30, "3x3")]
    [InlineData("1up_top_left_plus", 1, "1up_top_left+5")]
    [InlineData("1up_top_left_plus", 6, "1up_top_left+5")]
    [InlineData("1up_top_left_plus", 7, "1up_top_left+7")]
    [InlineData("1up_top_left_plus", 8, "1up_top_left+7")]
    [InlineData("1up_top_left_plus", 9, "1up_top_left+9")]
    [InlineData("1up_top_left_plus", 40, "1up_top_left+9")]
    [InlineData("3up_plus", 1, "3up+4")]
    [InlineData("3up_plus", 7, "3up+4")]
    [InlineData("3up_plus", 8, "3up+9")]
    [InlineData("3up_plus", 20, "3up+9")]
    public void GroupPicksTheFirstLayoutWithEnoughSlots(string group, int participants, string expected)
    {
        Assert.Equal(expected, ShippedLayouts.Catalog.FindGroup(group)!.Pick(participants).Name);
    }

    [Fact]
    public void AutoAudioPositionComesFromTheSlotCentre()
    {
        var layout = ShippedLayouts.Layout("3x3");
        Assert.Equal("-0.666667:0.0:0.666667", layout.AudioPositionOf(0));
        Assert.Equal("0.000000:0.0:0.000000", layout.AudioPositionOf(4));
        Assert.Null(ShippedLayouts.Layout("1x1").AudioPositionOf(0));
    }

    [Fact]
    public void UnknownNamesAreNotFound()
    {
        Assert.Null(ShippedLayouts.Catalog.FindLayout("9x9"));
        Assert.Null(ShippedLayouts.Catalog.FindGroup("group:nope"));
        Assert.Null(ShippedLayouts.Catalog.FindLayout("group:grid"));
    }

    [Fact]
    public void ParsesDefaultsAndAlternativeSpellings()
    {
        const string Json = """
            {
              // comments and trailing commas are fine, as in the other conf files
              "layouts": [
                { "name": "pip", "border": 4, "images": [
                  { "x": 0, "y": 0, "scale": 360, "floor-only": true, "audio-position": "auto" },
                  { "x": 240, "y": 0, "scale": 120, "hscale": 90, "overlap": true, "reservation-id": "presenter", "border": 0, "audio-position": "1:0:-0.5" },
                ] }
              ]
            }
            """;
        var catalog = LayoutCatalog.Parse(Json, out var error);
        Assert.Null(error);
        var layout = catalog!.FindLayout("pip")!;
        Assert.Equal(new LayoutImage(0, 0, 360, 360, FloorOnly: true, Border: 4, AudioPosition: "auto"), layout.Images[0]);
        Assert.Equal(new LayoutImage(240, 0, 120, 90, Overlap: true, ReservationId: "presenter", Border: 0, AudioPosition: "1:0:-0.5"), layout.Images[1]);
        Assert.Equal(0, layout.FloorIndex);
        Assert.Equal(["presenter"], layout.ReservationIds);
        Assert.Equal("0.000000:0.0:0.000000", layout.AudioPositionOf(0));
        Assert.Equal("1:0:-0.5", layout.AudioPositionOf(1));
        Assert.Empty(catalog.Groups);
    }

    private const string Good = """{ "name": "a", "images": [ { "x": 0, "y": 0, "scale": 360 } ] }""";

    [Theory]
    [InlineData("""[]""", "layouts.json: (top level): must be a JSON object")]
    [InlineData("""{}""", "layouts.json: layouts: missing: the file must list at least one layout")]
    [InlineData("""{"layouts":[]}""", "layouts.json: layouts: must have at least 1 entry")]
    [InlineData("""{"layouts":[], "colours": 1}""", "layouts.json: colours: unknown field (known: layouts, groups)")]
    [InlineData("""{"layouts":[{"images":[{"x":0,"y":0,"scale":1}]}]}""", "layouts.json: layouts[0].name: missing: every entry needs a name")]
    [InlineData("""{"layouts":[{"name":"two words","images":[{"x":0,"y":0,"scale":1}]}]}""", "layouts.json: layouts[0].name: 'two words' must not contain spaces")]
    [InlineData("""{"layouts":[{"name":"a"}]}""", "layouts.json: layouts[0].images: missing: a layout needs at least one image")]
    [InlineData("""{"layouts":[{"name":"a","images":[]}]}""", "layouts.json: layouts[0].images: must have at least 1 entry")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0}]}]}""", "layouts.json: layouts[0].images[0].scale: missing: must be a whole number from 1 to 360")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":0}]}]}""", "layouts.json: layouts[0].images[0].scale: must be a whole number from 1 to 360")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":12.5}]}]}""", "layouts.json: layouts[0].images[0].scale: must be a whole number from 1 to 360")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":"0","y":0,"scale":1}]}]}""", "layouts.json: layouts[0].images[0].x: must be a whole number from 0 to 359")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":300,"y":0,"scale":120}]}]}""", "layouts.json: layouts[0].images[0].scale: x + scale is 420, past the canvas's right edge (360)")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":300,"scale":60,"hscale":90}]}]}""", "layouts.json: layouts[0].images[0].hscale: y + height is 390, past the canvas's bottom edge (360)")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":1,"zoom":"yes"}]}]}""", "layouts.json: layouts[0].images[0].zoom: must be true or false")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":1,"border":51}]}]}""", "layouts.json: layouts[0].images[0].border: must be a whole number from 0 to 50")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":1,"reservation_id":""}]}]}""", "layouts.json: layouts[0].images[0].reservation_id: must be a non-empty string")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":1,"reservation_id":"a","reservation-id":"b"}]}]}""", "layouts.json: layouts[0].images[0].reservation-id: give reservation_id or reservation-id, not both")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":1,"audio-position":"left"}]}]}""", "layouts.json: layouts[0].images[0].audio-position: 'left' is not \"auto\" or three numbers \"x:y:z\"")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":1,"role-id":"x"}]}]}""", "layouts.json: layouts[0].images[0].role-id: not supported by this server")]
    [InlineData("""{"layouts":[{"name":"a","images":[{"x":0,"y":0,"scale":1,"flor":true}]}]}""", "layouts.json: layouts[0].images[0].flor: unknown field (known: x, y, scale, hscale, zoom, floor, floor-only, overlap, reservation_id, reservation-id, border, audio-position)")]
    [InlineData("""{"layouts":[{"name":"a","bgimg":"x.png","images":[{"x":0,"y":0,"scale":1}]}]}""", "layouts.json: layouts[0].bgimg: not supported by this server")]
    [InlineData("""{"layouts":[""" + Good + "," + Good + """]}""", "layouts.json: layouts[1].name: layout 'a' is defined twice")]
    [InlineData("""{"layouts":[""" + Good + """],"groups":[{"name":"g","layouts":["a","b"]}]}""", "layouts.json: groups[0].layouts[1]: no layout named 'b'")]
    [InlineData("""{"layouts":[""" + Good + """],"groups":[{"name":"group:g","layouts":["a"]}]}""", "layouts.json: groups[0].name: give the name without the \"group:\" prefix clients see")]
    [InlineData("""{"layouts":[""" + Good + """],"groups":[{"name":"g","layouts":[]}]}""", "layouts.json: groups[0].layouts: must have at least 1 entry")]
    [InlineData("""{"layouts":[""" + Good + """],"groups":[{"name":"g","layouts":[1]}]}""", "layouts.json: groups[0].layouts[0]: must be a layout name")]
    [InlineData("""{"layouts":[""" + Good + """],"groups":[{"name":"g","layouts":["a"]},{"name":"g","layouts":["a"]}]}""", "layouts.json: groups[1].name: group 'g' is defined twice")]
    public void ParseErrorNamesTheField(string json, string expected)
    {
        Assert.Null(LayoutCatalog.Parse(json, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ParseErrorDeepInTheListNamesItsIndexes()
    {
        var layouts = string.Join(",", Enumerable.Range(0, 3).Select(i => $$"""{"name":"l{{i}}","images":[{"x":0,"y":0,"scale":90}]}"""));
        const string Bad = """{"name":"bad","images":[{"x":0,"y":0,"scale":90},{"x":90,"y":0,"scale":90},{"x":180,"y":0,"scale":-1}]}""";
        Assert.Null(LayoutCatalog.Parse($$"""{"layouts":[{{layouts}},{{Bad}}]}""", out var error));
        Assert.Equal("layouts.json: layouts[3].images[2].scale: must be a whole number from 1 to 360", error);
    }

    [Fact]
    public void InvalidJsonGivesTheLine()
    {
        Assert.False(LayoutCatalog.TryParse("{\n  \"layouts\": [\n  oops\n]}", "custom.json", out _, out var error));
        Assert.StartsWith("custom.json: line 3: invalid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAnErrorNotAnException()
    {
        Assert.False(LayoutCatalog.TryLoad(Path.Combine(Path.GetTempPath(), "no-such-dir-7f3a", "layouts.json"), out _, out var error));
        Assert.StartsWith("layouts.json: cannot be read", error, StringComparison.Ordinal);
    }
}

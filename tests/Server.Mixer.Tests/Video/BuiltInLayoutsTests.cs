using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>The layouts a server has without conf/layouts.json are the shipped grid group, slot for slot.</summary>
public sealed class BuiltInLayoutsTests
{
    [Fact]
    public void TheBuiltInGridEqualsTheShippedOne()
    {
        var builtIn = BuiltInLayouts.Grid.FindGroup("grid")!;
        var shipped = ShippedLayouts.Catalog.FindGroup("grid")!;
        Assert.Equal(shipped.Layouts.Select(l => l.Name), builtIn.Layouts.Select(l => l.Name));
        foreach (var layout in builtIn.Layouts)
        {
            var expected = shipped.Layouts.Single(l => l.Name == layout.Name);
            Assert.Equal(expected.Images.Select(i => (i.X, i.Y, i.Scale, i.HScale, i.IsFloor)), layout.Images.Select(i => (i.X, i.Y, i.Scale, i.HScale, i.IsFloor)));
        }

        for (var members = 1; members <= 40; members++)
        {
            Assert.Equal(shipped.Pick(members).Name, builtIn.Pick(members).Name);
        }
    }
}

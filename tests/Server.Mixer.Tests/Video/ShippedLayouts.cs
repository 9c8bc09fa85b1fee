using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>The catalog in conf/layouts.json, loaded once from the repository the tests were built from.</summary>
internal static class ShippedLayouts
{
    private static readonly Lazy<LayoutCatalog> Loaded = new(Load);

    public static LayoutCatalog Catalog => Loaded.Value;

    public static VideoLayout Layout(string name) => Catalog.FindLayout(name) ?? throw new InvalidOperationException($"no layout {name}");

    public static string Path => System.IO.Path.Combine(RepositoryRoot(), "conf", LayoutCatalog.DefaultFileName);

    private static LayoutCatalog Load() =>
        LayoutCatalog.TryLoad(Path, out var catalog, out var error) ? catalog : throw new InvalidOperationException(error);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "MediaServer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MediaServer.sln not found above the test binaries");
    }
}

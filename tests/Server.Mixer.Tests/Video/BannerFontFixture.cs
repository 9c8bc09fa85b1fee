using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>One DejaVu Sans font per test class: loading it is cheap, but the glyph cache is what the tests exercise.</summary>
public sealed class BannerFontFixture : IDisposable
{
    public BannerFont Font { get; } = new();

    public void Dispose() => Font.Dispose();
}

using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

/// <summary>The captured SDP files of Sdp/Captures (see the README there), copied next to the test assembly.</summary>
internal static class SdpCapture
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Sdp", "Captures");

    /// <summary>Every capture, offers and answers.</summary>
    public static TheoryData<string> All() => [.. Names()];

    /// <summary>The captures that are offers (everything but the browser's answer).</summary>
    public static TheoryData<string> Offers() => [.. Names().Where(n => !n.Contains("answer", StringComparison.Ordinal))];

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name + ".sdp"));

    public static SessionDescription Parse(string name)
    {
        Assert.True(SessionDescription.TryParse(Text(name), out var description, out var error), error);
        return description!;
    }

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.sdp").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);
}

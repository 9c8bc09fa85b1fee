using System.Globalization;
using FsCheck;

namespace MediaServer.Protocol.Tests.Support;

/// <summary>
/// How many cases each property test tries: a few thousand by default so the suite stays fast,
/// more for nightly runs through MEDIASERVER_PROPERTY_COUNT.
/// </summary>
public static class PropertyRuns
{
    public const int DefaultCount = 3000;

    public static int Count { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("MEDIASERVER_PROPERTY_COUNT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : DefaultCount;

    public static Config Config => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Count).WithQuietOnSuccess(true);
}

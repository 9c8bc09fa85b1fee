using System.Globalization;
using FsCheck;

namespace MediaServer.Tests.Security;

/// <summary>
/// How many cases the property tests here try: a few hundred by default (each case here loads
/// files or builds JSON documents), MEDIASERVER_PROPERTY_COUNT for the nightly run
/// (scripts/nightly-properties.sh), as in Server.Protocol.Tests.
/// </summary>
public static class PropertyRuns
{
    public const int DefaultCount = 300;

    public static int Count { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("MEDIASERVER_PROPERTY_COUNT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : DefaultCount;

    public static Config Config => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Count).WithQuietOnSuccess(true);
}

namespace MediaServer.Tests.Security;

/// <summary>
/// The abuse tests load the machine on purpose (floods, storms, a thousand sockets): they run
/// alone, so neither they nor the media-timing tests of other classes measure each other's load.
/// </summary>
[CollectionDefinition(nameof(AbuseCollection), DisableParallelization = true)]
public sealed class AbuseCollection;

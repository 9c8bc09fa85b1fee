namespace MediaServer.Tests.Browser;

/// <summary>Browser tests run one at a time: each starts a Chromium, and the machine has two cores.</summary>
[CollectionDefinition(nameof(BrowserCollection), DisableParallelization = true)]
public sealed class BrowserCollection
{
}

namespace MediaServer.Tests.Browser;

/// <summary>
/// Tests that need the machine to themselves run one at a time, after the parallel ones: browser
/// tests (each starts a Chromium, and the machine has two cores) and the timing-sensitive loads
/// (the soak, the impaired member), whose mixer must keep time while they measure it.
/// </summary>
[CollectionDefinition(nameof(BrowserCollection), DisableParallelization = true)]
public sealed class BrowserCollection
{
}

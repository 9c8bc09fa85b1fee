namespace MediaServer.Mixer.Tests.Codecs;

/// <summary>Asserts that a hot path allocates nothing on the calling thread once warmed up.</summary>
internal static class AllocationProbe
{
    public static void AssertNoAllocation(Action action, int iterations = 200)
    {
        // Warm-up runs static constructors, interop stub generation and tier-up outside the measurement.
        for (var i = 0; i < 50; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated over {iterations} runs.");
    }
}

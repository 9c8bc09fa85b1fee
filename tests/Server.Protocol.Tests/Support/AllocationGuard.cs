namespace MediaServer.Protocol.Tests.Support;

/// <summary>Asserts that a hot path allocates nothing on the calling thread once warmed up.</summary>
public static class AllocationGuard
{
    public static void AssertNoAllocation(Action action, int iterations = 2000)
    {
        // Warm-up runs static constructors, tier-up and any lazy init outside the measurement.
        for (var i = 0; i < 200; i++)
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

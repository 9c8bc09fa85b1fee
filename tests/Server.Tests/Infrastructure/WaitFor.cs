namespace MediaServer.Tests.Infrastructure;

/// <summary>Polls a condition of the server's state until it holds or a bounded time passes.</summary>
public static class WaitFor
{
    public static async Task ConditionAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met in time{(what is null ? string.Empty : ": " + what)}");
            }

            await Task.Delay(20);
        }
    }
}

using System.Diagnostics;

namespace MediaServer.Bench.Load;

/// <summary>
/// What the load generator itself spent during the measured window. It shares the machine
/// with the server, so its CPU and GC pauses are part of the latency picture.
/// </summary>
internal sealed record ClientCost(
    double CpuPercent, double AllocatedMegabytesPerSecond, int Gen0, int Gen1, int Gen2, double GcPauseMilliseconds)
{
    public static ClientCost None { get; } = new(0, 0, 0, 0, 0, 0);

    public static ClientCost Between(ProcessSample start, ProcessSample end)
    {
        double seconds = (double)(end.Timestamp - start.Timestamp) / Stopwatch.Frequency;
        if (seconds <= 0)
        {
            return None;
        }
        return new ClientCost(
            100.0 * (end.Cpu - start.Cpu).TotalSeconds / seconds,
            (end.AllocatedBytes - start.AllocatedBytes) / seconds / (1024 * 1024),
            end.Gen0 - start.Gen0,
            end.Gen1 - start.Gen1,
            end.Gen2 - start.Gen2,
            (end.GcPause - start.GcPause).TotalMilliseconds);
    }
}

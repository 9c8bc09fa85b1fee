using BenchmarkDotNet.Running;

namespace MediaServer.Bench.Micro;

/// <summary>Runs the suite; pass BenchmarkDotNet's own arguments (--filter '*Broadcast*', --job short, ...).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

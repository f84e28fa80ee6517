using BenchmarkDotNet.Running;

namespace NanoInt8.Benchmarks
{
    /// <summary>Entry point: BenchmarkDotNet's switcher (pass --filter to pick benchmarks).</summary>
    public static class Program
    {
        public static void Main(string[] args)
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        }
    }
}

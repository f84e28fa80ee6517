using BenchmarkDotNet.Attributes;
using NanoInt8.Host.Planning;

namespace NanoInt8.Benchmarks
{
    /// <summary>
    /// Arena planning of 5,000 buffers in a chain with skip connections (a random graph that
    /// never reaches the lower bound, so the planner spends its whole search budget).
    /// </summary>
    public class PlannerBenchmarks
    {
        private readonly List<(int Size, int First, int Last)> _buffers = new();

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(1);
            var lastUse = new List<int>();
            var sizes = new List<int>();
            for (int step = 0; step < 5000; step++)
            {
                sizes.Add(random.Next(1, 64) * 256);
                lastUse.Add(step);
                int input = Math.Max(0, step - 1 - random.Next(0, 12));
                lastUse[input] = Math.Max(lastUse[input], step);
            }

            for (int i = 0; i < sizes.Count; i++)
            {
                _buffers.Add((sizes[i], i - 1, Math.Max(lastUse[i], i)));
            }
        }

        [Benchmark]
        public int PlanFiveThousandBuffers()
        {
            var planner = new ArenaPlanner();
            foreach ((int size, int first, int last) in _buffers)
            {
                planner.AddBuffer(size, first, last);
            }

            return planner.Plan().ArenaBytes;
        }
    }
}

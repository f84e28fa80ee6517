using CsCheck;
using NanoInt8.Host.Planning;

namespace NanoInt8.Host.Tests.Planning
{
    /// <summary>
    /// Random buffer sets checked by the brute-force <see cref="PlanVerifier"/>, and the cases where
    /// the optimum is known.
    /// </summary>
    [TestClass]
    public class ArenaPlannerPropertyTests
    {
        /// <summary>A buffer: size 0 .. 200 (about one in eight empty), first step -1 .. 30, lifetime
        /// 1 .. 13 steps.</summary>
        private static readonly Gen<BufferSpec> s_buffer = Gen.Select(
            Gen.Frequency((1, (IGen<int>)Gen.Const(0)), (7, Gen.Int[1, 200])),
            Gen.Int[-1, 30],
            Gen.Int[0, 12],
            (size, first, length) => new BufferSpec(size, first, first + length));

        /// <summary>Buffers, a few alias pairs among them, an alignment of 1 .. 8.</summary>
        private static readonly Gen<(BufferSpec[] Buffers, (int Alias, int Target)[] Aliases, int Alignment)> s_problem =
            s_buffer.Array[1, 40].SelectMany(buffers =>
                Gen.Select(Gen.Int[0, buffers.Length - 1], Gen.Int[0, buffers.Length - 1])
                    .Where(pair => pair.Item1 != pair.Item2)
                    .Array[0, buffers.Length / 4]
                    .SelectMany(aliases => Gen.OneOf(1, 1, 2, 4, 8).Select(alignment => (buffers, aliases, alignment))));

        [TestMethod]
        public void Plan_RandomBuffers_PassesBruteForceVerifier()
        {
            s_problem.Sample(
                problem =>
                {
                    ArenaPlan plan = Build(problem.Buffers, problem.Aliases, problem.Alignment).Plan();
                    PlanVerifier.Verify(problem.Buffers, problem.Aliases, plan, problem.Alignment);
                },
                iter: 3000);
        }

        [TestMethod]
        public void Plan_AllLiveAtOneStep_ArenaIsTheSumOfSizes()
        {
            // Every lifetime contains step 5: all buffers must be stacked, and nothing more is needed.
            Gen.Select(Gen.Int[0, 300], Gen.Int[-1, 5], Gen.Int[5, 12], (size, first, last) => new BufferSpec(size, first, last))
                .Array[1, 30]
                .Sample(
                    buffers =>
                    {
                        ArenaPlan plan = Build(buffers, Array.Empty<(int, int)>(), 1).Plan();
                        PlanVerifier.Verify(buffers, Array.Empty<(int, int)>(), plan);
                        Assert.AreEqual(buffers.Sum(buffer => buffer.Size), plan.ArenaBytes);
                    },
                    iter: 1000);
        }

        [TestMethod]
        public void Plan_PairwiseDisjointLifetimes_ArenaIsTheLargestSize()
        {
            Gen.Select(Gen.Int[0, 300], Gen.Int[0, 4], (size, length) => (size, length))
                .Array[1, 30]
                .Sample(
                    shapes =>
                    {
                        var buffers = new List<BufferSpec>();
                        int step = -1;
                        foreach ((int size, int length) in shapes)
                        {
                            buffers.Add(new BufferSpec(size, step, step + length));
                            step += length + 1;
                        }

                        ArenaPlan plan = Build(buffers, Array.Empty<(int, int)>(), 1).Plan();
                        Assert.IsTrue(plan.Offsets.All(offset => offset == 0));
                        Assert.AreEqual(shapes.Max(shape => shape.size), plan.ArenaBytes);
                        Assert.AreEqual(plan.ArenaBytes, plan.LowerBound);
                    },
                    iter: 1000);
        }

        [TestMethod]
        public void Plan_RandomBuffers_SamePlanEveryTime()
        {
            s_problem.Sample(
                problem =>
                {
                    ArenaPlan first = Build(problem.Buffers, problem.Aliases, problem.Alignment).Plan();
                    ArenaPlan second = Build(problem.Buffers, problem.Aliases, problem.Alignment).Plan();
                    CollectionAssert.AreEqual(first.Offsets.ToArray(), second.Offsets.ToArray());
                },
                iter: 500);
        }

        private static ArenaPlanner Build(IReadOnlyList<BufferSpec> buffers, IReadOnlyList<(int Alias, int Target)> aliases, int alignment)
        {
            var planner = new ArenaPlanner(alignment);
            foreach (BufferSpec buffer in buffers)
            {
                planner.AddBuffer(buffer.Size, buffer.FirstStep, buffer.LastStep);
            }

            foreach ((int alias, int target) in aliases)
            {
                planner.AddAlias(alias, target);
            }

            return planner;
        }
    }
}

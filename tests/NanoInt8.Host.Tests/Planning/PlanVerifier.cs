using NanoInt8.Host.Planning;

namespace NanoInt8.Host.Tests.Planning
{
    /// <summary>One buffer as a test hands it to the planner.</summary>
    internal readonly record struct BufferSpec(int Size, int FirstStep, int LastStep);

    /// <summary>
    /// Brute-force checks of an <see cref="ArenaPlan"/>, written without anything the planner uses:
    /// every pair of buffers, every step.
    /// </summary>
    internal static class PlanVerifier
    {
        /// <summary>
        /// Asserts that the plan is safe and consistent: buffers whose lifetimes intersect do not
        /// overlap in memory unless they are in one alias group; members of an alias group share
        /// their offset; offsets are aligned; ArenaBytes is the largest end; LowerBound equals the
        /// independently computed bound and ArenaBytes is at least that.
        /// </summary>
        public static void Verify(
            IReadOnlyList<BufferSpec> buffers,
            IReadOnlyList<(int Alias, int Target)> aliases,
            ArenaPlan plan,
            int alignment = 1)
        {
            Assert.HasCount(buffers.Count, plan.Offsets);
            int[] group = AliasGroups(buffers.Count, aliases);
            long largestEnd = 0;
            for (int buffer = 0; buffer < buffers.Count; buffer++)
            {
                int offset = plan.Offsets[buffer];
                Assert.IsGreaterThanOrEqualTo(0, offset, $"buffer {buffer} offset");
                Assert.AreEqual(0, offset % alignment, $"buffer {buffer} offset {offset} is not aligned to {alignment}");
                largestEnd = Math.Max(largestEnd, (long)offset + buffers[buffer].Size);
            }

            Assert.AreEqual(largestEnd, plan.ArenaBytes, "ArenaBytes is the largest offset + size");

            foreach ((int alias, int target) in aliases)
            {
                Assert.AreEqual(plan.Offsets[target], plan.Offsets[alias], $"alias {alias} of {target}");
            }

            for (int first = 0; first < buffers.Count; first++)
            {
                for (int second = first + 1; second < buffers.Count; second++)
                {
                    BufferSpec a = buffers[first];
                    BufferSpec b = buffers[second];
                    bool liveTogether = a.FirstStep <= b.LastStep && b.FirstStep <= a.LastStep;
                    bool shareMemory = a.Size > 0 && b.Size > 0
                        && plan.Offsets[first] < plan.Offsets[second] + b.Size
                        && plan.Offsets[second] < plan.Offsets[first] + a.Size;
                    if (liveTogether && shareMemory && group[first] != group[second])
                    {
                        Assert.Fail(
                            $"buffers {first} {a} at {plan.Offsets[first]} and {second} {b} at {plan.Offsets[second]} " +
                            "are live together and overlap in memory");
                    }
                }
            }

            Assert.AreEqual(LowerBound(buffers, aliases), plan.LowerBound, "LowerBound");
            Assert.IsGreaterThanOrEqualTo(plan.LowerBound, plan.ArenaBytes, "ArenaBytes >= LowerBound");
        }

        /// <summary>
        /// The largest number of bytes live at one step, counting an alias group once with its
        /// largest member's size over the span from its earliest first step to its latest last step.
        /// Computed step by step over every group.
        /// </summary>
        public static long LowerBound(IReadOnlyList<BufferSpec> buffers, IReadOnlyList<(int Alias, int Target)> aliases)
        {
            if (buffers.Count == 0)
            {
                return 0;
            }

            int[] group = AliasGroups(buffers.Count, aliases);
            int[] groupSizes = new int[buffers.Count];
            int[] groupFirst = Enumerable.Repeat(int.MaxValue, buffers.Count).ToArray();
            int[] groupLast = Enumerable.Repeat(int.MinValue, buffers.Count).ToArray();
            for (int buffer = 0; buffer < buffers.Count; buffer++)
            {
                int label = group[buffer];
                BufferSpec spec = buffers[buffer];
                groupSizes[label] = Math.Max(groupSizes[label], spec.Size);
                groupFirst[label] = Math.Min(groupFirst[label], spec.FirstStep);
                groupLast[label] = Math.Max(groupLast[label], spec.LastStep);
            }

            int firstStep = buffers.Min(spec => spec.FirstStep);
            int lastStep = buffers.Max(spec => spec.LastStep);
            long best = 0;
            for (int step = firstStep; step <= lastStep; step++)
            {
                long live = 0;
                for (int label = 0; label < buffers.Count; label++)
                {
                    if (groupFirst[label] <= step && step <= groupLast[label])
                    {
                        live += groupSizes[label];
                    }
                }

                best = Math.Max(best, live);
            }

            return best;
        }

        /// <summary>A group label per buffer: labels spread along alias pairs until nothing changes
        /// (each group ends labelled with its smallest id).</summary>
        private static int[] AliasGroups(int bufferCount, IReadOnlyList<(int Alias, int Target)> aliases)
        {
            int[] label = Enumerable.Range(0, bufferCount).ToArray();
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach ((int alias, int target) in aliases)
                {
                    int smaller = Math.Min(label[alias], label[target]);
                    if (label[alias] != smaller || label[target] != smaller)
                    {
                        label[alias] = smaller;
                        label[target] = smaller;
                        changed = true;
                    }
                }
            }

            return label;
        }
    }
}

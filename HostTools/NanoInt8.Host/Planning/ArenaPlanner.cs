// Offline arena planner: gives every activation tensor a byte offset in the one int8 arena the
// device preallocates, so that no tensor is overwritten while it is still needed.
//
// Lifetimes. Operators run in table order, operator s being "step s". A buffer lives over the
// inclusive interval [firstStep, lastStep]: firstStep is the step that writes it (-1 for a graph
// input, written before step 0), lastStep the last step that reads it (operatorCount for a graph
// output, read after the last step). Two buffers may share memory only when their lifetimes are
// disjoint; [f1, l1] and [f2, l2] intersect when f1 <= l2 && f2 <= l1. The intervals are closed on
// purpose: the inputs of step s and its output are all live at s, so an operator never writes over
// its own inputs, which is what the device reader demands (model-format.md, "Operator record").
//
// Algorithm: TensorFlow Lite Micro's GreedyMemoryPlanner idea, written anew. Allocations are taken
// one at a time in some order; each goes to the lowest offset at which it overlaps no already
// placed allocation whose lifetime intersects its own: walk those allocations in offset order and
// take the first gap between them that is large enough (first fit), or the end of the last one.
// The classic order is by size, largest first: big buffers claim space early and small ones fill
// the gaps they leave. Buffers of size 0 are given offset 0 and take no part.
//
// No plan can be smaller than the bytes live at the busiest step (LowerBound: the buffers live at
// one step must be pairwise disjoint). A plan that reaches the bound is optimal and ends the search.
// Otherwise the planner searches a little, deterministically:
// - Start orders, tried in turn: by size (TFLM); by breadth, the most bytes live at any step of
//   the allocation's lifetime, largest first (after the "greedy by breadth" strategy of Pisarchyk
//   and Lee, "Efficient Memory Management for Deep Neural Net Inference", 2020: the allocations
//   live at the busiest steps claim space before the others fit around them); by size times
//   lifetime (long-lived buffers are the hardest to fit around); by first step. Every order breaks
//   ties by earlier first step, then by smaller buffer id.
// - Improvement rounds ("squeaky wheel" optimisation, Joslin and Clements 1999): after a placement,
//   the allocations that end above LowerBound move to the front of the order, keeping their
//   relative order, and the placement runs again. What was pushed too high gets first choice next
//   time. A concat of three branches is the typical case: the size order leaves the last branch
//   output on top of the others, one round moves it under the concat's output.
// The rounds are shared out under a fixed work budget (counted in placements, not time, so the plan
// never depends on the machine); the smallest arena found is kept, the earliest on a tie.

// In-place aliases. AddAlias(alias, target) puts two buffers at the same offset: a Reshape whose
// output is its input's bytes, or an elementwise Requantize/Lookup writing over its input. The
// planner treats an alias group as one allocation, as large as its largest member, live from the
// earliest first step to the latest last step of its members. Sharing inside the group is safe when
// the converter only aliases an output to an input that no later step reads: an elementwise kernel
// reads element i before it writes element i and never reads that element again, and a Reshape at
// the same offset copies nothing. Towards everything else the group is one allocation over the
// whole union of the lifetimes, so no other live buffer can overlap either member at any step.
//
// Cost: lifetimes are indexed (LiveIntervalIndex) so that placing one allocation costs
// O(log n + k log k) for the k placed allocations it must avoid. One placement of a real network's
// thousands of buffers takes milliseconds; the budget caps the whole search at about 50,000
// allocation placements (tens of milliseconds) whatever the network.
namespace NanoInt8.Host.Planning
{
    /// <summary>
    /// Plans the offsets of activation buffers in one arena: buffers whose lifetimes intersect never
    /// share memory, others may. Add the buffers (and in-place aliases), then call <see cref="Plan"/>.
    /// </summary>
    public sealed class ArenaPlanner
    {
        // Work limit of the improvement rounds, counted in allocations placed over all rounds (under
        // a microsecond each): the rounds are shared evenly among the start orders, at least one and
        // at most MaximumRoundsPerOrder each. A 5,000-buffer network that never reaches the bound
        // gets 2 rounds per order, a 100-buffer one 50.
        private const long PlacementBudget = 50_000;
        private const int MaximumRoundsPerOrder = 50;

        private readonly int _alignment;
        private readonly List<int> _sizes = new List<int>();
        private readonly List<int> _firstSteps = new List<int>();
        private readonly List<int> _lastSteps = new List<int>();

        // Union-find over alias groups; the root of a group is always its smallest buffer id.
        private readonly List<int> _aliasParents = new List<int>();

        /// <summary>An empty planner.</summary>
        /// <param name="alignment">Every offset is a multiple of this many bytes, at least 1. The
        /// device has no alignment needs for int8 activations, so the default is 1.</param>
        /// <exception cref="ArgumentOutOfRangeException">The alignment is below 1.</exception>
        public ArenaPlanner(int alignment = 1)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(alignment, 1);
            _alignment = alignment;
        }

        /// <summary>The alignment of every offset, in bytes.</summary>
        public int Alignment => _alignment;

        /// <summary>The number of buffers added so far.</summary>
        public int BufferCount => _sizes.Count;

        /// <summary>Adds one arena buffer (one activation tensor).</summary>
        /// <param name="size">Size in bytes, not negative; a buffer of size 0 takes no space.</param>
        /// <param name="firstStep">Index of the operator that writes the buffer, -1 for a graph input
        /// (written before step 0).</param>
        /// <param name="lastStep">Index of the last operator that reads it, at least
        /// <paramref name="firstStep"/>; operatorCount for a graph output, which lives to the
        /// end.</param>
        /// <returns>The buffer id: 0, 1, 2, ... in call order.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The size is negative, the first step below
        /// -1 or the last step before the first.</exception>
        public int AddBuffer(int size, int firstStep, int lastStep)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size);
            ArgumentOutOfRangeException.ThrowIfLessThan(firstStep, -1);
            ArgumentOutOfRangeException.ThrowIfLessThan(lastStep, firstStep);
            int id = _sizes.Count;
            _sizes.Add(size);
            _firstSteps.Add(firstStep);
            _lastSteps.Add(lastStep);
            _aliasParents.Add(id);
            return id;
        }

        /// <summary>
        /// Makes buffer <paramref name="alias"/> share the memory of buffer <paramref name="target"/>
        /// at the same offset (a Reshape, or an elementwise operator writing in place). The pair is
        /// planned as one allocation, as large as its larger member, whose lifetime runs from the
        /// earlier first step to the later last step. Aliases chain: aliasing c to b and b to a puts
        /// all three at one offset. Aliasing two buffers already in one group changes nothing.
        /// </summary>
        /// <remarks>The planner does not check that writing in place is correct: alias an output
        /// only to an input that no later operator reads.</remarks>
        /// <exception cref="ArgumentOutOfRangeException">An id is not a buffer id.</exception>
        /// <exception cref="ArgumentException">The two ids are equal.</exception>
        public void AddAlias(int alias, int target)
        {
            CheckBufferId(alias, nameof(alias));
            CheckBufferId(target, nameof(target));
            if (alias == target)
            {
                throw new ArgumentException($"Buffer {alias} cannot alias itself.", nameof(alias));
            }

            int aliasRoot = FindRoot(alias);
            int targetRoot = FindRoot(target);
            if (aliasRoot != targetRoot)
            {
                _aliasParents[Math.Max(aliasRoot, targetRoot)] = Math.Min(aliasRoot, targetRoot);
            }
        }

        /// <summary>Computes the offsets of all buffers added so far. The planner can be extended
        /// and planned again; the same buffers and aliases always give the same plan.</summary>
        /// <exception cref="InvalidOperationException">The arena would exceed
        /// <see cref="int.MaxValue"/> bytes.</exception>
        public ArenaPlan Plan()
        {
            int bufferCount = _sizes.Count;
            int[] allocationOfBuffer = new int[bufferCount];
            Allocations allocations = BuildAllocations(allocationOfBuffer);
            int[] offsets = new int[bufferCount];
            if (allocations.Count == 0)
            {
                return new ArenaPlan(offsets, 0, 0);
            }

            long[] liveBytes = allocations.LiveBytesPerPosition();
            long lowerBound = liveBytes.Max();
            if (lowerBound > int.MaxValue)
            {
                throw new InvalidOperationException(
                    $"The buffers live at one step need {lowerBound} bytes, more than an arena can hold.");
            }

            long[] allocationOffsets = PlanAllocations(allocations, liveBytes, lowerBound, _alignment);
            long arenaBytes = 0;
            for (int allocation = 0; allocation < allocations.Count; allocation++)
            {
                arenaBytes = Math.Max(arenaBytes, allocationOffsets[allocation] + allocations.Sizes[allocation]);
            }

            if (arenaBytes > int.MaxValue)
            {
                throw new InvalidOperationException($"The plan needs {arenaBytes} bytes, more than an arena can hold.");
            }

            for (int buffer = 0; buffer < bufferCount; buffer++)
            {
                int allocation = allocationOfBuffer[buffer];
                offsets[buffer] = allocation < 0 ? 0 : (int)allocationOffsets[allocation];
            }

            return new ArenaPlan(offsets, (int)arenaBytes, (int)lowerBound);
        }

        private void CheckBufferId(int id, string parameterName)
        {
            if (id < 0 || id >= _sizes.Count)
            {
                throw new ArgumentOutOfRangeException(parameterName, id, $"Not a buffer id (there are {_sizes.Count} buffers).");
            }
        }

        private int FindRoot(int id)
        {
            int root = id;
            while (_aliasParents[root] != root)
            {
                root = _aliasParents[root];
            }

            while (_aliasParents[id] != root)
            {
                int next = _aliasParents[id];
                _aliasParents[id] = root;
                id = next;
            }

            return root;
        }

        /// <summary>One allocation per alias group with a non-zero size, numbered in the order of
        /// their smallest buffer ids; <paramref name="allocationOfBuffer"/> receives each buffer's
        /// allocation, or -1 for a group of size 0.</summary>
        private Allocations BuildAllocations(int[] allocationOfBuffer)
        {
            int bufferCount = _sizes.Count;
            int[] groupOfRoot = new int[bufferCount];
            var groupSizes = new List<int>();
            var groupFirstSteps = new List<int>();
            var groupLastSteps = new List<int>();
            var groupIds = new List<int>();
            for (int buffer = 0; buffer < bufferCount; buffer++)
            {
                int root = FindRoot(buffer);
                int group;
                if (root == buffer)
                {
                    // The root is the group's smallest id, so it is met before the other members.
                    group = groupSizes.Count;
                    groupOfRoot[root] = group;
                    groupSizes.Add(_sizes[buffer]);
                    groupFirstSteps.Add(_firstSteps[buffer]);
                    groupLastSteps.Add(_lastSteps[buffer]);
                    groupIds.Add(buffer);
                }
                else
                {
                    group = groupOfRoot[root];
                    groupSizes[group] = Math.Max(groupSizes[group], _sizes[buffer]);
                    groupFirstSteps[group] = Math.Min(groupFirstSteps[group], _firstSteps[buffer]);
                    groupLastSteps[group] = Math.Max(groupLastSteps[group], _lastSteps[buffer]);
                }

                allocationOfBuffer[buffer] = group;
            }

            int[] allocationOfGroup = new int[groupSizes.Count];
            var allocations = new Allocations();
            for (int group = 0; group < groupSizes.Count; group++)
            {
                allocationOfGroup[group] = groupSizes[group] == 0
                    ? -1
                    : allocations.Add(groupSizes[group], groupFirstSteps[group], groupLastSteps[group], groupIds[group]);
            }

            for (int buffer = 0; buffer < bufferCount; buffer++)
            {
                allocationOfBuffer[buffer] = allocationOfGroup[allocationOfBuffer[buffer]];
            }

            allocations.CompressSteps();
            return allocations;
        }

        /// <summary>Runs the greedy placement from each start order, improving each by promoting the
        /// allocations that end above the lower bound, until a plan reaches the bound or the rounds
        /// are spent; returns the offsets of the smallest arena found (the earliest on a tie).</summary>
        private static long[] PlanAllocations(Allocations allocations, long[] liveBytes, long lowerBound, int alignment)
        {
            int count = allocations.Count;
            var placement = new GreedyPlacement(allocations, alignment);
            long[] bestOffsets = new long[count];
            long bestArena = long.MaxValue;
            long[] offsets = new long[count];
            int[] scratch = new int[count];
            IReadOnlyList<Comparison<int>> orders = StartOrders(allocations, liveBytes);
            long roundsPerOrder = Math.Clamp(PlacementBudget / ((long)orders.Count * count), 1, MaximumRoundsPerOrder);
            foreach (Comparison<int> order in orders)
            {
                int[] sequence = Enumerable.Range(0, count).ToArray();
                Array.Sort(sequence, order);
                for (long round = 0; round < roundsPerOrder; round++)
                {
                    long[] placed = offsets;
                    long arena = placement.Place(sequence, placed);
                    if (arena < bestArena)
                    {
                        bestArena = arena;
                        (bestOffsets, offsets) = (offsets, bestOffsets);
                        if (bestArena <= lowerBound)
                        {
                            return bestOffsets;
                        }
                    }

                    PromoteAboveBound(sequence, placed, allocations.Sizes, lowerBound, scratch);
                }
            }

            return bestOffsets;
        }

        /// <summary>Moves the allocations that end above the lower bound to the front of the
        /// sequence, each part keeping its order ("squeaky wheel": what was placed too high gets
        /// first choice next time).</summary>
        private static void PromoteAboveBound(int[] sequence, long[] offsets, int[] sizes, long lowerBound, int[] scratch)
        {
            int front = 0;
            foreach (int allocation in sequence)
            {
                if (offsets[allocation] + sizes[allocation] > lowerBound)
                {
                    scratch[front++] = allocation;
                }
            }

            int back = front;
            foreach (int allocation in sequence)
            {
                if (offsets[allocation] + sizes[allocation] <= lowerBound)
                {
                    scratch[back++] = allocation;
                }
            }

            Array.Copy(scratch, sequence, sequence.Length);
        }

        /// <summary>The start orders, tried in this sequence. Each is a total order (ties end at the
        /// allocation's smallest buffer id), so the unstable sort is deterministic.</summary>
        private static IReadOnlyList<Comparison<int>> StartOrders(Allocations allocations, long[] liveBytes)
        {
            int[] sizes = allocations.Sizes;
            int[] firstSteps = allocations.FirstSteps;
            int[] lastSteps = allocations.LastSteps;
            int[] ids = allocations.Ids;

            int TieBreak(int left, int right)
            {
                int byFirst = firstSteps[left].CompareTo(firstSteps[right]);
                return byFirst != 0 ? byFirst : ids[left].CompareTo(ids[right]);
            }

            int BySize(int left, int right)
            {
                int bySize = sizes[right].CompareTo(sizes[left]);
                return bySize != 0 ? bySize : TieBreak(left, right);
            }

            long[] breadths = allocations.Breadths(liveBytes);
            long Area(int allocation) => (long)sizes[allocation] * ((long)lastSteps[allocation] - firstSteps[allocation] + 1);
            return new Comparison<int>[]
            {
                BySize,
                (left, right) =>
                {
                    int byBreadth = breadths[right].CompareTo(breadths[left]);
                    return byBreadth != 0 ? byBreadth : BySize(left, right);
                },
                (left, right) =>
                {
                    int byArea = Area(right).CompareTo(Area(left));
                    return byArea != 0 ? byArea : BySize(left, right);
                },
                (left, right) =>
                {
                    int byFirst = firstSteps[left].CompareTo(firstSteps[right]);
                    return byFirst != 0 ? byFirst : BySize(left, right);
                },
            };
        }

        /// <summary>The allocations to place (alias groups of non-zero size), as parallel arrays.</summary>
        private sealed class Allocations
        {
            private readonly List<int> _sizes = new List<int>();
            private readonly List<int> _firstSteps = new List<int>();
            private readonly List<int> _lastSteps = new List<int>();
            private readonly List<int> _ids = new List<int>();

            public int Count => _sizes.Count;

            public int[] Sizes { get; private set; } = Array.Empty<int>();

            public int[] FirstSteps { get; private set; } = Array.Empty<int>();

            public int[] LastSteps { get; private set; } = Array.Empty<int>();

            /// <summary>The smallest buffer id of each allocation's group, the final tie-breaker.</summary>
            public int[] Ids { get; private set; } = Array.Empty<int>();

            /// <summary>First and last steps renumbered 0 .. PositionCount-1 in step order. Only the
            /// order of the step values matters for intersection, so this keeps the index small
            /// whatever the step numbers are.</summary>
            public int[] FirstPositions { get; private set; } = Array.Empty<int>();

            public int[] LastPositions { get; private set; } = Array.Empty<int>();

            public int PositionCount { get; private set; }

            public int Add(int size, int firstStep, int lastStep, int id)
            {
                _sizes.Add(size);
                _firstSteps.Add(firstStep);
                _lastSteps.Add(lastStep);
                _ids.Add(id);
                return _sizes.Count - 1;
            }

            public void CompressSteps()
            {
                Sizes = _sizes.ToArray();
                FirstSteps = _firstSteps.ToArray();
                LastSteps = _lastSteps.ToArray();
                Ids = _ids.ToArray();
                int[] steps = FirstSteps.Concat(LastSteps).Distinct().Order().ToArray();
                PositionCount = steps.Length;
                FirstPositions = FirstSteps.Select(step => Array.BinarySearch(steps, step)).ToArray();
                LastPositions = LastSteps.Select(step => Array.BinarySearch(steps, step)).ToArray();
            }

            /// <summary>Bytes live at each position. Every step lies between two positions with the
            /// same live set as one of them, so the maximum is the lower bound over all steps.</summary>
            public long[] LiveBytesPerPosition()
            {
                long[] live = new long[PositionCount + 1];
                for (int allocation = 0; allocation < Count; allocation++)
                {
                    live[FirstPositions[allocation]] += Sizes[allocation];
                    live[LastPositions[allocation] + 1] -= Sizes[allocation];
                }

                for (int position = 1; position <= PositionCount; position++)
                {
                    live[position] += live[position - 1];
                }

                Array.Resize(ref live, PositionCount);
                return live;
            }

            /// <summary>For each allocation, the most bytes live at any position of its lifetime
            /// (a sparse table answers each range maximum in O(1)).</summary>
            public long[] Breadths(long[] liveBytes)
            {
                var levels = new List<long[]> { liveBytes };
                for (int width = 2; width <= liveBytes.Length; width *= 2)
                {
                    long[] previous = levels[^1];
                    long[] level = new long[liveBytes.Length - width + 1];
                    for (int position = 0; position < level.Length; position++)
                    {
                        level[position] = Math.Max(previous[position], previous[position + width / 2]);
                    }

                    levels.Add(level);
                }

                long[] breadths = new long[Count];
                for (int allocation = 0; allocation < Count; allocation++)
                {
                    int first = FirstPositions[allocation];
                    int last = LastPositions[allocation];
                    int levelIndex = 31 - int.LeadingZeroCount(last - first + 1);
                    long[] level = levels[levelIndex];
                    breadths[allocation] = Math.Max(level[first], level[last - (1 << levelIndex) + 1]);
                }

                return breadths;
            }
        }

        /// <summary>First-fit placement of allocations in a given order.</summary>
        private sealed class GreedyPlacement
        {
            private readonly Allocations _allocations;
            private readonly int _alignment;
            private readonly LiveIntervalIndex _placed;
            private readonly List<int> _intersecting = new List<int>();
            private readonly long[] _neighbourStarts;
            private readonly long[] _neighbourEnds;

            public GreedyPlacement(Allocations allocations, int alignment)
            {
                _allocations = allocations;
                _alignment = alignment;
                _placed = new LiveIntervalIndex(allocations.PositionCount);
                _neighbourStarts = new long[allocations.Count];
                _neighbourEnds = new long[allocations.Count];
            }

            /// <summary>Places the allocations in <paramref name="sequence"/> order, writing
            /// <paramref name="offsets"/>, and returns the arena size.</summary>
            public long Place(int[] sequence, long[] offsets)
            {
                int[] sizes = _allocations.Sizes;
                int[] firstPositions = _allocations.FirstPositions;
                int[] lastPositions = _allocations.LastPositions;
                _placed.Clear();
                long arenaEnd = 0;
                foreach (int allocation in sequence)
                {
                    _intersecting.Clear();
                    _placed.CollectIntersecting(firstPositions[allocation], lastPositions[allocation], _intersecting);
                    int neighbourCount = _intersecting.Count;
                    for (int index = 0; index < neighbourCount; index++)
                    {
                        int neighbour = _intersecting[index];
                        _neighbourStarts[index] = offsets[neighbour];
                        _neighbourEnds[index] = offsets[neighbour] + sizes[neighbour];
                    }

                    // Equal starts may come in any order: the first gap found and the running end
                    // do not depend on it.
                    Array.Sort(_neighbourStarts, _neighbourEnds, 0, neighbourCount);
                    long size = sizes[allocation];
                    long candidate = 0;
                    for (int index = 0; index < neighbourCount; index++)
                    {
                        if (_neighbourStarts[index] - candidate >= size)
                        {
                            break;
                        }

                        candidate = Math.Max(candidate, AlignUp(_neighbourEnds[index]));
                    }

                    offsets[allocation] = candidate;
                    arenaEnd = Math.Max(arenaEnd, candidate + size);

                    _placed.Add(allocation, firstPositions[allocation], lastPositions[allocation]);
                }

                return arenaEnd;
            }

            private long AlignUp(long offset)
            {
                return (offset + _alignment - 1) / _alignment * _alignment;
            }
        }
    }
}

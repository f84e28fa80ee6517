namespace NanoInt8.Host.Planning
{
    /// <summary>
    /// The allocations placed so far, indexed by lifetime, so that the planner can list those whose
    /// lifetime intersects a new one without scanning all of them.
    /// </summary>
    /// <remarks>
    /// Lifetimes are inclusive intervals [first, last] of compressed step positions 0 .. count-1.
    /// A placed lifetime intersects a query [first, last] exactly when it is live at position
    /// <c>first</c> (it began at or before it) or it begins inside (first, last]; the two cases are
    /// disjoint, so nothing is reported twice.
    /// - Live at a point: a segment tree over positions. An interval is stored in the O(log count)
    ///   canonical nodes that cover it; the intervals containing a point are those stored on the path
    ///   from its leaf to the root, each stored there exactly once.
    /// - Beginning in a range: one list per first position.
    /// A query costs O(log count + (last - first) + intersecting), an insertion O(log count).
    /// </remarks>
    internal sealed class LiveIntervalIndex
    {
        private readonly int _positionCount;
        private readonly List<int>?[] _segmentNodes;
        private readonly List<int>?[] _startingAt;
        private readonly List<int> _usedSegmentNodes = new List<int>();
        private readonly List<int> _usedStartPositions = new List<int>();

        /// <summary>An empty index over positions 0 .. positionCount-1.</summary>
        public LiveIntervalIndex(int positionCount)
        {
            _positionCount = positionCount;
            _segmentNodes = new List<int>?[2 * positionCount];
            _startingAt = new List<int>?[positionCount];
        }

        /// <summary>Removes every interval, keeping the lists for reuse.</summary>
        public void Clear()
        {
            foreach (int node in _usedSegmentNodes)
            {
                _segmentNodes[node]!.Clear();
            }

            foreach (int position in _usedStartPositions)
            {
                _startingAt[position]!.Clear();
            }

            _usedSegmentNodes.Clear();
            _usedStartPositions.Clear();
        }

        /// <summary>Adds the interval [first, last] under the given item number.</summary>
        public void Add(int item, int first, int last)
        {
            // Bottom-up segment tree: leaves at positionCount .. 2·positionCount-1; walking the two
            // ends upwards visits exactly the canonical nodes of the half-open leaf range.
            int left = first + _positionCount;
            int right = last + _positionCount + 1;
            while (left < right)
            {
                if ((left & 1) == 1)
                {
                    AddTo(_segmentNodes, _usedSegmentNodes, left, item);
                    left++;
                }

                if ((right & 1) == 1)
                {
                    right--;
                    AddTo(_segmentNodes, _usedSegmentNodes, right, item);
                }

                left >>= 1;
                right >>= 1;
            }

            AddTo(_startingAt, _usedStartPositions, first, item);
        }

        /// <summary>Appends to <paramref name="result"/> every item whose interval intersects
        /// [first, last].</summary>
        public void CollectIntersecting(int first, int last, List<int> result)
        {
            for (int node = first + _positionCount; node >= 1; node >>= 1)
            {
                List<int>? stored = _segmentNodes[node];
                if (stored != null)
                {
                    result.AddRange(stored);
                }
            }

            for (int position = first + 1; position <= last; position++)
            {
                List<int>? starting = _startingAt[position];
                if (starting != null)
                {
                    result.AddRange(starting);
                }
            }
        }

        private static void AddTo(List<int>?[] lists, List<int> used, int slot, int item)
        {
            List<int>? list = lists[slot];
            if (list == null)
            {
                list = new List<int>();
                lists[slot] = list;
            }

            if (list.Count == 0)
            {
                used.Add(slot);
            }

            list.Add(item);
        }
    }
}

namespace NanoInt8.Host.Planning
{
    /// <summary>
    /// The result of <see cref="ArenaPlanner.Plan"/>: an arena offset for every buffer, the arena
    /// size the offsets need, and the lower bound no plan can beat.
    /// </summary>
    public sealed class ArenaPlan
    {
        internal ArenaPlan(int[] offsets, int arenaBytes, int lowerBound)
        {
            Offsets = Array.AsReadOnly(offsets);
            ArenaBytes = arenaBytes;
            LowerBound = lowerBound;
        }

        /// <summary>Byte offset in the arena of each buffer, indexed by the id
        /// <see cref="ArenaPlanner.AddBuffer"/> returned. Buffers of an alias group share one offset;
        /// a buffer of size 0 outside any sized group gets offset 0.</summary>
        public IReadOnlyList<int> Offsets { get; }

        /// <summary>Arena size in bytes: the largest offset + size over all buffers, 0 if there are
        /// none.</summary>
        public int ArenaBytes { get; }

        /// <summary>The largest sum of sizes of buffers live at the same step (an alias group counted
        /// once, with its largest member's size). Buffers live at one step must all be disjoint in
        /// memory, so no plan needs fewer bytes; <see cref="ArenaBytes"/> is at least this.</summary>
        public int LowerBound { get; }
    }
}

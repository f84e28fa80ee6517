namespace NanoInt8.Runtime
{
    /// <summary>
    /// A set of ranks 0 .. n-1 with insert, remove and the nearest member below or above a rank, each
    /// in a few word operations: a bit per rank, and above each 32-bit word a bit that says whether
    /// the word is non-zero, level upon level until one word remains (at most 4 levels for 65,535
    /// ranks). The words live in one column of the decoded tensor table, like
    /// <see cref="TensorSort"/>'s lists: about n / 31 entries of it.
    /// </summary>
    internal sealed class RankSet
    {
        private const int MaxLevels = 4;

        private readonly int[] _table;
        private readonly int _column;
        private readonly int _levels;
        // First entry of levels 1, 2 and 3 in the column (level 0 starts at entry 0).
        private readonly int _start1;
        private readonly int _start2;
        private readonly int _start3;

        /// <summary>An empty set of ranks below <paramref name="count"/> (at least 1), in column <paramref name="column"/> of <paramref name="table"/>.</summary>
        internal RankSet(int[] table, int column, int count)
        {
            _table = table;
            _column = column;
            int words = (count + 31) >> 5;
            int entries = words;
            _levels = 1;
            while (words > 1 && _levels < MaxLevels)
            {
                words = (words + 31) >> 5;
                if (_levels == 1)
                {
                    _start1 = entries;
                }
                else if (_levels == 2)
                {
                    _start2 = entries;
                }
                else
                {
                    _start3 = entries;
                }

                entries += words;
                _levels++;
            }

            for (int entry = 0; entry < entries; entry++)
            {
                table[entry * Model.TensorFields + column] = 0;
            }
        }

        /// <summary>Entries of the column a set of <paramref name="count"/> ranks uses: at most <paramref name="count"/> for any count of at least 1.</summary>
        internal static int Entries(int count)
        {
            int words = (count + 31) >> 5;
            int entries = words;
            for (int level = 1; level < MaxLevels && words > 1; level++)
            {
                words = (words + 31) >> 5;
                entries += words;
            }

            return entries;
        }

        /// <summary>Adds <paramref name="rank"/>.</summary>
        internal void Insert(int rank)
        {
            int position = rank;
            for (int level = 0; level < _levels; level++)
            {
                int record = (Start(level) + (position >> 5)) * Model.TensorFields + _column;
                int before = _table[record];
                _table[record] = before | 1 << (position & 31);
                if (before != 0)
                {
                    // The word was non-zero already: the levels above say so.
                    return;
                }

                position >>= 5;
            }
        }

        /// <summary>Removes <paramref name="rank"/> (nothing happens when it is not in the set).</summary>
        internal void Remove(int rank)
        {
            int position = rank;
            for (int level = 0; level < _levels; level++)
            {
                int record = (Start(level) + (position >> 5)) * Model.TensorFields + _column;
                int after = _table[record] & ~(1 << (position & 31));
                _table[record] = after;
                if (after != 0)
                {
                    return;
                }

                position >>= 5;
            }
        }

        /// <summary>The largest member below <paramref name="rank"/>, or -1.</summary>
        internal int Below(int rank)
        {
            return Nearest(rank, false);
        }

        /// <summary>The smallest member above <paramref name="rank"/>, or -1.</summary>
        internal int Above(int rank)
        {
            return Nearest(rank, true);
        }

        // The nearest member above (or below) a rank: up the levels to the first word with a
        // member on that side, then down to it, taking the lowest (or highest) bit at each level.
        private int Nearest(int rank, bool above)
        {
            int position = rank;
            int level = 0;
            while (true)
            {
                int bit = position & 31;
                int side = above ? ~(int)(((1u << bit) << 1) - 1u) : (int)((1u << bit) - 1u);
                int bits = _table[(Start(level) + (position >> 5)) * Model.TensorFields + _column] & side;
                if (bits != 0)
                {
                    position = (position & ~31) + (above ? LowestBit(bits) : HighestBit(bits));
                    break;
                }

                level++;
                if (level == _levels)
                {
                    return -1;
                }

                position >>= 5;
            }

            while (level > 0)
            {
                level--;
                int word = _table[(Start(level) + position) * Model.TensorFields + _column];
                position = (position << 5) + (above ? LowestBit(word) : HighestBit(word));
            }

            return position;
        }

        private int Start(int level)
        {
            return level == 0 ? 0 : level == 1 ? _start1 : level == 2 ? _start2 : _start3;
        }

        // Index of the highest set bit of a non-zero word.
        private static int HighestBit(int word)
        {
            uint value = (uint)word;
            int index = 0;
            if ((value & 0xFFFF0000u) != 0)
            {
                index += 16;
                value >>= 16;
            }

            if ((value & 0xFF00u) != 0)
            {
                index += 8;
                value >>= 8;
            }

            if ((value & 0xF0u) != 0)
            {
                index += 4;
                value >>= 4;
            }

            if ((value & 0xCu) != 0)
            {
                index += 2;
                value >>= 2;
            }

            return (value & 0x2u) != 0 ? index + 1 : index;
        }

        // Index of the lowest set bit of a non-zero word.
        private static int LowestBit(int word)
        {
            return HighestBit(word & -word);
        }
    }
}

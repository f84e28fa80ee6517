namespace NanoInt8.Runtime
{
    /// <summary>
    /// Sorts tensors by their offset in linear time, inside the decoded tensor table: a list of
    /// tensor indices is a column of the table (entry i of a column is the int at
    /// i · <see cref="Model.TensorFields"/> + column), so the validation's scratch is the table's
    /// scratch columns, counted in deviceBytes, and nothing is allocated.
    /// </summary>
    /// <remarks>
    /// Least-significant-digit radix sort, stable: digits of b bits, b = ⌊log2 count⌋ at most 8, so
    /// the digit counts (2^b entries) fit a column too; ⌈bits(maxKey) / b⌉ passes, each reading the
    /// list twice. Offsets are below 2^28 (the reader bounds every section), so a sort of n ≥ 256
    /// tensors takes at most 4 passes: O(n) time.
    /// </remarks>
    internal static class TensorSort
    {
        private const int MaxDigitBits = 8;

        /// <summary>
        /// Sorts the first <paramref name="count"/> entries of column <paramref name="list"/> (tensor
        /// indices) by the tensors' offsets, ties in list order.
        /// </summary>
        /// <param name="table">The decoded tensor table (<see cref="Model.Tensors"/>).</param>
        /// <param name="count">Entries to sort, at most the table's tensor count.</param>
        /// <param name="list">Column holding the tensor indices; holds them sorted afterwards.</param>
        /// <param name="temp">Another column, overwritten.</param>
        /// <param name="counts">A third column, overwritten (the digit counts).</param>
        /// <param name="maxKey">No offset of a listed tensor is larger.</param>
        internal static void SortByOffset(int[] table, int count, int list, int temp, int counts, int maxKey)
        {
            if (count < 2)
            {
                return;
            }

            int digitBits = 1;
            while (digitBits < MaxDigitBits && 1 << (digitBits + 1) <= count)
            {
                digitBits++;
            }

            int radix = 1 << digitBits;
            int mask = radix - 1;
            int from = list;
            int to = temp;
            for (int shift = 0; shift < 31 && maxKey >> shift != 0; shift += digitBits)
            {
                for (int digit = 0; digit < radix; digit++)
                {
                    table[digit * Model.TensorFields + counts] = 0;
                }

                for (int i = 0; i < count; i++)
                {
                    int key = table[table[i * Model.TensorFields + from] * Model.TensorFields + Model.TensorOffset];
                    table[((key >> shift) & mask) * Model.TensorFields + counts]++;
                }

                int start = 0;
                for (int digit = 0; digit < radix; digit++)
                {
                    int record = digit * Model.TensorFields + counts;
                    int digitCount = table[record];
                    table[record] = start;
                    start += digitCount;
                }

                for (int i = 0; i < count; i++)
                {
                    int tensor = table[i * Model.TensorFields + from];
                    int record = ((table[tensor * Model.TensorFields + Model.TensorOffset] >> shift) & mask) * Model.TensorFields + counts;
                    table[table[record] * Model.TensorFields + to] = tensor;
                    table[record]++;
                }

                int swap = from;
                from = to;
                to = swap;
            }

            if (from != list)
            {
                for (int i = 0; i < count; i++)
                {
                    table[i * Model.TensorFields + list] = table[i * Model.TensorFields + from];
                }
            }
        }
    }
}

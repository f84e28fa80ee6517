namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// The store of the lane kernels (codes 24 and 25): an output is
    /// table[(acc·m + 2^(k-1) + (zo + zero)·2^k) &gt;&gt; k] with k = 31 - shift, the q31
    /// requantization FixedPoint.MultiplyByQuantizedMultiplier computes, the output zero point
    /// added and the clamp done by the table (entry i = clamp(i - zero, min, max)). It equals
    /// clamp(zo + MBQM(acc, m, shift)) when (1) no accumulator is an exact tie of the rounding
    /// (there MBQM rounds half to even, this half up), (2) the sum stays inside a long and (3) every
    /// index lies in the table: the reader checks all three for each channel over the range its
    /// accumulator can take (<see cref="Fits"/>), the converter before it writes one.
    /// </summary>
    public static class ClampTableStore
    {
        /// <summary>Longest clamp table the reader accepts.</summary>
        public const int MaxLength = 1 << 15;

        // Largest |zo + zero| a table of MaxLength entries gives (zo in int8, zero below MaxLength).
        private const int MaxZeroIndex = MaxLength + 128;

        /// <summary>
        /// Conditions (1) and (2) for accumulators in [<paramref name="low"/>, <paramref name="high"/>]
        /// (|values| below 2^31), whatever the table: no tie (acc·m is one when it is 2^(k-1) modulo
        /// 2^k, which with m = odd·2^t means acc = 2^(k-1-t) modulo 2^(k-t), so |acc| ≥ 2^(k-1-t):
        /// out of reach when that exceeds the largest |acc|), and |acc·m| + 2^(k-1) + |zo + zero|·2^k
        /// below 2^63 for the largest |zo + zero| a table of <see cref="MaxLength"/> entries allows.
        /// </summary>
        public static bool CanStore(long low, long high, int multiplier, int shift)
        {
            return FitsLong(low, high, multiplier, shift, MaxZeroIndex) && !HasTie(low, high, multiplier, shift);
        }

        /// <summary>
        /// All three conditions: no tie, no overflow with <paramref name="zeroIndex"/> (zo plus the
        /// table's zero), and for every accumulator in [<paramref name="low"/>, <paramref name="high"/>]
        /// an index inside a table of <paramref name="length"/> entries.
        /// </summary>
        public static bool Fits(long low, long high, int multiplier, int shift, int zeroIndex, int length)
        {
            if (!FitsLong(low, high, multiplier, shift, zeroIndex < 0 ? -(long)zeroIndex : zeroIndex) || HasTie(low, high, multiplier, shift))
            {
                return false;
            }

            // The index is monotone in acc (m ≥ 0): the two ends decide.
            int totalShift = 31 - shift;
            long rounding = Rounding(totalShift, zeroIndex);
            return ((low * multiplier + rounding) >> totalShift) >= 0 && ((high * multiplier + rounding) >> totalShift) < length;
        }

        /// <summary>
        /// The total shift of the lane kernels' unrolled paths (Conv2DLanes' RunOneChain and
        /// RunTwoChains, DepthwiseConv3x3Lanes' lines): a constant, so each output's shift is two
        /// instructions fewer than a shift by a variable (the C# compiler masks a variable long
        /// shift with 63). A channel of total shift k ≤ F = FixedShift stores as
        /// (v·m·2^d + 2^(F-1) + zeroIndex·2^F) &gt;&gt; F with d = F - k, which is
        /// (v·m + 2^(k-1) + zeroIndex·2^k) &gt;&gt; k exactly (both sides scaled by 2^d) as long as
        /// nothing overflows: |2^(F-1) + zeroIndex·2^F| &lt; 2^60 for |zeroIndex| ≤ 2^15 + 128, so
        /// |v·m·2^d| &lt; 2^62 for every accumulator v of the channel is enough
        /// (<see cref="AtFixedShift"/>).
        /// </summary>
        public const int FixedShift = 44;

        /// <summary>
        /// Whether a channel's (<paramref name="multiplier"/>, <paramref name="shift"/>) stores at
        /// <see cref="FixedShift"/> when its accumulators are at most <paramref name="largest"/>
        /// (≤ 2^21) in magnitude: 0 ≤ multiplier, total shift k = 31 - shift from FixedShift - 30 to
        /// FixedShift, and largest·multiplier·2^(FixedShift - k) below 2^62. With the lane limit
        /// 2^20 and a multiplier in [2^30, 2^31) that is k from 33 to 44 (requantization scales
        /// from about 2^-13 to 2^-2); a smaller bound reaches further.
        /// </summary>
        public static bool AtFixedShift(int multiplier, int shift, long largest)
        {
            int scale = FixedShift - 31 + shift;
            return multiplier >= 0 && scale >= 0 && scale <= 30 && (largest == 0 || ((long)multiplier << scale) < (1L << 62) / largest);
        }

        /// <summary>The multiplier of a channel that <see cref="AtFixedShift"/> accepts, scaled to <see cref="FixedShift"/>.</summary>
        public static long FixedMultiplier(int multiplier, int shift)
        {
            return (long)multiplier << (FixedShift - 31 + shift);
        }

        /// <summary>The rounding constant 2^(k-1) + zeroIndex·2^k of total shift <paramref name="totalShift"/>.</summary>
        public static long Rounding(int totalShift, int zeroIndex)
        {
            return (1L << (totalShift - 1)) + ((long)zeroIndex << totalShift);
        }

        // |acc·m| + (2·|zeroIndex| + 1)·2^(k-1) < 2^63 for every acc in [low, high].
        private static bool FitsLong(long low, long high, int multiplier, int shift, long zeroIndex)
        {
            int totalShift = 31 - shift;
            long largest = Largest(low, high);
            if (totalShift > 61 || largest >= 1L << 31 || zeroIndex > MaxZeroIndex)
            {
                return false;
            }

            long room = long.MaxValue - largest * multiplier;
            return 2 * zeroIndex + 1 <= room >> (totalShift - 1);
        }

        private static bool HasTie(long low, long high, int multiplier, int shift)
        {
            if (multiplier == 0)
            {
                return false;
            }

            int trailing = 0;
            while (((multiplier >> trailing) & 1) == 0)
            {
                trailing++;
            }

            int tie = 31 - shift - 1 - trailing;
            return tie >= 0 && tie < 62 && (1L << tie) <= Largest(low, high);
        }

        private static long Largest(long low, long high)
        {
            long largest = low < 0 ? -low : low;
            return high > largest ? high : largest;
        }
    }
}

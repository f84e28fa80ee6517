using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// The clamp table of the lane kernels (codes 24 and 25, docs/model-format.md): int8 entries,
    /// entry i = clamp(i - <see cref="Zero"/>, min, max), covering every value the operators that
    /// read it can compute before their clamp, so that requantization, clamp and store are one read.
    /// </summary>
    /// <param name="Entries">The table.</param>
    /// <param name="Zero">The index of the entry for the value 0.</param>
    public sealed record ClampTable(sbyte[] Entries, int Zero)
    {
        /// <summary>Longest table the device reads.</summary>
        public const int MaxLength = ClampTableStore.MaxLength;

        /// <summary>
        /// The table for the clamp [<paramref name="activationMin"/>, <paramref name="activationMax"/>]
        /// covering the values [<paramref name="lowest"/>, <paramref name="highest"/>] (and the clamp range itself).
        /// </summary>
        public static ClampTable For(int activationMin, int activationMax, long lowest, long highest)
        {
            long low = Math.Min(lowest, activationMin);
            long high = Math.Max(highest, activationMax);
            if (high - low + 1 > MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(highest), $"a clamp table of {high - low + 1} entries exceeds the {MaxLength} the device reads.");
            }

            var entries = new sbyte[high - low + 1];
            for (int index = 0; index < entries.Length; index++)
            {
                entries[index] = (sbyte)Math.Clamp(low + index, activationMin, activationMax);
            }

            return new ClampTable(entries, (int)-low);
        }

        /// <summary>
        /// The values zo + round(acc·multiplier·2^(shift - 31)) a q31 channel computes before its clamp
        /// for accumulators in [<paramref name="lowAccumulator"/>, <paramref name="highAccumulator"/>],
        /// or null when the lane kernels cannot store it through a table (a shift beyond what the
        /// rounding constant allows, or an accumulator that is an exact tie: see the device's check).
        /// </summary>
        public static (long Low, long High)? ValueRange(long lowAccumulator, long highAccumulator, int multiplier, int shift, int outputZeroPoint)
        {
            // The device's own check, with a table wide enough for anything: only the shift and the ties decide.
            if (!ClampTableStore.CanStore(lowAccumulator, highAccumulator, multiplier, shift))
            {
                return null;
            }

            int totalShift = 31 - shift;
            long half = 1L << (totalShift - 1);
            return (((lowAccumulator * multiplier + half) >> totalShift) + outputZeroPoint, ((highAccumulator * multiplier + half) >> totalShift) + outputZeroPoint);
        }

        /// <summary>
        /// The range of one output channel's accumulator over every int8 input: the bias plus, for
        /// each weight, the weight times -128 or 127, whichever is smaller (larger).
        /// </summary>
        public static (long Low, long High) AccumulatorRange(sbyte[] weights, int start, int count, int bias)
        {
            long low = bias;
            long high = bias;
            for (int index = start; index < start + count; index++)
            {
                int weight = weights[index];
                low += weight > 0 ? -128L * weight : 127L * weight;
                high += weight > 0 ? 127L * weight : -128L * weight;
            }

            return (low, high);
        }
    }
}

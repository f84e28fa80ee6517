namespace NanoInt8.Runtime
{
    /// <summary>
    /// The requantization modes a model can be converted for (docs/model-format.md, "Header
    /// flags"; docs/integer-only-inference.md). Every kernel applies a real-valued scale ratio r to
    /// an int32 value x as a (multiplier, shift) pair whose meaning depends on the model's mode;
    /// every mode rounds once, to nearest with ties to even, and uses integers only.
    /// </summary>
    /// <remarks>
    /// <list type="table">
    /// <item><term>Q31 (0)</term><description>r = multiplier · 2^(shift - 31), multiplier 0 or in
    /// [2^30, 2^31), shift in [-31, 30]: TensorFlow Lite's pair, one 64-bit product.</description></item>
    /// <item><term>Q15 (1)</term><description>r = multiplier · 2^(shift - 15), multiplier 0 or in
    /// [2^14, 2^15), shift in [-31, 15]: computed with 32-bit products only, for hardware without a
    /// 64-bit multiply.</description></item>
    /// <item><term>PowerOfTwo (2)</term><description>r = multiplier · 2^shift, multiplier 0 or 1,
    /// shift in [-31, 30]: a rounding shift, no multiplier at all.</description></item>
    /// <item><term>Float32 (3)</term><description>r = multiplier · 2^(shift - 23), multiplier 0 or in
    /// [2^23, 2^24) (a float32 significand), shift in [-126, 30]: the result is what ONNX Runtime's
    /// float requantization gives, round(float32(float32(x) · r)) with ties to even, emulated in
    /// integers.</description></item>
    /// </list>
    /// Flag <see cref="PerTensorFlag"/> says the converter gave every Conv2D and FullyConnected one
    /// multiplier and shift for all output channels (weights re-quantized to one scale); the
    /// validator checks it, the arithmetic is the mode's.
    /// </remarks>
    public static class Requantization
    {
        /// <summary>int32 multiplier and shift (TensorFlow Lite compatible).</summary>
        public const int Q31 = 0;

        /// <summary>16-bit multiplier and shift, 32-bit products only.</summary>
        public const int Q15 = 1;

        /// <summary>Power-of-two ratios: a rounding shift only.</summary>
        public const int PowerOfTwo = 2;

        /// <summary>Integer emulation of ONNX Runtime's float32 requantization.</summary>
        public const int Float32 = 3;

        /// <summary>Header flag bits holding the mode.</summary>
        public const int ModeMask = 3;

        /// <summary>Header flag: one multiplier and shift per Conv2D/FullyConnected weight tensor.</summary>
        public const int PerTensorFlag = 4;

        /// <summary>Every header flag bit this runtime knows.</summary>
        public const int KnownFlags = ModeMask | PerTensorFlag;

#if NANOINT8_COUNTERS
        private static void Count(int operations)
        {
            RuntimeCounters.AddRequantization(operations);
        }
#endif

        /// <summary>x · r rounded to nearest, ties to even, with r the pair's ratio in <paramref name="mode"/>.</summary>
        public static int Apply(int x, int multiplier, int shift, int mode)
        {
            if (mode == Q31)
            {
#if NANOINT8_COUNTERS
                // 31 - shift, 1 << (t - 1) (2), product, + half, >> t, tie test (<<, -1, &, ==).
                Count(9);
#endif
                return FixedPoint.MultiplyByQuantizedMultiplier(x, multiplier, shift);
            }

            if (mode == Q15)
            {
                return MultiplyQ15(x, multiplier, shift);
            }

            if (mode == PowerOfTwo)
            {
                return ShiftPowerOfTwo(x, multiplier, shift);
            }

            return MultiplyFloat32(x, multiplier, shift);
        }

        /// <summary>
        /// True when (multiplier, shift) is a pair <paramref name="mode"/> accepts: each half in its
        /// own range (<see cref="IsValidMultiplier"/>, <see cref="IsValidShift"/>), so the reader can
        /// check a tensor of multipliers and one of shifts each on its own, once.
        /// </summary>
        public static bool IsValid(int multiplier, int shift, int mode)
        {
            return IsValidMultiplier(multiplier, mode) && IsValidShift(shift, mode);
        }

        /// <summary>True when <paramref name="multiplier"/> is 0 or in the range of <paramref name="mode"/> (docs/model-format.md, "Header flags").</summary>
        public static bool IsValidMultiplier(int multiplier, int mode)
        {
            if (multiplier == 0)
            {
                return mode >= Q31 && mode <= Float32;
            }

            switch (mode)
            {
                case Q31:
                    return multiplier >= FixedPoint.MinMultiplier;
                case Q15:
                    return multiplier >= 1 << 14 && multiplier < 1 << 15;
                case PowerOfTwo:
                    return multiplier == 1;
                case Float32:
                    return multiplier >= 1 << 23 && multiplier < 1 << 24;
                default:
                    return false;
            }
        }

        /// <summary>True when <paramref name="shift"/> is in the range of <paramref name="mode"/>.</summary>
        public static bool IsValidShift(int shift, int mode)
        {
            switch (mode)
            {
                case Q31:
                    return shift >= FixedPoint.MinShift && shift <= FixedPoint.MaxShift;
                case Q15:
                    return shift >= -31 && shift <= 15;
                case PowerOfTwo:
                    return shift >= -31 && shift <= 30;
                case Float32:
                    return shift >= -126 && shift <= 30;
                default:
                    return false;
            }
        }

        /// <summary>
        /// x · multiplier · 2^(shift - 15) rounded half to even with 32-bit products only. x · m is
        /// split as x = xh · 2^16 + xl (xl in [0, 2^16)): |xh · m| &lt; 2^30 and xl · m &lt; 2^31 both
        /// fit an int32, and x · m = upper · 2^16 + lower with upper = xh · m + (xl · m &gt;&gt; 16)
        /// (|upper| &lt; 2^30 + 2^15) and lower = xl · m &amp; 0xFFFF. That 48-bit value is then
        /// divided by 2^t (t = 15 - shift in [0, 46]) in two 32-bit halves.
        /// </summary>
        public static int MultiplyQ15(int x, int multiplier, int shift)
        {
            int lowProduct = (x & 0xFFFF) * multiplier;
            int upper = (x >> 16) * multiplier + (lowProduct >> 16);
            int lower = lowProduct & 0xFFFF;
            int t = 15 - shift;
            int value;
            bool up;
            if (t <= 16)
            {
                if (t == 0)
                {
#if NANOINT8_COUNTERS
                    Count(9);
#endif
                    return (upper << 16) + lower;
                }

                int mask = (1 << t) - 1;
                int half = 1 << (t - 1);
                int remainder = lower & mask;
                value = (upper << (16 - t)) + (lower >> t);
                up = remainder > half || (remainder == half && (value & 1) != 0);
#if NANOINT8_COUNTERS
                // &, *, >>, *, >>, +, &, 15 - s, <=; mask (2), half (2), &, 16 - t, <<, >>, +, >, ==, &.
                Count(21);
#endif
            }
            else
            {
                int u = t - 16;
                int halfHigh = 1 << (u - 1);
                int remainderHigh = upper & ((1 << u) - 1);
                value = upper >> u;
                up = remainderHigh > halfHigh
                    || (remainderHigh == halfHigh && (lower != 0 || (value & 1) != 0));
#if NANOINT8_COUNTERS
                // &, *, >>, *, >>, +, &, 15 - s, <=; t - 16, half (2), mask (3), >>, >, ==, !=, &.
                Count(20);
#endif
            }

            return up ? value + 1 : value;
        }

        /// <summary>
        /// x · multiplier · 2^shift rounded half to even: a left shift (wrapping, as the Q31 pair
        /// does) or a rounding right shift; multiplier 0 gives 0.
        /// </summary>
        public static int ShiftPowerOfTwo(int x, int multiplier, int shift)
        {
            if (multiplier == 0)
            {
#if NANOINT8_COUNTERS
                Count(1);
#endif
                return 0;
            }

            if (shift >= 0)
            {
#if NANOINT8_COUNTERS
                Count(3);
#endif
                return x << shift;
            }

            int n = -shift;
            int half = 1 << (n - 1);
            int remainder = x & ((1 << n) - 1);
            int value = x >> n;
#if NANOINT8_COUNTERS
            // == 0, >= 0, negate, half (2), mask (3), >>, >, ==, &.
            Count(12);
#endif
            if (remainder > half || (remainder == half && (value & 1) != 0))
            {
                value++;
            }

            return value;
        }

        /// <summary>
        /// round(float32(float32(x) · r)) with ties to even, r = multiplier · 2^(shift - 23), in
        /// integers: x is rounded to a 24-bit significand as the int-to-float conversion does, the
        /// 48-bit product of the two significands is rounded to 24 bits as a float32 multiply does,
        /// and that value is rounded to an integer; results beyond int32 saturate (ONNX Runtime
        /// clamps before converting). Rounding is symmetric in sign, so it works on |x|.
        /// Subnormal products (below 2^-126) round to 0 in both.
        /// </summary>
        public static int MultiplyFloat32(int x, int multiplier, int shift)
        {
            if (x == 0 || multiplier == 0)
            {
#if NANOINT8_COUNTERS
                Count(2);
#endif
                return 0;
            }

#if NANOINT8_COUNTERS
            // x == 0, m == 0, x < 0, negate, shift - 23, >= 2^24.
            int operations = 6;
#endif
            long magnitude = x < 0 ? -(long)x : x;
            int exponent = shift - 23;
            if (magnitude >= 1L << 24)
            {
                // |x| <= 2^31: drop 1 .. 8 bits to keep 24.
                int drop = BitLength(magnitude) - 24;
                magnitude = RoundRightHalfEven(magnitude, drop);
                exponent += drop;
#if NANOINT8_COUNTERS
                operations += 12;
#endif
            }

            // magnitude <= 2^24 and multiplier < 2^24: the product is below 2^48 and at least 2^23.
            long product = magnitude * multiplier;
            int length = BitLength(product);
            if (length > 24)
            {
                int drop = length - 24;
                product = RoundRightHalfEven(product, drop);
                exponent += drop;
#if NANOINT8_COUNTERS
                operations += 11;
#endif
            }

            // The value is product · 2^exponent with product <= 2^24.
            long result;
            if (exponent >= 0)
            {
                result = exponent > 8 ? 1L << 31 : product << exponent;
#if NANOINT8_COUNTERS
                operations += 3;
#endif
            }
            else if (exponent < -25)
            {
                // At most 2^24 · 2^-26 = 1/4: rounds to 0.
                result = 0;
#if NANOINT8_COUNTERS
                operations += 2;
#endif
            }
            else
            {
                result = RoundRightHalfEven(product, -exponent);
#if NANOINT8_COUNTERS
                operations += 10;
#endif
            }

#if NANOINT8_COUNTERS
            // Each BitLength call: six comparisons and the shifts and additions they select (12).
            Count(operations + 2 * BitLengthOperations);
#endif
            if (x < 0)
            {
                return result > 1L << 31 ? int.MinValue : (int)-result;
            }

            return result > int.MaxValue ? int.MaxValue : (int)result;
        }

#if NANOINT8_COUNTERS
        // Counted per BitLength call: six comparisons and at most six shift-and-add pairs (12).
        private const int BitLengthOperations = 12;
#endif

        // Number of significant bits of a positive value below 2^63.
        private static int BitLength(long value)
        {
            int length = 1;
            if (value >= 1L << 32)
            {
                value >>= 32;
                length += 32;
            }

            if (value >= 1L << 16)
            {
                value >>= 16;
                length += 16;
            }

            if (value >= 1L << 8)
            {
                value >>= 8;
                length += 8;
            }

            if (value >= 1L << 4)
            {
                value >>= 4;
                length += 4;
            }

            if (value >= 1L << 2)
            {
                value >>= 2;
                length += 2;
            }

            if (value >= 1L << 1)
            {
                length += 1;
            }

            return length;
        }

        // value / 2^bits rounded half to even, value >= 0, bits in [1, 62].
        private static long RoundRightHalfEven(long value, int bits)
        {
            long half = 1L << (bits - 1);
            long remainder = value & ((half << 1) - 1);
            long quotient = value >> bits;
            if (remainder > half || (remainder == half && (quotient & 1) != 0))
            {
                quotient++;
            }

            return quotient;
        }
    }
}

namespace NanoInt8.Runtime
{
    /// <summary>
    /// All fixed-point rounding of the runtime, in one place. A real-valued scale ratio
    /// r = multiplier · 2^(shift - 31) is applied to an int32 accumulator with integer arithmetic
    /// only, bit-compatible with TensorFlow Lite: the kernels use its single-rounding
    /// MultiplyByQuantizedMultiplier; gemmlowp's SaturatingRoundingDoublingHighMul and
    /// RoundingDivideByPOT, composed with double rounding as in TensorFlow Lite's default build,
    /// are here too.
    /// </summary>
    public static class FixedPoint
    {
        /// <summary>Smallest valid non-zero multiplier (2^30); multipliers are 0 or in [2^30, 2^31).</summary>
        public const int MinMultiplier = 1 << 30;

        /// <summary>Smallest valid shift.</summary>
        public const int MinShift = -31;

        /// <summary>Largest valid shift.</summary>
        public const int MaxShift = 30;

        /// <summary>
        /// The high 32 bits of 2·a·b, rounded to nearest with ties away from zero, saturated: the
        /// one overflowing case, a = b = int.MinValue, gives int.MaxValue.
        /// </summary>
        public static int SaturatingRoundingDoublingHighMul(int a, int b)
        {
            if (a == int.MinValue && b == int.MinValue)
            {
                return int.MaxValue;
            }

            long product = (long)a * b;
            // gemmlowp adds a nudge of ±2^30 and divides by 2^31 truncating toward zero. |product| is
            // at most 2^62, so the shifts below cannot overflow; they avoid a 64-bit division, which
            // is a slow helper call on the device.
            if (product >= 0)
            {
                return (int)((product + (1L << 30)) >> 31);
            }

            return (int)-((-(product + (1 - (1L << 30)))) >> 31);
        }

        /// <summary>
        /// x / 2^exponent rounded to nearest, ties away from zero, for exponent in [0, 31].
        /// </summary>
        public static int RoundingDivideByPOT(int x, int exponent)
        {
            int mask = (int)((1L << exponent) - 1);
            int remainder = x & mask;
            int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
            return (x >> exponent) + (remainder > threshold ? 1 : 0);
        }

        /// <summary>
        /// x · multiplier · 2^(shift - 31) rounded once, to nearest with ties to even: the
        /// requantization every kernel uses. It is TensorFlow Lite's single-rounding
        /// MultiplyByQuantizedMultiplier (TFLITE_SINGLE_ROUNDING: one 64-bit product, one rounding)
        /// with the tie rule of ONNX QuantizeLinear, so exact ties (common in pooling, where the
        /// ratio is a power of two) round as ONNX Runtime rounds them. multiplier is 0 or in
        /// [2^30, 2^31), shift in [-31, 30], so the shift below is 1 .. 62 and |x · multiplier| +
        /// 2^61 stays below 2^63. A result outside int32 wraps, as in TensorFlow Lite.
        /// </summary>
        /// <remarks>
        /// Why not the double-rounding composition (<see cref="MultiplyByQuantizedMultiplierDoubleRounding"/>)?
        /// Its first rounding keeps only -shift fractional bits, so for the small right shifts that
        /// pooling, concatenation and requantization produce it is off by one step against the exact
        /// value on several percent of outputs (measured against ONNX Runtime in
        /// tests/NanoInt8.Conversion.Tests); rounding once is exact, and cheaper on the interpreter.
        /// </remarks>
        public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
        {
            int totalShift = 31 - shift;
            long half = 1L << (totalShift - 1);
            long product = (long)x * multiplier;
            long rounded = (product + half) >> totalShift;
            // An exact tie was rounded up; when that made it odd, half to even means the other way.
            if ((product & ((half << 1) - 1)) == half && (rounded & 1) != 0)
            {
                rounded--;
            }

            return (int)rounded;
        }

        /// <summary>
        /// x · multiplier · 2^(shift - 31) rounded as TensorFlow Lite's reference
        /// MultiplyByQuantizedMultiplier without TFLITE_SINGLE_ROUNDING: a left shift (wrapping on
        /// overflow, as the reference does with int32 arithmetic), the doubling high multiply, then a
        /// rounding right shift. Kept bit-exact for comparison with TensorFlow Lite's default
        /// build; the kernels use <see cref="MultiplyByQuantizedMultiplier"/>.
        /// </summary>
        public static int MultiplyByQuantizedMultiplierDoubleRounding(int x, int multiplier, int shift)
        {
            if (shift > 0)
            {
                return SaturatingRoundingDoublingHighMul(x << shift, multiplier);
            }

            return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, multiplier), -shift);
        }

        /// <summary>True when multiplier and shift are a pair the runtime accepts.</summary>
        public static bool IsValidMultiplier(int multiplier, int shift)
        {
            return (multiplier == 0 || multiplier >= MinMultiplier) && shift >= MinShift && shift <= MaxShift;
        }
    }
}

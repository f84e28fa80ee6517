using NanoInt8.Runtime;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// Turns a real-valued scale ratio into the (multiplier, shift) pair that the device applies
    /// with <see cref="FixedPoint.MultiplyByQuantizedMultiplier"/>, as TensorFlow Lite's
    /// QuantizeMultiplier does.
    /// </summary>
    /// <remarks>
    /// A pair represents real = multiplier · 2^(shift - 31), with multiplier 0 or in [2^30, 2^31)
    /// (a Q31 fraction in [0.5, 1)) and shift in [-31, 30]. So the representable non-zero ratios run
    /// from 2^-32 (multiplier 2^30, shift -31) to just under 2^30 (multiplier 2^31 - 1, shift 30),
    /// each with a relative rounding error of at most 2^-31.
    /// </remarks>
    public static class QuantizedMultiplier
    {
        private const double TwoToThe31 = 2147483648.0;

        /// <summary>
        /// The (multiplier, shift) pair nearest to <paramref name="realMultiplier"/>: frexp splits it
        /// into q in [0.5, 1) and an exponent, multiplier = round(q · 2^31) with ties away from zero
        /// (TFLite's TfLiteRound), shift = exponent. A multiplier that rounds up to 2^31 is halved
        /// and the shift incremented. A ratio below 2^-32 (shift under -31) gives (0, 0); a ratio of
        /// 2^30 or more is clamped to (int.MaxValue, 30).
        /// </summary>
        /// <param name="realMultiplier">The ratio, finite and not negative (typically
        /// inputScale · filterScale / outputScale).</param>
        /// <exception cref="ArgumentOutOfRangeException">The ratio is negative, infinite or NaN.</exception>
        public static (int Multiplier, int Shift) FromScale(double realMultiplier)
        {
            if (!double.IsFinite(realMultiplier) || realMultiplier < 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(realMultiplier),
                    realMultiplier,
                    "A scale ratio must be finite and not negative.");
            }

            if (realMultiplier == 0)
            {
                return (0, 0);
            }

            // frexp: realMultiplier = fraction · 2^exponent with fraction in [0.5, 1). ILogB gives the
            // exponent of the [1, 2) form (subnormals included); scaling by a power of two is exact.
            int exponent = Math.ILogB(realMultiplier) + 1;
            double fraction = Math.ScaleB(realMultiplier, -exponent);
            long fixedFraction = (long)Math.Round(fraction * TwoToThe31, MidpointRounding.AwayFromZero);
            if (fixedFraction == (1L << 31))
            {
                fixedFraction /= 2;
                exponent++;
            }

            if (exponent < FixedPoint.MinShift)
            {
                return (0, 0);
            }

            if (exponent > FixedPoint.MaxShift)
            {
                return (int.MaxValue, FixedPoint.MaxShift);
            }

            return ((int)fixedFraction, exponent);
        }

        /// <summary>The real ratio multiplier · 2^(shift - 31) that a pair represents (exact in a double).</summary>
        public static double ToReal(int multiplier, int shift)
        {
            return Math.ScaleB(multiplier, shift - 31);
        }
    }
}

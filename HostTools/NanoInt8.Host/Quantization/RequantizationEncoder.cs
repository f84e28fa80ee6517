using NanoInt8.Runtime;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// Turns a real scale ratio into the (multiplier, shift) pair of each device requantization
    /// arithmetic (<see cref="Requantization"/>): Q31 is <see cref="QuantizedMultiplier.FromScale"/>,
    /// Q15 the same with a 15-bit fraction, PowerOfTwo the nearest power of two, Float32 the bits
    /// of a float32. Every pair this class returns passes <see cref="Requantization.IsValid"/>.
    /// </summary>
    public static class RequantizationEncoder
    {
        // frexp's fraction is in [0.5, 1); sqrt(2) splits [1, 2) into the halves nearer 1 and 2 in
        // the log domain, so 2^e · f rounds to 2^e below it and to 2^(e+1) above it.
        private static readonly double s_squareRootOfTwo = Math.Sqrt(2.0);

        /// <summary>
        /// The pair of <paramref name="ratio"/> for the device arithmetic of <paramref name="mode"/>:
        /// q31 and per-tensor give <see cref="QuantizedMultiplier.FromScale"/>, q15
        /// <see cref="FromScaleQ15"/>, pow2 <see cref="NearestPowerOfTwo"/>, exact
        /// <see cref="FromFloat32"/> of the ratio rounded to float32.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The ratio is negative, infinite or NaN.</exception>
        public static (int Multiplier, int Shift) Encode(double ratio, RequantizationMode mode)
        {
            return mode switch
            {
                RequantizationMode.Q15 => FromScaleQ15(ratio),
                RequantizationMode.PowerOfTwo => NearestPowerOfTwo(ratio),
                RequantizationMode.Exact => FromFloat32(CheckRatio(ratio) > float.MaxValue ? float.MaxValue : (float)ratio),
                _ => QuantizedMultiplier.FromScale(ratio),
            };
        }

        /// <summary>
        /// The Q15 pair nearest to <paramref name="ratio"/>, r = multiplier · 2^(shift - 15): as
        /// <see cref="QuantizedMultiplier.FromScale"/> but multiplier = round(q · 2^15) with q the
        /// frexp fraction in [0.5, 1), ties away from zero, so the relative error is at most 2^-15.
        /// A multiplier that rounds up to 2^15 is halved and the shift incremented. A ratio below
        /// 2^-32 gives (0, 0); one of 2^15 or more is clamped to (2^15 - 1, 15).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The ratio is negative, infinite or NaN.</exception>
        public static (int Multiplier, int Shift) FromScaleQ15(double ratio)
        {
            if (CheckRatio(ratio) == 0)
            {
                return (0, 0);
            }

            int exponent = Math.ILogB(ratio) + 1;
            double fraction = Math.ScaleB(ratio, -exponent);
            int fixedFraction = (int)Math.Round(fraction * 32768.0, MidpointRounding.AwayFromZero);
            if (fixedFraction == 1 << 15)
            {
                fixedFraction /= 2;
                exponent++;
            }

            if (exponent < -31)
            {
                return (0, 0);
            }

            if (exponent > 15)
            {
                return ((1 << 15) - 1, 15);
            }

            return (fixedFraction, exponent);
        }

        /// <summary>
        /// The PowerOfTwo pair (1, e) of the power of two nearest to <paramref name="ratio"/> in the
        /// log domain: with ratio = f · 2^e, f in [1, 2), 2^e when f &lt; √2 and 2^(e+1) otherwise,
        /// so the ratio is off by a factor of at most √2. A ratio that rounds below 2^-31 (under
        /// 2^-31/√2) gives (0, 0); one that rounds above 2^30 is clamped to (1, 30).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The ratio is negative, infinite or NaN.</exception>
        public static (int Multiplier, int Shift) NearestPowerOfTwo(double ratio)
        {
            if (CheckRatio(ratio) == 0)
            {
                return (0, 0);
            }

            int exponent = Math.ILogB(ratio);
            if (Math.ScaleB(ratio, -exponent) >= s_squareRootOfTwo)
            {
                exponent++;
            }

            if (exponent < -31)
            {
                return (0, 0);
            }

            return (1, Math.Min(exponent, 30));
        }

        /// <summary>
        /// The Float32 pair of <paramref name="ratio"/>: multiplier = the float32 significand with its
        /// implicit bit (in [2^23, 2^24)), shift = the unbiased exponent, so multiplier ·
        /// 2^(shift - 23) is the float exactly. 0 gives (0, 0). A subnormal ratio (below 2^-126)
        /// also gives (0, 0), and that changes no result: |x · r| &lt; 2^31 · 2^-126 rounds to 0 either
        /// way. A ratio of 2^31 or more is clamped to the largest pair, (2^24 - 1, 30): any such
        /// ratio saturates every |x| ≥ 2 anyway, and no quantized model has one.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The ratio is negative, infinite or NaN.</exception>
        public static (int Multiplier, int Shift) FromFloat32(float ratio)
        {
            if (!float.IsFinite(ratio) || ratio < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "A scale ratio must be finite and not negative.");
            }

            int bits = BitConverter.SingleToInt32Bits(ratio);
            int biasedExponent = (bits >> 23) & 0xFF;
            if (biasedExponent == 0)
            {
                return (0, 0); // zero or subnormal
            }

            int exponent = biasedExponent - 127;
            if (exponent > 30)
            {
                return ((1 << 24) - 1, 30);
            }

            return ((bits & 0x7FFFFF) | (1 << 23), exponent);
        }

        /// <summary>
        /// The real ratio a pair represents in the device arithmetic <paramref name="deviceMode"/>
        /// (a <see cref="Requantization"/> code), exact in a double.
        /// </summary>
        public static double ToReal(int multiplier, int shift, int deviceMode)
        {
            return deviceMode switch
            {
                Requantization.Q15 => Math.ScaleB(multiplier, shift - 15),
                Requantization.PowerOfTwo => Math.ScaleB(multiplier, shift),
                Requantization.Float32 => Math.ScaleB(multiplier, shift - 23),
                _ => QuantizedMultiplier.ToReal(multiplier, shift),
            };
        }

        private static double CheckRatio(double ratio)
        {
            if (!double.IsFinite(ratio) || ratio < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "A scale ratio must be finite and not negative.");
            }

            return ratio;
        }
    }
}

using System.Numerics;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>Exact rational rounding with BigInteger, the reference the fixed-point and requantization property tests compare with.</summary>
    internal static class ExactReference
    {
        private static readonly BigInteger s_twoTo31 = BigInteger.One << 31;
        private static readonly BigInteger s_twoTo32 = BigInteger.One << 32;

        /// <summary>numerator / denominator (denominator > 0) to the nearest integer, ties to even.</summary>
        public static BigInteger RoundHalfToEven(BigInteger numerator, BigInteger denominator)
        {
            BigInteger floor = BigInteger.Divide(numerator, denominator);
            if (numerator.Sign < 0 && floor * denominator != numerator)
            {
                floor -= 1;
            }

            BigInteger twiceRemainder = 2 * (numerator - floor * denominator);
            if (twiceRemainder > denominator || (twiceRemainder == denominator && !floor.IsEven))
            {
                floor += 1;
            }

            return floor;
        }

        /// <summary>The value modulo 2^32 as a two's-complement int32 (how int32 arithmetic wraps).</summary>
        public static int WrapToInt32(BigInteger value)
        {
            BigInteger reduced = ((value % s_twoTo32) + s_twoTo32) % s_twoTo32;
            return reduced >= s_twoTo31 ? (int)(reduced - s_twoTo32) : (int)reduced;
        }
    }
}

using System;
using System.Numerics;
using CsCheck;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// FixedPoint against a big-integer reference written from the mathematical definitions of
    /// gemmlowp's functions (host only: BigInteger and CsCheck do not exist on the device).
    /// Inputs cover the whole int32 range, and the edges are enumerated explicitly.
    /// </summary>
    [TestClass]
    public class FixedPointPropertyTests
    {
        private const long Iterations = 500_000;

        private static readonly BigInteger s_twoTo30 = BigInteger.One << 30;
        private static readonly BigInteger s_twoTo31 = BigInteger.One << 31;

        private static readonly int[] s_edgeValues =
        {
            int.MinValue, int.MinValue + 1, -(1 << 30) - 1, -(1 << 30), -(1 << 30) + 1, -65536, -256, -3, -2, -1,
            0, 1, 2, 3, 255, 65536, (1 << 30) - 1, 1 << 30, (1 << 30) + 1, int.MaxValue - 1, int.MaxValue,
        };

        private static readonly int[] s_edgeMultipliers = { 0, 1 << 30, (1 << 30) + 1, 1518500250, int.MaxValue - 1, int.MaxValue };

        private static readonly Gen<int> s_multipliers = Gen.Int[FixedPoint.MinMultiplier, int.MaxValue];
        private static readonly Gen<int> s_shifts = Gen.Int[FixedPoint.MinShift, FixedPoint.MaxShift];

        /// <summary>
        /// gemmlowp: (a·b + nudge) / 2^31 truncated toward zero, nudge = 2^30 when a·b >= 0 and
        /// 1 - 2^30 otherwise; a = b = int.MinValue, whose true result 2^31 does not fit, saturates.
        /// </summary>
        private static int ReferenceDoublingHighMul(int a, int b)
        {
            if (a == int.MinValue && b == int.MinValue)
            {
                return int.MaxValue;
            }

            BigInteger product = (BigInteger)a * b;
            BigInteger nudge = product >= 0 ? s_twoTo30 : BigInteger.One - s_twoTo30;
            // BigInteger.Divide truncates toward zero, as C++ integer division does.
            return checked((int)BigInteger.Divide(product + nudge, s_twoTo31));
        }

        /// <summary>x / 2^exponent rounded to nearest, ties away from zero, from the exact rational.</summary>
        private static int ReferenceRoundingDivideByPot(int x, int exponent)
        {
            return checked((int)RoundHalfAwayFromZero(x, BigInteger.One << exponent));
        }

        /// <summary>
        /// TensorFlow Lite's reference MultiplyByQuantizedMultiplier: x · 2^leftShift in int32
        /// (wrapping), the doubling high multiply, then the rounding right shift.
        /// </summary>
        private static int ReferenceMultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
        {
            int leftShift = shift > 0 ? shift : 0;
            int rightShift = shift > 0 ? 0 : -shift;
            int shifted = ExactReference.WrapToInt32((BigInteger)x << leftShift);
            return ReferenceRoundingDivideByPot(ReferenceDoublingHighMul(shifted, multiplier), rightShift);
        }

        /// <summary>numerator / denominator (denominator > 0) to the nearest integer, ties away from zero.</summary>
        private static BigInteger RoundHalfAwayFromZero(BigInteger numerator, BigInteger denominator)
        {
            // |n| / d rounded half up is floor((2|n| + d) / (2d)); the sign is restored afterwards.
            BigInteger magnitude = BigInteger.Divide((2 * BigInteger.Abs(numerator)) + denominator, 2 * denominator);
            return numerator.Sign < 0 ? -magnitude : magnitude;
        }

        [TestMethod]
        public void ReferenceRoundingDivideByPot_Ties_AwayFromZero()
        {
            // The reference itself: halves go away from zero, everything else to the nearest integer.
            Assert.AreEqual(2, ReferenceRoundingDivideByPot(3, 1));
            Assert.AreEqual(-2, ReferenceRoundingDivideByPot(-3, 1));
            Assert.AreEqual(1, ReferenceRoundingDivideByPot(5, 2));
            Assert.AreEqual(-1, ReferenceRoundingDivideByPot(-5, 2));
            Assert.AreEqual(2, ReferenceRoundingDivideByPot(6, 2));
            Assert.AreEqual(-2, ReferenceRoundingDivideByPot(-6, 2));
            Assert.AreEqual(-1, ReferenceRoundingDivideByPot(int.MinValue, 31));
            Assert.AreEqual(1, ReferenceRoundingDivideByPot(int.MaxValue, 31));
        }

        [TestMethod]
        public void ReferenceDoublingHighMul_KnownValues()
        {
            // 0.5 · 0.5 = 0.25 in Q31; -1 · 1 is -2^-31 · 2^-31 · 2, rounded toward the nudge: 0.
            Assert.AreEqual(1 << 29, ReferenceDoublingHighMul(1 << 30, 1 << 30));
            Assert.AreEqual(0, ReferenceDoublingHighMul(-1, 1));
            Assert.AreEqual(-int.MaxValue, ReferenceDoublingHighMul(int.MinValue, int.MaxValue));
            Assert.AreEqual(int.MaxValue, ReferenceDoublingHighMul(int.MinValue, int.MinValue));
        }

        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_AnyPair_MatchesReference()
        {
            Gen.Select(Gen.Int, Gen.Int).Sample(
                (a, b) => Assert.AreEqual(ReferenceDoublingHighMul(a, b), FixedPoint.SaturatingRoundingDoublingHighMul(a, b), $"a = {a}, b = {b}"),
                iter: Iterations);
        }

        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_AnyValueTimesMultiplier_MatchesReference()
        {
            Gen.Select(Gen.Int, s_multipliers).Sample(
                (a, b) => Assert.AreEqual(ReferenceDoublingHighMul(a, b), FixedPoint.SaturatingRoundingDoublingHighMul(a, b), $"a = {a}, b = {b}"),
                iter: Iterations);
        }

        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_EdgePairs_MatchReference()
        {
            foreach (int a in s_edgeValues)
            {
                foreach (int b in s_edgeValues)
                {
                    Assert.AreEqual(ReferenceDoublingHighMul(a, b), FixedPoint.SaturatingRoundingDoublingHighMul(a, b), $"a = {a}, b = {b}");
                }
            }
        }

        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_ExactTies_MatchReference()
        {
            // a·b an odd multiple of 2^30 sits exactly halfway between two results.
            Gen.Select(Gen.Int[-(1 << 14), (1 << 14) - 1], Gen.Int[0, 15]).Sample(
                (odd, split) =>
                {
                    int a = ((2 * odd) + 1) << split;
                    int b = 1 << (30 - split);
                    Assert.AreEqual(ReferenceDoublingHighMul(a, b), FixedPoint.SaturatingRoundingDoublingHighMul(a, b), $"a = {a}, b = {b}");
                },
                iter: Iterations);
        }

        [TestMethod]
        public void RoundingDivideByPOT_AnyValue_MatchesRoundHalfAwayFromZero()
        {
            Gen.Select(Gen.Int, Gen.Int[0, 31]).Sample(
                (x, exponent) => Assert.AreEqual(ReferenceRoundingDivideByPot(x, exponent), FixedPoint.RoundingDivideByPOT(x, exponent), $"x = {x}, exponent = {exponent}"),
                iter: Iterations);
        }

        [TestMethod]
        public void RoundingDivideByPOT_ExactTies_MatchRoundHalfAwayFromZero()
        {
            // x = (2k + 1) · 2^(exponent - 1) is exactly halfway: the mask/threshold code must go away from zero.
            Gen.Int[1, 31].SelectMany(exponent => Gen.Int[-(1 << (31 - exponent)), (1 << (31 - exponent)) - 1].Select(k => (k, exponent))).Sample(
                (k, exponent) =>
                {
                    int x = (int)(((2L * k) + 1) << (exponent - 1));
                    Assert.AreEqual(ReferenceRoundingDivideByPot(x, exponent), FixedPoint.RoundingDivideByPOT(x, exponent), $"x = {x}, exponent = {exponent}");
                },
                iter: Iterations);
        }

        [TestMethod]
        public void RoundingDivideByPOT_EdgeValuesAllExponents_MatchReference()
        {
            foreach (int x in s_edgeValues)
            {
                for (int exponent = 0; exponent <= 31; exponent++)
                {
                    Assert.AreEqual(ReferenceRoundingDivideByPot(x, exponent), FixedPoint.RoundingDivideByPOT(x, exponent), $"x = {x}, exponent = {exponent}");
                }
            }
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplier_AnyValue_IsTheExactProductRoundedHalfToEven()
        {
            Gen.Select(Gen.Int, s_multipliers, s_shifts).Sample(
                (x, multiplier, shift) => Assert.AreEqual(
                    ExactReference.WrapToInt32(ExactReference.RoundHalfToEven((BigInteger)x * multiplier, BigInteger.One << (31 - shift))),
                    FixedPoint.MultiplyByQuantizedMultiplier(x, multiplier, shift),
                    $"x = {x}, multiplier = {multiplier}, shift = {shift}"),
                iter: Iterations);
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplier_ExactTies_RoundToEven()
        {
            // multiplier 2^30 with shift 0 is exactly 0.5: odd x lands on a tie.
            for (int x = -1001; x <= 1001; x += 2)
            {
                int expected = (int)ExactReference.RoundHalfToEven(x, 2);
                Assert.AreEqual(expected, FixedPoint.MultiplyByQuantizedMultiplier(x, 1 << 30, 0), $"x = {x}");
                Assert.AreEqual(0, expected % 2, $"x = {x}");
            }
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplier_EdgeValuesAllShifts_AreTheExactProductRoundedHalfToEven()
        {
            foreach (int x in s_edgeValues)
            {
                foreach (int multiplier in s_edgeMultipliers)
                {
                    for (int shift = FixedPoint.MinShift; shift <= FixedPoint.MaxShift; shift++)
                    {
                        Assert.AreEqual(
                            ExactReference.WrapToInt32(ExactReference.RoundHalfToEven((BigInteger)x * multiplier, BigInteger.One << (31 - shift))),
                            FixedPoint.MultiplyByQuantizedMultiplier(x, multiplier, shift),
                            $"x = {x}, multiplier = {multiplier}, shift = {shift}");
                    }
                }
            }
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplierDoubleRounding_AnyValue_MatchesComposedReference()
        {
            Gen.Select(Gen.Int, s_multipliers, s_shifts).Sample(
                (x, multiplier, shift) => Assert.AreEqual(
                    ReferenceMultiplyByQuantizedMultiplier(x, multiplier, shift),
                    FixedPoint.MultiplyByQuantizedMultiplierDoubleRounding(x, multiplier, shift),
                    $"x = {x}, multiplier = {multiplier}, shift = {shift}"),
                iter: Iterations);
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplierDoubleRounding_EdgeValuesAllShifts_MatchComposedReference()
        {
            foreach (int x in s_edgeValues)
            {
                foreach (int multiplier in s_edgeMultipliers)
                {
                    for (int shift = FixedPoint.MinShift; shift <= FixedPoint.MaxShift; shift++)
                    {
                        Assert.AreEqual(
                            ReferenceMultiplyByQuantizedMultiplier(x, multiplier, shift),
                            FixedPoint.MultiplyByQuantizedMultiplierDoubleRounding(x, multiplier, shift),
                            $"x = {x}, multiplier = {multiplier}, shift = {shift}");
                    }
                }
            }
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplierDoubleRounding_NoOverflow_WithinOneOfExactRoundedProduct()
        {
            // With x · 2^max(shift, 0) inside int32, the two roundings (high multiply, then right
            // shift) together stay within 1 of the exactly rounded x · multiplier · 2^(shift - 31).
            s_shifts
                .SelectMany(shift =>
                {
                    int leftShift = Math.Max(shift, 0);
                    return Gen.Select(Gen.Int[int.MinValue >> leftShift, int.MaxValue >> leftShift], s_multipliers).Select((x, multiplier) => (x, multiplier, shift));
                })
                .Sample(
                    (x, multiplier, shift) =>
                    {
                        BigInteger exact = RoundHalfAwayFromZero((BigInteger)x * multiplier, BigInteger.One << (31 - shift));
                        BigInteger actual = FixedPoint.MultiplyByQuantizedMultiplierDoubleRounding(x, multiplier, shift);
                        Assert.IsLessThanOrEqualTo(BigInteger.One, BigInteger.Abs(actual - exact), $"x = {x}, multiplier = {multiplier}, shift = {shift}: {actual} vs {exact}");
                    },
                    iter: Iterations);
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplierDoubleRounding_NoOverflowEdges_WithinOneOfExactRoundedProduct()
        {
            foreach (int multiplier in s_edgeMultipliers)
            {
                for (int shift = FixedPoint.MinShift; shift <= FixedPoint.MaxShift; shift++)
                {
                    int leftShift = Math.Max(shift, 0);
                    int[] values = { int.MinValue >> leftShift, (int.MinValue >> leftShift) + 1, -1, 0, 1, (int.MaxValue >> leftShift) - 1, int.MaxValue >> leftShift };
                    foreach (int x in values)
                    {
                        BigInteger exact = RoundHalfAwayFromZero((BigInteger)x * multiplier, BigInteger.One << (31 - shift));
                        BigInteger actual = FixedPoint.MultiplyByQuantizedMultiplierDoubleRounding(x, multiplier, shift);
                        Assert.IsLessThanOrEqualTo(BigInteger.One, BigInteger.Abs(actual - exact), $"x = {x}, multiplier = {multiplier}, shift = {shift}: {actual} vs {exact}");
                    }
                }
            }
        }
    }
}

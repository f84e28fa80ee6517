using CsCheck;
using NanoInt8.Host.Quantization;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Quantization
{
    /// <summary>
    /// QuantizedMultiplier.FromScale against TensorFlow Lite's QuantizeMultiplier rules, and the
    /// end-to-end accuracy of applying its result with the device's fixed-point multiply.
    /// </summary>
    [TestClass]
    public class QuantizedMultiplierTests
    {
        private const double TwoTo31 = 2147483648.0;
        private static readonly double s_relativeTolerance = Math.ScaleB(1.0, -30);

        /// <summary>Ratios log-uniform over [1e-9, 1e3], the range real layers produce.</summary>
        private static readonly Gen<double> s_layerRatios = Gen.Double[Math.Log(1e-9), Math.Log(1e3)].Select(Math.Exp);

        [TestMethod]
        [DataRow(0.5, 1 << 30, 0)]
        [DataRow(1.0, 1 << 30, 1)]
        [DataRow(0.25, 1 << 30, -1)]
        [DataRow(0.75, 3 << 29, 0)]
        [DataRow(3.0, 3 << 29, 2)]
        public void FromScale_ExactPowersAndHalves_ExactPair(double ratio, int expectedMultiplier, int expectedShift)
        {
            Assert.AreEqual((expectedMultiplier, expectedShift), QuantizedMultiplier.FromScale(ratio));
        }

        [TestMethod]
        public void FromScale_Zero_IsZeroPair()
        {
            Assert.AreEqual((0, 0), QuantizedMultiplier.FromScale(0.0));
        }

        [TestMethod]
        public void FromScale_TieInFraction_RoundsAwayFromZero()
        {
            // q · 2^31 = 2^30 + 0.5 exactly: TfLiteRound (std::round) gives 2^30 + 1; banker's rounding would give 2^30.
            Assert.AreEqual(((1 << 30) + 1, 0), QuantizedMultiplier.FromScale(((1 << 30) + 0.5) / TwoTo31));
            Assert.AreEqual(((1 << 30) + 3, 0), QuantizedMultiplier.FromScale(((1 << 30) + 2.5) / TwoTo31));
        }

        [TestMethod]
        public void FromScale_FractionRoundsUpTo2To31_HalvedAndShiftIncremented()
        {
            // 1 - 2^-40 has frexp (1 - 2^-40, 0); q · 2^31 rounds to 2^31, so the pair becomes (2^30, 1) = 1.0.
            Assert.AreEqual((1 << 30, 1), QuantizedMultiplier.FromScale(1.0 - Math.ScaleB(1.0, -40)));
            Assert.AreEqual((1 << 30, -4), QuantizedMultiplier.FromScale(Math.ScaleB(1.0 - Math.ScaleB(1.0, -35), -5)));
        }

        [TestMethod]
        public void FromScale_Smallest_Representable_Is2ToMinus32()
        {
            Assert.AreEqual((1 << 30, -31), QuantizedMultiplier.FromScale(Math.ScaleB(1.0, -32)));
        }

        [TestMethod]
        public void FromScale_JustBelow2ToMinus32_RoundsUpIntoRange()
        {
            // frexp exponent -32, but the fraction rounds up to 2^31, which moves the shift to -31.
            Assert.AreEqual((1 << 30, -31), QuantizedMultiplier.FromScale(Math.ScaleB(1.0 - Math.ScaleB(1.0, -40), -32)));
        }

        [TestMethod]
        [DataRow(1.0 / 8589934592.0)]   // 2^-33
        [DataRow(1e-12)]
        [DataRow(double.Epsilon)]
        public void FromScale_Below2ToMinus32_IsZeroPair(double ratio)
        {
            Assert.AreEqual((0, 0), QuantizedMultiplier.FromScale(ratio));
        }

        [TestMethod]
        public void FromScale_JustBelow2To30_LargestShift()
        {
            Assert.AreEqual((3 << 29, 30), QuantizedMultiplier.FromScale(1.5 * (1 << 29)));
            Assert.AreEqual((int.MaxValue, 30), QuantizedMultiplier.FromScale((1 << 30) - 0.5));
        }

        [TestMethod]
        [DataRow(1073741824.0)]   // 2^30
        [DataRow(1e12)]
        [DataRow(double.MaxValue)]
        public void FromScale_2To30OrMore_ClampedToLargestPair(double ratio)
        {
            Assert.AreEqual((int.MaxValue, 30), QuantizedMultiplier.FromScale(ratio));
        }

        [TestMethod]
        [DataRow(-1e-9)]
        [DataRow(-1.0)]
        [DataRow(double.NaN)]
        [DataRow(double.PositiveInfinity)]
        [DataRow(double.NegativeInfinity)]
        public void FromScale_NegativeOrNotFinite_Throws(double ratio)
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => QuantizedMultiplier.FromScale(ratio));
        }

        [TestMethod]
        public void ToReal_Pair_IsMultiplierTimes2ToShiftMinus31()
        {
            Assert.AreEqual(0.5, QuantizedMultiplier.ToReal(1 << 30, 0));
            Assert.AreEqual(1.0, QuantizedMultiplier.ToReal(1 << 30, 1));
            Assert.AreEqual(Math.ScaleB(1.0, -32), QuantizedMultiplier.ToReal(1 << 30, -31));
            Assert.AreEqual(0.0, QuantizedMultiplier.ToReal(0, 0));
        }

        [TestMethod]
        public void FromScale_LayerRatios_ValidAndWithinRelative2ToMinus30()
        {
            s_layerRatios.Sample(
                ratio =>
                {
                    (int multiplier, int shift) = QuantizedMultiplier.FromScale(ratio);
                    Assert.IsTrue(FixedPoint.IsValidMultiplier(multiplier, shift), $"({multiplier}, {shift}) for {ratio:R}");
                    Assert.IsGreaterThanOrEqualTo(FixedPoint.MinMultiplier, multiplier, "a representable ratio never gives 0");
                    double relativeError = Math.Abs(QuantizedMultiplier.ToReal(multiplier, shift) - ratio) / ratio;
                    Assert.IsLessThanOrEqualTo(s_relativeTolerance, relativeError, $"({multiplier}, {shift}) for {ratio:R}");
                },
                iter: 100_000);
        }

        [TestMethod]
        public void FromScale_AnyRatio_ValidZeroClampedOrAccurate()
        {
            Gen.Double[Math.Log(1e-15), Math.Log(1e15)].Select(Math.Exp).Sample(
                ratio =>
                {
                    (int multiplier, int shift) = QuantizedMultiplier.FromScale(ratio);
                    Assert.IsTrue(FixedPoint.IsValidMultiplier(multiplier, shift), $"({multiplier}, {shift}) for {ratio:R}");
                    if (multiplier == 0)
                    {
                        Assert.IsLessThan(Math.ScaleB(1.0, -32), ratio, "only ratios below 2^-32 give (0, 0)");
                    }
                    else if (ratio >= Math.ScaleB(1.0, 30))
                    {
                        Assert.AreEqual((int.MaxValue, 30), (multiplier, shift));
                    }
                    else
                    {
                        double relativeError = Math.Abs(QuantizedMultiplier.ToReal(multiplier, shift) - ratio) / ratio;
                        Assert.IsLessThanOrEqualTo(s_relativeTolerance, relativeError, $"({multiplier}, {shift}) for {ratio:R}");
                    }
                },
                iter: 100_000);
        }

        [TestMethod]
        public void FromScale_ToRealOfValidPair_GivesPairBack()
        {
            Gen.Select(Gen.Int[FixedPoint.MinMultiplier, int.MaxValue], Gen.Int[FixedPoint.MinShift, FixedPoint.MaxShift]).Sample(
                (multiplier, shift) => Assert.AreEqual((multiplier, shift), QuantizedMultiplier.FromScale(QuantizedMultiplier.ToReal(multiplier, shift))),
                iter: 100_000);
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplier_FromScaleOfRatio_WithinOnePlusRelativeErrorOfProduct()
        {
            // For x · 2^max(shift, 0) inside int32, the doubling high multiply and the rounding
            // right shift each round once (together at most 1), and the pair itself is off by at
            // most a relative 2^-31 of the ratio, so |MBQM - x·r| <= 1 + |x|·r·2^-30.
            s_layerRatios
                .SelectMany(ratio =>
                {
                    int leftShift = Math.Max(QuantizedMultiplier.FromScale(ratio).Shift, 0);
                    return Gen.Int[int.MinValue >> leftShift, int.MaxValue >> leftShift].Select(x => (ratio, x));
                })
                .Sample(
                    (ratio, x) =>
                    {
                        (int multiplier, int shift) = QuantizedMultiplier.FromScale(ratio);
                        int result = FixedPoint.MultiplyByQuantizedMultiplier(x, multiplier, shift);
                        double exact = x * ratio;
                        double bound = 1.0 + (Math.Abs((double)x) * ratio * s_relativeTolerance);
                        Assert.IsLessThanOrEqualTo(bound, Math.Abs(result - exact), $"x = {x}, r = {ratio:R}, ({multiplier}, {shift}) gave {result}");
                    },
                    iter: 100_000);
        }
    }
}

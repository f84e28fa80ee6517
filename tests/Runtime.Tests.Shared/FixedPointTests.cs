using NanoInt8.Runtime;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>Hand-checked cases of the fixed-point functions; the exhaustive comparison with a
    /// big-integer reference is host-only (FixedPointPropertyTests).</summary>
    [TestClass]
    public class FixedPointTests
    {
        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_MinTimesMin_Saturates()
        {
            Assert.AreEqual(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
        }

        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_HalfTimesHalf_IsQuarter()
        {
            // 2^30 is 0.5 in Q31: 0.5 * 0.5 = 0.25 = 2^29.
            Assert.AreEqual(1 << 29, FixedPoint.SaturatingRoundingDoublingHighMul(1 << 30, 1 << 30));
        }

        [TestMethod]
        public void RoundingDivideByPOT_Ties_RoundAwayFromZero()
        {
            Assert.AreEqual(2, FixedPoint.RoundingDivideByPOT(3, 1));
            Assert.AreEqual(-2, FixedPoint.RoundingDivideByPOT(-3, 1));
            Assert.AreEqual(1, FixedPoint.RoundingDivideByPOT(5, 2));
            Assert.AreEqual(-1, FixedPoint.RoundingDivideByPOT(-5, 2));
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplier_Half_HalvesWithRounding()
        {
            // multiplier 2^30 with shift 0 is 0.5; ties round to even, as ONNX QuantizeLinear does.
            Assert.AreEqual(50, FixedPoint.MultiplyByQuantizedMultiplier(100, 1 << 30, 0));
            Assert.AreEqual(50, FixedPoint.MultiplyByQuantizedMultiplier(101, 1 << 30, 0));
            Assert.AreEqual(52, FixedPoint.MultiplyByQuantizedMultiplier(103, 1 << 30, 0));
            Assert.AreEqual(-50, FixedPoint.MultiplyByQuantizedMultiplier(-101, 1 << 30, 0));
            Assert.AreEqual(-52, FixedPoint.MultiplyByQuantizedMultiplier(-103, 1 << 30, 0));
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplierDoubleRounding_Half_RoundsAsGemmlowp()
        {
            // gemmlowp's doubling high multiply rounds a tie up for positive products and toward
            // zero for negative ones: 50.5 -> 51, -50.5 -> -50.
            Assert.AreEqual(51, FixedPoint.MultiplyByQuantizedMultiplierDoubleRounding(101, 1 << 30, 0));
            Assert.AreEqual(-50, FixedPoint.MultiplyByQuantizedMultiplierDoubleRounding(-101, 1 << 30, 0));
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplier_PositiveShift_Scales()
        {
            // 0.5 * 2^3 = 4.
            Assert.AreEqual(400, FixedPoint.MultiplyByQuantizedMultiplier(100, 1 << 30, 3));
        }
    }
}

using NanoInt8.Runtime;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Hand-checked cases of every requantization mode (they run on the device too); the
    /// comparison over the whole int32 range with exact references is host-only
    /// (RequantizationPropertyTests).
    /// </summary>
    [TestClass]
    public class RequantizationTests
    {
        [TestMethod]
        public void Apply_HalfInEveryMode_RoundsTiesToEven()
        {
            // 0.5 as each mode's pair: 1.5 -> 2, 2.5 -> 2, -1.5 -> -2, -2.5 -> -2.
            int[] multipliers = { 1 << 30, 1 << 14, 1, 1 << 23 };
            int[] shifts = { 0, 0, -1, -1 };
            int[] modes = { Requantization.Q31, Requantization.Q15, Requantization.PowerOfTwo, Requantization.Float32 };
            for (int i = 0; i < modes.Length; i++)
            {
                Assert.AreEqual(2, Requantization.Apply(3, multipliers[i], shifts[i], modes[i]));
                Assert.AreEqual(2, Requantization.Apply(5, multipliers[i], shifts[i], modes[i]));
                Assert.AreEqual(-2, Requantization.Apply(-3, multipliers[i], shifts[i], modes[i]));
                Assert.AreEqual(-2, Requantization.Apply(-5, multipliers[i], shifts[i], modes[i]));
                Assert.AreEqual(4, Requantization.Apply(7, multipliers[i], shifts[i], modes[i]));
            }
        }

        [TestMethod]
        public void MultiplyQ15_ThreeQuartersOfLargeValue_IsExactWith32BitProducts()
        {
            // 0.75 = 24576 · 2^-15; 2^30 · 0.75 = 805306368, and -(2^31) · 0.75 = -1610612736.
            Assert.AreEqual(805306368, Requantization.MultiplyQ15(1 << 30, 24576, 0));
            Assert.AreEqual(-1610612736, Requantization.MultiplyQ15(int.MinValue, 24576, 0));
            // A small ratio: 1000 · 0.75 · 2^-10 = 0.732... -> 1; -1000 -> -1.
            Assert.AreEqual(1, Requantization.MultiplyQ15(1000, 24576, -10));
            Assert.AreEqual(-1, Requantization.MultiplyQ15(-1000, 24576, -10));
        }

        [TestMethod]
        public void ShiftPowerOfTwo_LeftAndRight_ShiftAndRound()
        {
            Assert.AreEqual(28, Requantization.ShiftPowerOfTwo(7, 1, 2));
            Assert.AreEqual(1, Requantization.ShiftPowerOfTwo(5, 1, -2));
            Assert.AreEqual(2, Requantization.ShiftPowerOfTwo(6, 1, -2));
            Assert.AreEqual(0, Requantization.ShiftPowerOfTwo(12345, 0, -2));
            Assert.AreEqual(-1, Requantization.ShiftPowerOfTwo(int.MinValue, 1, -31));
        }

        [TestMethod]
        public void MultiplyFloat32_ValueBeyond24Bits_IsRoundedAsFloat32First()
        {
            // float32(2^24 + 1) = 2^24: times 1.0 gives 16777216, not 16777217.
            Assert.AreEqual(16777216, Requantization.MultiplyFloat32(16777217, 1 << 23, 0));
            // float32(2^24 + 3) = 2^24 + 4 (tie to even).
            Assert.AreEqual(16777220, Requantization.MultiplyFloat32(16777219, 1 << 23, 0));
            // float32(int.MaxValue) = 2^31: saturates.
            Assert.AreEqual(int.MaxValue, Requantization.MultiplyFloat32(int.MaxValue, 1 << 23, 0));
            Assert.AreEqual(int.MinValue, Requantization.MultiplyFloat32(int.MinValue, 1 << 23, 0));
        }

        [TestMethod]
        public void MultiplyFloat32_ProductBeyond24Bits_IsRoundedAsFloat32Multiply()
        {
            // (2^23 + 1) · (1 + 2^-23) = 2^23 + 2 + 2^-23: float32 keeps 2^23 + 2, then exact.
            Assert.AreEqual(8388610, Requantization.MultiplyFloat32(8388609, (1 << 23) + 1, 0));
            // 3 · 2^-2 = 0.75 -> 1; 1 · 2^-126 -> 0.
            Assert.AreEqual(1, Requantization.MultiplyFloat32(3, 1 << 23, -2));
            Assert.AreEqual(0, Requantization.MultiplyFloat32(1, 1 << 23, -126));
        }

        [TestMethod]
        public void IsValid_PairsOutsideTheirModesRange_AreRefused()
        {
            Assert.IsTrue(Requantization.IsValid(1 << 30, 0, Requantization.Q31));
            Assert.IsFalse(Requantization.IsValid(1 << 14, 0, Requantization.Q31));
            Assert.IsTrue(Requantization.IsValid(1 << 14, 15, Requantization.Q15));
            Assert.IsFalse(Requantization.IsValid(1 << 15, 0, Requantization.Q15));
            Assert.IsFalse(Requantization.IsValid(1 << 14, 16, Requantization.Q15));
            Assert.IsTrue(Requantization.IsValid(1, -31, Requantization.PowerOfTwo));
            Assert.IsFalse(Requantization.IsValid(2, 0, Requantization.PowerOfTwo));
            Assert.IsTrue(Requantization.IsValid(1 << 23, -126, Requantization.Float32));
            Assert.IsFalse(Requantization.IsValid(1 << 23, -127, Requantization.Float32));
            Assert.IsFalse(Requantization.IsValid(1 << 24, 0, Requantization.Float32));
            Assert.IsFalse(Requantization.IsValid(1 << 30, 0, 4));
        }
    }
}

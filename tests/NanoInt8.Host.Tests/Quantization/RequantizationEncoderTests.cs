using CsCheck;
using NanoInt8.Host.Quantization;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Quantization
{
    /// <summary>
    /// RequantizationEncoder: each mode's pair is valid for the device (Requantization.IsValid) and
    /// represents the ratio as closely as the mode allows: Q15 within 2^-15 relative, PowerOfTwo the
    /// nearer power in the log domain, Float32 the float32 exactly.
    /// </summary>
    [TestClass]
    public class RequantizationEncoderTests
    {
        /// <summary>Ratios log-uniform over [1e-9, 1e3], the range real layers produce.</summary>
        private static readonly Gen<double> s_layerRatios = Gen.Double[Math.Log(1e-9), Math.Log(1e3)].Select(Math.Exp);

        [TestMethod]
        public void FromScaleQ15_LayerRatios_ValidAndWithinRelative2ToMinus15()
        {
            s_layerRatios.Sample(
                ratio =>
                {
                    (int multiplier, int shift) = RequantizationEncoder.FromScaleQ15(ratio);
                    Assert.IsTrue(Requantization.IsValid(multiplier, shift, Requantization.Q15), $"({multiplier}, {shift}) for {ratio:R}");
                    Assert.IsGreaterThanOrEqualTo(1 << 14, multiplier, "a representable ratio never gives 0");
                    double relativeError = Math.Abs(RequantizationEncoder.ToReal(multiplier, shift, Requantization.Q15) - ratio) / ratio;
                    Assert.IsLessThanOrEqualTo(Math.ScaleB(1.0, -15), relativeError, $"ratio {ratio:R}");
                },
                iter: 20000);
        }

        [TestMethod]
        [DataRow(0.5, 1 << 14, 0)]
        [DataRow(0.75, 3 << 13, 0)]
        [DataRow(3.0, 3 << 13, 2)]
        public void FromScaleQ15_ExactFractions_ExactPair(double ratio, int expectedMultiplier, int expectedShift)
        {
            Assert.AreEqual((expectedMultiplier, expectedShift), RequantizationEncoder.FromScaleQ15(ratio));
        }

        [TestMethod]
        public void FromScaleQ15_FractionRoundsUpTo2To15_HalvedAndShiftIncremented()
        {
            Assert.AreEqual((1 << 14, 1), RequantizationEncoder.FromScaleQ15(1.0 - Math.ScaleB(1.0, -20)));
        }

        [TestMethod]
        public void FromScaleQ15_OutOfRange_ZeroOrClamped()
        {
            Assert.AreEqual((0, 0), RequantizationEncoder.FromScaleQ15(0.0));
            Assert.AreEqual((0, 0), RequantizationEncoder.FromScaleQ15(Math.ScaleB(1.0, -33)));
            Assert.AreEqual(((1 << 15) - 1, 15), RequantizationEncoder.FromScaleQ15(Math.ScaleB(1.0, 15)));
        }

        [TestMethod]
        [DataRow(1.0, 0)]
        [DataRow(1.4, 0)]
        [DataRow(1.42, 1)]
        [DataRow(0.36, -1)]   // 0.36 · 2 = 0.72 > 1/√2: nearer 0.5 than 0.25
        [DataRow(0.35, -2)]   // 0.35 · 4 = 1.4 < √2: nearer 0.25
        [DataRow(3e-3, -8)]   // 2^-8 = 0.0039, 2^-9 = 0.00195: 3e-3 · 2^9 = 1.536 > √2
        public void NearestPowerOfTwo_Ratio_PicksNearerPowerInLogDomain(double ratio, int expectedShift)
        {
            Assert.AreEqual((1, expectedShift), RequantizationEncoder.NearestPowerOfTwo(ratio));
        }

        [TestMethod]
        public void NearestPowerOfTwo_LayerRatios_ValidAndWithinFactorSquareRootOfTwo()
        {
            s_layerRatios.Sample(
                ratio =>
                {
                    (int multiplier, int shift) = RequantizationEncoder.NearestPowerOfTwo(ratio);
                    Assert.IsTrue(Requantization.IsValid(multiplier, shift, Requantization.PowerOfTwo));
                    double factor = RequantizationEncoder.ToReal(multiplier, shift, Requantization.PowerOfTwo) / ratio;
                    Assert.IsTrue(factor <= Math.Sqrt(2) && factor >= 1 / Math.Sqrt(2), $"ratio {ratio:R} → 2^{shift}");
                },
                iter: 20000);
        }

        [TestMethod]
        public void NearestPowerOfTwo_OutOfRange_ZeroOrClamped()
        {
            Assert.AreEqual((0, 0), RequantizationEncoder.NearestPowerOfTwo(0.0));
            Assert.AreEqual((1, -31), RequantizationEncoder.NearestPowerOfTwo(Math.ScaleB(0.75, -31)));
            Assert.AreEqual((0, 0), RequantizationEncoder.NearestPowerOfTwo(Math.ScaleB(0.7, -31)));
            Assert.AreEqual((1, 30), RequantizationEncoder.NearestPowerOfTwo(1e12));
        }

        [TestMethod]
        public void FromFloat32_LayerRatios_ReproduceTheFloatBitsExactly()
        {
            s_layerRatios.Sample(
                ratio =>
                {
                    float single = (float)ratio;
                    (int multiplier, int shift) = RequantizationEncoder.FromFloat32(single);
                    Assert.IsTrue(Requantization.IsValid(multiplier, shift, Requantization.Float32), $"({multiplier}, {shift}) for {single:R}");
                    Assert.AreEqual((double)single, Math.ScaleB(multiplier, shift - 23));
                    Assert.AreEqual(RequantizationEncoder.Encode(ratio, RequantizationMode.Exact), (multiplier, shift));
                },
                iter: 20000);
        }

        [TestMethod]
        public void FromFloat32_ZeroAndSubnormal_ZeroPair()
        {
            Assert.AreEqual((0, 0), RequantizationEncoder.FromFloat32(0f));
            Assert.AreEqual((0, 0), RequantizationEncoder.FromFloat32(float.Epsilon));
            Assert.AreEqual((1 << 23, -126), RequantizationEncoder.FromFloat32(BitConverter.Int32BitsToSingle(1 << 23)));
        }

        [TestMethod]
        public void FromFloat32_2To31OrMore_ClampedToLargestPair()
        {
            Assert.AreEqual(((1 << 24) - 1, 30), RequantizationEncoder.FromFloat32(2147483648f));
            Assert.AreEqual(((1 << 24) - 1, 30), RequantizationEncoder.Encode(1e300, RequantizationMode.Exact));
        }

        [TestMethod]
        [DataRow(-1f)]
        [DataRow(float.NaN)]
        [DataRow(float.PositiveInfinity)]
        public void FromFloat32_NegativeOrNotFinite_Throws(float ratio)
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RequantizationEncoder.FromFloat32(ratio));
        }

        [TestMethod]
        public void Encode_EachMode_PairValidForItsDeviceArithmetic()
        {
            foreach (RequantizationMode mode in RequantizationModes.All)
            {
                s_layerRatios.Sample(
                    ratio =>
                    {
                        (int multiplier, int shift) = RequantizationEncoder.Encode(ratio, mode);
                        Assert.IsTrue(Requantization.IsValid(multiplier, shift, mode.DeviceMode()), $"{mode.Name()}: ({multiplier}, {shift}) for {ratio:R}");
                    },
                    iter: 2000);
            }
        }
    }
}

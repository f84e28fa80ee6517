using System;
using System.Numerics;
using CsCheck;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Every requantization mode against a reference of its own arithmetic over the whole int32
    /// range (host only: BigInteger, float and CsCheck do not exist on the device). Q15 and
    /// PowerOfTwo are checked against x·ratio computed exactly with BigInteger and rounded half
    /// to even (wrapped to int32 as the Q31 pair wraps); Float32 against .NET's own float32
    /// arithmetic, round((float)x · (float)ratio) with ties to even and int32 saturation: the
    /// computation ONNX Runtime's MlasRequantizeOutput performs.
    /// </summary>
    [TestClass]
    public class RequantizationPropertyTests
    {
        private const long Iterations = 300_000;

        private static readonly int[] s_edgeValues =
        {
            int.MinValue, int.MinValue + 1, -(1 << 24) - 1, -(1 << 24), -65537, -65536, -65535, -32768, -3, -2, -1,
            0, 1, 2, 3, 32767, 65535, 65536, 65537, (1 << 24) - 1, 1 << 24, (1 << 24) + 1, (1 << 24) + 3, int.MaxValue - 1, int.MaxValue,
        };

        // x · multiplier · 2^exponent rounded half to even, wrapped to int32.
        private static int ReferenceShifted(int x, long multiplier, int exponent)
        {
            BigInteger numerator = (BigInteger)x * multiplier;
            return ExactReference.WrapToInt32(exponent >= 0
                ? numerator << exponent
                : ExactReference.RoundHalfToEven(numerator, BigInteger.One << -exponent));
        }

        private static int ReferenceFloat32(int x, int multiplier, int shift)
        {
            float ratio = (float)Math.ScaleB(multiplier, shift - 23);
            float product = (float)x * ratio;
            double rounded = Math.Round((double)product, MidpointRounding.ToEven);
            if (rounded > int.MaxValue)
            {
                return int.MaxValue;
            }

            return rounded < int.MinValue ? int.MinValue : (int)rounded;
        }

        [TestMethod]
        public void ReferenceFloat32_KnownValues()
        {
            // The reference itself: float32(2^24 + 1) = 2^24, and 2.5 rounds to 2.
            Assert.AreEqual(1 << 24, ReferenceFloat32((1 << 24) + 1, 1 << 23, 0));
            Assert.AreEqual(2, ReferenceFloat32(5, 1 << 23, -1));
            Assert.AreEqual(-2, ReferenceShifted(-5, 1, -1));
            Assert.AreEqual(3, ReferenceShifted(5, 1, -1) + 1);
        }

        [TestMethod]
        public void MultiplyQ15_AnyValueAndPair_MatchesExactRounding()
        {
            Gen.Select(Gen.Int, Gen.Int[1 << 14, (1 << 15) - 1], Gen.Int[-31, 15]).Sample(
                (x, m, s) => Requantization.MultiplyQ15(x, m, s) == ReferenceShifted(x, m, s - 15),
                iter: Iterations);
        }

        [TestMethod]
        public void MultiplyQ15_EdgeValues_MatchExactRounding()
        {
            int[] multipliers = { 0, 1 << 14, (1 << 14) + 1, 23170, (1 << 15) - 1 };
            foreach (int x in s_edgeValues)
            {
                foreach (int m in multipliers)
                {
                    for (int s = -31; s <= 15; s++)
                    {
                        Assert.AreEqual(ReferenceShifted(x, m, s - 15), Requantization.MultiplyQ15(x, m, s), $"x={x} m={m} s={s}");
                    }
                }
            }
        }

        [TestMethod]
        public void MultiplyQ15_ExactTies_RoundToEven()
        {
            // x · m / 2^t exactly k + 1/2: x = 2k + 1 with m = 2^14 and t = 15.
            Gen.Int[-(1 << 20), 1 << 20].Sample(
                k => Requantization.MultiplyQ15(2 * k + 1, 1 << 14, 0) == ReferenceShifted(2 * k + 1, 1 << 14, -15),
                iter: 50_000);
        }

        [TestMethod]
        public void ShiftPowerOfTwo_AnyValueAndShift_MatchesExactRounding()
        {
            Gen.Select(Gen.Int, Gen.Int[-31, 30]).Sample(
                (x, s) => Requantization.ShiftPowerOfTwo(x, 1, s) == ReferenceShifted(x, 1, s),
                iter: Iterations);
            foreach (int x in s_edgeValues)
            {
                for (int s = -31; s <= 30; s++)
                {
                    Assert.AreEqual(ReferenceShifted(x, 1, s), Requantization.ShiftPowerOfTwo(x, 1, s), $"x={x} s={s}");
                }
            }
        }

        [TestMethod]
        public void MultiplyFloat32_AnyValueAndPair_MatchesFloat32Arithmetic()
        {
            Gen.Select(Gen.Int, Gen.Int[1 << 23, (1 << 24) - 1], Gen.Int[-40, 10]).Sample(
                (x, m, s) => Requantization.MultiplyFloat32(x, m, s) == ReferenceFloat32(x, m, s),
                iter: Iterations);
        }

        [TestMethod]
        public void MultiplyFloat32_AccumulatorSizedValues_MatchFloat32Arithmetic()
        {
            // The requantizations of real layers: accumulators within ±2^24 and ratios 2^-20 .. 2^1,
            // where most outputs land within a few steps of a rounding boundary.
            Gen.Select(Gen.Int[-(1 << 24), 1 << 24], Gen.Int[1 << 23, (1 << 24) - 1], Gen.Int[-20, 1]).Sample(
                (x, m, s) => Requantization.MultiplyFloat32(x, m, s) == ReferenceFloat32(x, m, s),
                iter: Iterations);
        }

        [TestMethod]
        public void MultiplyFloat32_EdgeValues_MatchFloat32Arithmetic()
        {
            int[] multipliers = { 0, 1 << 23, (1 << 23) + 1, 11863283, (1 << 24) - 1 };
            foreach (int x in s_edgeValues)
            {
                foreach (int m in multipliers)
                {
                    for (int s = -126; s <= 30; s++)
                    {
                        Assert.AreEqual(ReferenceFloat32(x, m, s), Requantization.MultiplyFloat32(x, m, s), $"x={x} m={m} s={s}");
                    }
                }
            }
        }

        [TestMethod]
        public void MultiplyFloat32_ExactTies_RoundToEven()
        {
            // (2k + 1) · 0.5 is exactly k + 1/2 in float32 while |2k + 1| < 2^24.
            Gen.Int[-(1 << 22), 1 << 22].Sample(
                k => Requantization.MultiplyFloat32(2 * k + 1, 1 << 23, -1) == ReferenceFloat32(2 * k + 1, 1 << 23, -1),
                iter: 50_000);
        }

        [TestMethod]
        public void Apply_EveryMode_DispatchesToItsArithmetic()
        {
            Gen.Select(Gen.Int, Gen.Int[1 << 14, (1 << 15) - 1], Gen.Int[-20, 0]).Sample(
                (x, m, s) => Requantization.Apply(x, m, s, Requantization.Q15) == Requantization.MultiplyQ15(x, m, s)
                    && Requantization.Apply(x, 1, s, Requantization.PowerOfTwo) == Requantization.ShiftPowerOfTwo(x, 1, s)
                    && Requantization.Apply(x, m << 9, s, Requantization.Float32) == Requantization.MultiplyFloat32(x, m << 9, s)
                    && Requantization.Apply(x, m << 16, s, Requantization.Q31) == FixedPoint.MultiplyByQuantizedMultiplier(x, m << 16, s),
                iter: 20_000);
        }
    }
}

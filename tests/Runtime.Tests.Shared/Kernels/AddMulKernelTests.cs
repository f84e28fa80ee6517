using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// AddKernel and MulKernel against a plain reference that broadcasts by shape (a dim of size 1
    /// repeats), independently of the strides the kernels are given.
    /// </summary>
    [TestClass]
    public class AddMulKernelTests
    {
        private const int LeftShift = 20;

        [TestMethod]
        public void AddEval_KnownNumbers_GivesHandComputedOutput()
        {
            // a = 10, b = 20 (zero points 0); a' = MBQM(10 << 20, 0.5) = 5·2^20, b' = 10·2^20;
            // output = MBQM(15·2^20, 0.5 · 2^-19) = 15, plus zo 3 = 18.
            sbyte[] output = new sbyte[1];
            AddKernel.Eval(new sbyte[] { 10 }, 0, 0, new sbyte[] { 20 }, 0, 0, output, 0, 3,
                new int[] { 1, 1, 1, 1 }, 0, new int[] { 0, 0, 0, 0 }, 0, new int[] { 0, 0, 0, 0 }, 0,
                LeftShift, 1 << 30, 0, 1 << 30, 0, 1 << 30, -19, -128, 127, false, Requantization.Q31);

            Assert.AreEqual((sbyte)18, output[0]);
        }

        [TestMethod]
        public void AddEval_SubtractKnownNumbers_GivesAMinusB()
        {
            // Zero points 4 and -6: a - za = 14 - 4 = 10 and b - zb = 14 + 6 = 20. With the scales
            // above the output is (10 - 20) / 2 = -5, plus zo 3 = -2.
            sbyte[] output = new sbyte[1];
            AddKernel.Eval(new sbyte[] { 14 }, 0, 4, new sbyte[] { 14 }, 0, -6, output, 0, 3,
                new int[] { 1, 1, 1, 1 }, 0, new int[] { 0, 0, 0, 0 }, 0, new int[] { 0, 0, 0, 0 }, 0,
                LeftShift, 1 << 30, 0, 1 << 30, 0, 1 << 30, -19, -128, 127, true, Requantization.Q31);

            Assert.AreEqual((sbyte)-2, output[0]);
        }

        [TestMethod]
        public void AddEval_SameShape_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckAdd(seed, new int[] { 2, 3, 4, 5 }, new int[] { 2, 3, 4, 5 }, new int[] { 2, 3, 4, 5 }, 5, -9, 1, -128, 127, false);
            }
        }

        [TestMethod]
        public void AddEval_ScalarOperand_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckAdd(seed, new int[] { 1, 3, 4, 5 }, new int[] { 1, 1, 1, 1 }, new int[] { 1, 3, 4, 5 }, -3, 12, 0, -128, 127, false);
                CheckAdd(seed, new int[] { 1, 1, 1, 1 }, new int[] { 1, 3, 4, 5 }, new int[] { 1, 3, 4, 5 }, -3, 12, 0, -128, 127, false);
            }
        }

        [TestMethod]
        public void AddEval_PerChannelOperand_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckAdd(seed, new int[] { 2, 4, 3, 3 }, new int[] { 1, 4, 1, 1 }, new int[] { 2, 4, 3, 3 }, 0, 0, -4, -128, 127, false);
            }
        }

        [TestMethod]
        public void AddEval_RowPlusColumn_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                // [H, 1] + [1, W] -> [H, W]: both operands broadcast, along different dims.
                CheckAdd(seed, new int[] { 1, 1, 6, 1 }, new int[] { 1, 1, 1, 7 }, new int[] { 1, 1, 6, 7 }, 8, -8, 2, -128, 127, false);
                CheckAdd(seed, new int[] { 1, 1, 1, 7 }, new int[] { 1, 1, 6, 1 }, new int[] { 1, 1, 6, 7 }, 8, -8, 2, -128, 127, false);
            }
        }

        [TestMethod]
        public void AddEval_Subtract_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckAdd(seed, new int[] { 1, 2, 3, 4 }, new int[] { 1, 2, 3, 4 }, new int[] { 1, 2, 3, 4 }, 10, -10, 5, -128, 127, true);
                // Broadcast first operand: the order a - b must survive broadcasting.
                CheckAdd(seed, new int[] { 1, 1, 1, 4 }, new int[] { 1, 2, 3, 4 }, new int[] { 1, 2, 3, 4 }, 10, -10, 5, -128, 127, true);
            }
        }

        [TestMethod]
        public void AddEval_ExtremeZeroPoints_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckAdd(seed, new int[] { 1, 2, 4, 4 }, new int[] { 1, 2, 4, 4 }, new int[] { 1, 2, 4, 4 }, -128, 127, -128, -128, 127, false);
                CheckAdd(seed, new int[] { 1, 2, 4, 4 }, new int[] { 1, 2, 1, 4 }, new int[] { 1, 2, 4, 4 }, 127, -128, 127, -128, 127, true);
            }
        }

        [TestMethod]
        public void AddEval_ActivationRange_ClampsToIt()
        {
            sbyte[] output = CheckAdd(9, new int[] { 1, 4, 5, 5 }, new int[] { 1, 4, 5, 5 }, new int[] { 1, 4, 5, 5 }, 0, 0, -30, -30, 50, false);
            Assert.IsTrue(KernelTestSupport.Contains(output, -30));
            Assert.IsTrue(KernelTestSupport.Contains(output, 50));
            Assert.IsTrue(KernelTestSupport.CountBetween(output, -30, 50) > 0);
        }

        [TestMethod]
        public void MulEval_KnownNumbers_GivesHandComputedOutput()
        {
            // (6 - 2)·(-3 - (-5)) = 8; multiplier 0.5 -> 4; zo -1 -> 3.
            sbyte[] output = new sbyte[1];
            MulKernel.Eval(new sbyte[] { 6 }, 0, 2, new sbyte[] { -3 }, 0, -5, output, 0, -1,
                new int[] { 1, 1, 1, 1 }, 0, new int[] { 0, 0, 0, 0 }, 0, new int[] { 0, 0, 0, 0 }, 0,
                1 << 30, 0, -128, 127, Requantization.Q31);

            Assert.AreEqual((sbyte)3, output[0]);
        }

        [TestMethod]
        public void MulEval_SameShape_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckMul(seed, new int[] { 2, 3, 4, 5 }, new int[] { 2, 3, 4, 5 }, new int[] { 2, 3, 4, 5 }, 3, -3, 0, -128, 127);
            }
        }

        [TestMethod]
        public void MulEval_ScalarAndPerChannel_MatchReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckMul(seed, new int[] { 1, 3, 4, 5 }, new int[] { 1, 1, 1, 1 }, new int[] { 1, 3, 4, 5 }, -7, 0, 9, -128, 127);
                CheckMul(seed, new int[] { 1, 3, 1, 1 }, new int[] { 2, 3, 4, 5 }, new int[] { 2, 3, 4, 5 }, 0, 21, -9, -128, 127);
            }
        }

        [TestMethod]
        public void MulEval_RowTimesColumn_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckMul(seed, new int[] { 1, 1, 5, 1 }, new int[] { 1, 1, 1, 6 }, new int[] { 1, 1, 5, 6 }, 1, 2, 3, -128, 127);
            }
        }

        [TestMethod]
        public void MulEval_ExtremeZeroPointsAndClamp_MatchReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckMul(seed, new int[] { 1, 2, 4, 4 }, new int[] { 1, 2, 4, 4 }, new int[] { 1, 2, 4, 4 }, -128, 127, -128, -128, 127);
                sbyte[] output = CheckMul(seed, new int[] { 1, 2, 4, 4 }, new int[] { 1, 1, 4, 1 }, new int[] { 1, 2, 4, 4 }, 127, -128, 127, 0, 100);
                Assert.IsTrue(KernelTestSupport.Contains(output, 100));
            }
        }

        private static sbyte[] CheckAdd(int seed, int[] aShape, int[] bShape, int[] outputShape, int aZeroPoint, int bZeroPoint, int outputZeroPoint,
            int activationMin, int activationMax, bool subtract)
        {
            TestRandom random = new TestRandom(seed * 104729 + KernelTestSupport.ElementCount(aShape) * 7 + KernelTestSupport.ElementCount(bShape));
            sbyte[] a = KernelTestSupport.RandomBytes(random, KernelTestSupport.ElementCount(aShape), -128, 127);
            sbyte[] b = KernelTestSupport.RandomBytes(random, KernelTestSupport.ElementCount(bShape), -128, 127);
            int aMultiplier = random.Next(FixedPoint.MinMultiplier, int.MaxValue);
            int aShift = random.Next(-3, 0);
            int bMultiplier = random.Next(FixedPoint.MinMultiplier, int.MaxValue);
            int bShift = random.Next(-3, 0);

            int outputCount = KernelTestSupport.ElementCount(outputShape);
            int[] sums = new int[outputCount];
            long maxAbs = 0;
            int outputIndex = 0;
            for (int i0 = 0; i0 < outputShape[0]; i0++)
            {
                for (int i1 = 0; i1 < outputShape[1]; i1++)
                {
                    for (int i2 = 0; i2 < outputShape[2]; i2++)
                    {
                        for (int i3 = 0; i3 < outputShape[3]; i3++)
                        {
                            int aValue = a[BroadcastIndex(aShape, i0, i1, i2, i3)];
                            int bValue = b[BroadcastIndex(bShape, i0, i1, i2, i3)];
                            int aScaled = FixedPoint.MultiplyByQuantizedMultiplier((aValue - aZeroPoint) * (1 << LeftShift), aMultiplier, aShift);
                            int bScaled = FixedPoint.MultiplyByQuantizedMultiplier((bValue - bZeroPoint) * (1 << LeftShift), bMultiplier, bShift);
                            long sum = subtract ? (long)aScaled - bScaled : (long)aScaled + bScaled;
                            Assert.IsTrue(sum >= int.MinValue && sum <= int.MaxValue);
                            sums[outputIndex] = (int)sum;
                            long magnitude = sum < 0 ? -sum : sum;
                            maxAbs = magnitude > maxAbs ? magnitude : maxAbs;
                            outputIndex++;
                        }
                    }
                }
            }

            int outputMultiplier;
            int outputShift;
            KernelTestSupport.PickMultiplier(random, maxAbs, out outputMultiplier, out outputShift);
            sbyte[] expected = new sbyte[outputCount];
            for (int index = 0; index < outputCount; index++)
            {
                expected[index] = KernelTestSupport.Requantize(sums[index], outputMultiplier, outputShift, outputZeroPoint, activationMin, activationMax);
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(outputCount + 6);
            AddKernel.Eval(KernelTestSupport.Embed(a, 2, 1), 2, aZeroPoint, KernelTestSupport.Embed(b, 5, 0), 5, bZeroPoint,
                outputBuffer, 3, outputZeroPoint,
                KernelTestSupport.EmbedInts(outputShape, 1), 1, KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(aShape), 2), 2,
                KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(bShape), 3), 3,
                LeftShift, aMultiplier, aShift, bMultiplier, bShift, outputMultiplier, outputShift,
                activationMin, activationMax, subtract, Requantization.Q31);

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
            return expected;
        }

        private static sbyte[] CheckMul(int seed, int[] aShape, int[] bShape, int[] outputShape, int aZeroPoint, int bZeroPoint, int outputZeroPoint,
            int activationMin, int activationMax)
        {
            TestRandom random = new TestRandom(seed * 15485863 + KernelTestSupport.ElementCount(aShape) * 7 + KernelTestSupport.ElementCount(bShape));
            sbyte[] a = KernelTestSupport.RandomBytes(random, KernelTestSupport.ElementCount(aShape), -128, 127);
            sbyte[] b = KernelTestSupport.RandomBytes(random, KernelTestSupport.ElementCount(bShape), -128, 127);

            int outputCount = KernelTestSupport.ElementCount(outputShape);
            long[] products = new long[outputCount];
            long maxAbs = 0;
            int outputIndex = 0;
            for (int i0 = 0; i0 < outputShape[0]; i0++)
            {
                for (int i1 = 0; i1 < outputShape[1]; i1++)
                {
                    for (int i2 = 0; i2 < outputShape[2]; i2++)
                    {
                        for (int i3 = 0; i3 < outputShape[3]; i3++)
                        {
                            long product = (long)(a[BroadcastIndex(aShape, i0, i1, i2, i3)] - aZeroPoint) * (b[BroadcastIndex(bShape, i0, i1, i2, i3)] - bZeroPoint);
                            products[outputIndex] = product;
                            long magnitude = product < 0 ? -product : product;
                            maxAbs = magnitude > maxAbs ? magnitude : maxAbs;
                            outputIndex++;
                        }
                    }
                }
            }

            int outputMultiplier;
            int outputShift;
            KernelTestSupport.PickMultiplier(random, maxAbs, out outputMultiplier, out outputShift);
            sbyte[] expected = new sbyte[outputCount];
            for (int index = 0; index < outputCount; index++)
            {
                expected[index] = KernelTestSupport.Requantize(products[index], outputMultiplier, outputShift, outputZeroPoint, activationMin, activationMax);
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(outputCount + 5);
            MulKernel.Eval(KernelTestSupport.Embed(a, 1, 2), 1, aZeroPoint, KernelTestSupport.Embed(b, 4, 1), 4, bZeroPoint,
                outputBuffer, 2, outputZeroPoint,
                KernelTestSupport.EmbedInts(outputShape, 2), 2, KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(aShape), 1), 1,
                KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(bShape), 3), 3,
                outputMultiplier, outputShift, activationMin, activationMax, Requantization.Q31);

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
            return expected;
        }

        /// <summary>Index into an operand of the given shape for output index (i0..i3): a dim of size 1 is repeated.</summary>
        private static int BroadcastIndex(int[] shape, int i0, int i1, int i2, int i3)
        {
            return KernelTestSupport.Index4(shape[1], shape[2], shape[3],
                shape[0] == 1 ? 0 : i0, shape[1] == 1 ? 0 : i1, shape[2] == 1 ? 0 : i2, shape[3] == 1 ? 0 : i3);
        }
    }
}

using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;
using NanoInt8.Runtime;

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
            AddKernel.Eval(new AddOperator
            {
                A = new sbyte[] { 10 }, AOffset = 0, AZeroPoint = 0, B = new sbyte[] { 20 }, BOffset = 0, BZeroPoint = 0, Output = output,
                OutputOffset = 0, OutputZeroPoint = 3,
                OutputShape = new int[] { 1, 1, 1, 1 }, OutputShapeOffset = 0, AStrides = new int[] { 0, 0, 0, 0 }, AStridesOffset = 0,
                BStrides = new int[] { 0, 0, 0, 0 }, BStridesOffset = 0,
                LeftShift = LeftShift, AMultiplier = 1 << 30, AShift = 0, BMultiplier = 1 << 30, BShift = 0, OutputMultiplier = 1 << 30,
                OutputShift = -19, ActivationMin = -128, ActivationMax = 127, Subtract = false, Mode = Requantization.Q31,
            });

            Assert.AreEqual((sbyte)18, output[0]);
        }

        [TestMethod]
        public void AddEval_SubtractKnownNumbers_GivesAMinusB()
        {
            // Zero points 4 and -6: a - za = 14 - 4 = 10 and b - zb = 14 + 6 = 20. With the scales
            // above the output is (10 - 20) / 2 = -5, plus zo 3 = -2.
            sbyte[] output = new sbyte[1];
            AddKernel.Eval(new AddOperator
            {
                A = new sbyte[] { 14 }, AOffset = 0, AZeroPoint = 4, B = new sbyte[] { 14 }, BOffset = 0, BZeroPoint = -6, Output = output,
                OutputOffset = 0, OutputZeroPoint = 3,
                OutputShape = new int[] { 1, 1, 1, 1 }, OutputShapeOffset = 0, AStrides = new int[] { 0, 0, 0, 0 }, AStridesOffset = 0,
                BStrides = new int[] { 0, 0, 0, 0 }, BStridesOffset = 0,
                LeftShift = LeftShift, AMultiplier = 1 << 30, AShift = 0, BMultiplier = 1 << 30, BShift = 0, OutputMultiplier = 1 << 30,
                OutputShift = -19, ActivationMin = -128, ActivationMax = 127, Subtract = true, Mode = Requantization.Q31,
            });

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
            MulKernel.Eval(new MulOperator
            {
                A = new sbyte[] { 6 }, AOffset = 0, AZeroPoint = 2, B = new sbyte[] { -3 }, BOffset = 0, BZeroPoint = -5, Output = output,
                OutputOffset = 0, OutputZeroPoint = -1,
                OutputShape = new int[] { 1, 1, 1, 1 }, OutputShapeOffset = 0, AStrides = new int[] { 0, 0, 0, 0 }, AStridesOffset = 0,
                BStrides = new int[] { 0, 0, 0, 0 }, BStridesOffset = 0,
                OutputMultiplier = 1 << 30, OutputShift = 0, ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

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
            AddKernel.Eval(new AddOperator
            {
                A = KernelTestSupport.Embed(a, 2, 1), AOffset = 2, AZeroPoint = aZeroPoint, B = KernelTestSupport.Embed(b, 5, 0),
                BOffset = 5, BZeroPoint = bZeroPoint,
                Output = outputBuffer, OutputOffset = 3, OutputZeroPoint = outputZeroPoint,
                OutputShape = KernelTestSupport.EmbedInts(outputShape, 1), OutputShapeOffset = 1,
                AStrides = KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(aShape), 2), AStridesOffset = 2,
                BStrides = KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(bShape), 3), BStridesOffset = 3,
                LeftShift = LeftShift, AMultiplier = aMultiplier, AShift = aShift, BMultiplier = bMultiplier, BShift = bShift,
                OutputMultiplier = outputMultiplier, OutputShift = outputShift,
                ActivationMin = activationMin, ActivationMax = activationMax, Subtract = subtract, Mode = Requantization.Q31,
            });

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
            MulKernel.Eval(new MulOperator
            {
                A = KernelTestSupport.Embed(a, 1, 2), AOffset = 1, AZeroPoint = aZeroPoint, B = KernelTestSupport.Embed(b, 4, 1),
                BOffset = 4, BZeroPoint = bZeroPoint,
                Output = outputBuffer, OutputOffset = 2, OutputZeroPoint = outputZeroPoint,
                OutputShape = KernelTestSupport.EmbedInts(outputShape, 2), OutputShapeOffset = 2,
                AStrides = KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(aShape), 1), AStridesOffset = 1,
                BStrides = KernelTestSupport.EmbedInts(KernelTestSupport.BroadcastStrides(bShape), 3), BStridesOffset = 3,
                OutputMultiplier = outputMultiplier, OutputShift = outputShift, ActivationMin = activationMin,
                ActivationMax = activationMax, Mode = Requantization.Q31,
            });

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

using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// SoftmaxKernel against the integer definition in docs/model-format.md, and against the
    /// properties a softmax must have (equal inputs share the mass, a dominant input takes it all,
    /// a row sums to one).
    /// </summary>
    [TestClass]
    public class SoftmaxKernelTests
    {
        // Output scale 1/256 with zero point -128, TFLite's int8 softmax output: the multiplier is
        // 2^-16 / 2^-8 = 2^-8 = 0.5 · 2^-7.
        private const int OutputZeroPoint = -128;
        private const int OutputMultiplier = 1 << 30;
        private const int OutputShift = -7;

        [TestMethod]
        public void Eval_UniformRow_GivesEqualQuarters()
        {
            // Four equal inputs: S = 4·2^20, R = 2^25, p = 2^14 (1/4 in Q16), 2^14 / 2^8 = 64,
            // so every output is -128 + 64 = -64.
            sbyte[] output = new sbyte[4];
            SoftmaxKernel.Eval(new SoftmaxOperator
            {
                Input = new sbyte[] { 17, 17, 17, 17 }, InputOffset = 0, Rows = 1, Depth = 4, ExpTable = BuildExpTable(15, 16), ExpTableOffset = 0,
                Output = output, OutputOffset = 0, OutputZeroPoint = OutputZeroPoint, OutputMultiplier = OutputMultiplier,
                OutputShift = OutputShift, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { -64, -64, -64, -64 }, output);
        }

        [TestMethod]
        public void Eval_DominantElement_GetsTopValue()
        {
            // The other entries read expTable[255] = 1 against 2^20: the probability rounds to
            // 1.0, which saturates at 127, and the others to 0.
            int[] table = BuildExpTable(7, 8);
            Assert.AreEqual(1, table[255]);
            sbyte[] output = new sbyte[4];
            SoftmaxKernel.Eval(new SoftmaxOperator
            {
                Input = new sbyte[] { -128, 127, -128, -128 }, InputOffset = 0, Rows = 1, Depth = 4, ExpTable = table, ExpTableOffset = 0,
                Output = output, OutputOffset = 0, OutputZeroPoint = OutputZeroPoint, OutputMultiplier = OutputMultiplier,
                OutputShift = OutputShift, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { -128, 127, -128, -128 }, output);
        }

        [TestMethod]
        public void Eval_TwoToOneRow_GivesTwoThirdsAndOneThird()
        {
            // Table entries 2^20 and 2^19: S = 3·2^19, R = floor(2^28 / 3) = 89478485,
            // p0 = (2^20·R + 2^30) >> 31 = 43691 (2/3 in Q16), p1 = 21845 (1/3);
            // 43691 / 256 = 170.7 -> 171 and 21845 / 256 = 85.3 -> 85, minus 128.
            int[] table = new int[256];
            table[0] = 1 << 20;
            for (int distance = 1; distance < 256; distance++)
            {
                table[distance] = 1 << 19;
            }

            sbyte[] output = new sbyte[2];
            SoftmaxKernel.Eval(new SoftmaxOperator
            {
                Input = new sbyte[] { 0, -1 }, InputOffset = 0, Rows = 1, Depth = 2, ExpTable = table, ExpTableOffset = 0, Output = output,
                OutputOffset = 0, OutputZeroPoint = OutputZeroPoint, OutputMultiplier = OutputMultiplier, OutputShift = OutputShift,
                Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 43, -43 }, output);
        }

        [TestMethod]
        public void Eval_ProbabilityNearRoundingBoundary_RoundsOnce()
        {
            // Entries 2^20 and 677632: S = 1726208, R = floor(2^47 / S) = 81529855,
            // p1 = (677632·R + 2^30) >> 31 = 25727; MBQM(25727, 2^-8) = 100.496 rounds once to 100,
            // output -28 (rounding twice, as TensorFlow Lite's default build does, would give
            // 12863.5 -> 12864 -> 100.5 -> 101). p0 = 39809 -> 155.504 -> 156, output 28.
            int[] table = new int[256];
            table[0] = 1 << 20;
            for (int distance = 1; distance < 256; distance++)
            {
                table[distance] = 677632;
            }

            sbyte[] output = new sbyte[2];
            SoftmaxKernel.Eval(new SoftmaxOperator
            {
                Input = new sbyte[] { 3, 2 }, InputOffset = 0, Rows = 1, Depth = 2, ExpTable = table, ExpTableOffset = 0, Output = output,
                OutputOffset = 0, OutputZeroPoint = OutputZeroPoint, OutputMultiplier = OutputMultiplier, OutputShift = OutputShift,
                Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 28, -28 }, output);
        }

        [TestMethod]
        public void Eval_OutputScaleOfOneQ16Step_ShowsTheProbabilitiesExactly()
        {
            // Multiplier 1 (0.5 · 2^1): each output is zo + p_j itself, so the rounding of the Q16
            // probabilities is visible for every p_j below 256 (the dominant ones saturate).
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 8, 16, -128, 127, 7, 8, -128, 1 << 30, 1, false);
            }
        }

        [TestMethod]
        public void Eval_Rows_SumToOne()
        {
            // Inputs close together, so no probability reaches the clamp at 255/256: the outputs'
            // distances from the zero point add up to 256 (probability 1) within the rounding of
            // each element (half a step each) and of the Q16 probabilities.
            TestRandom random = new TestRandom(5);
            int rows = 6;
            int depth = 10;
            sbyte[] input = KernelTestSupport.RandomBytes(random, rows * depth, -20, 20);
            sbyte[] output = new sbyte[rows * depth];
            SoftmaxKernel.Eval(new SoftmaxOperator
            {
                Input = input, InputOffset = 0, Rows = rows, Depth = depth, ExpTable = BuildExpTable(15, 16), ExpTableOffset = 0,
                Output = output, OutputOffset = 0, OutputZeroPoint = OutputZeroPoint, OutputMultiplier = OutputMultiplier,
                OutputShift = OutputShift, Mode = Requantization.Q31,
            });

            for (int row = 0; row < rows; row++)
            {
                int total = 0;
                for (int column = 0; column < depth; column++)
                {
                    total += output[row * depth + column] - OutputZeroPoint;
                }

                Assert.IsTrue(total >= 256 - depth / 2 - 1 && total <= 256 + depth / 2 + 1);
            }
        }

        [TestMethod]
        public void Eval_Random_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 3, 10, -128, 127, 15, 16, OutputZeroPoint, OutputMultiplier, OutputShift, false);
                Check(seed, 5, 1, -128, 127, 15, 16, OutputZeroPoint, OutputMultiplier, OutputShift, false);
                Check(seed, 2, 33, -30, 30, 31, 32, OutputZeroPoint, OutputMultiplier, OutputShift, false);
                // Output scale 1/128 with zero point 0: multiplier 2^-16 · 128 = 0.5 · 2^-8.
                Check(seed, 4, 7, -60, 60, 3, 4, 0, 1 << 30, -8, false);
            }
        }

        [TestMethod]
        public void Eval_InPlace_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 4, 9, -40, 40, 15, 16, OutputZeroPoint, OutputMultiplier, OutputShift, true);
            }
        }

        private static void Check(int seed, int rows, int depth, int inputMin, int inputMax, int decayNumerator, int decayDenominator,
            int outputZeroPoint, int outputMultiplier, int outputShift, bool inPlace)
        {
            TestRandom random = new TestRandom(seed * 8191 + depth);
            sbyte[] input = KernelTestSupport.RandomBytes(random, rows * depth, inputMin, inputMax);
            int[] table = BuildExpTable(decayNumerator, decayDenominator);

            // The definition, row by row.
            sbyte[] expected = new sbyte[rows * depth];
            for (int row = 0; row < rows; row++)
            {
                int maximum = -128;
                for (int column = 0; column < depth; column++)
                {
                    maximum = input[row * depth + column] > maximum ? input[row * depth + column] : maximum;
                }

                long sum = 0;
                for (int column = 0; column < depth; column++)
                {
                    sum += table[maximum - input[row * depth + column]];
                }

                long reciprocal = (1L << 47) / sum;
                for (int column = 0; column < depth; column++)
                {
                    long probability = (table[maximum - input[row * depth + column]] * reciprocal + (1L << 30)) >> 31;
                    Assert.IsTrue(probability >= 0 && probability <= 65536);
                    expected[row * depth + column] = KernelTestSupport.Requantize(probability, outputMultiplier, outputShift, outputZeroPoint, -128, 127);
                }
            }

            sbyte[] inputBuffer = KernelTestSupport.Embed(input, 3, 2);
            sbyte[] outputBuffer = inPlace ? inputBuffer : KernelTestSupport.NewBuffer(expected.Length + 4);
            int outputOffset = inPlace ? 3 : 1;
            SoftmaxKernel.Eval(new SoftmaxOperator
            {
                Input = inputBuffer, InputOffset = 3, Rows = rows, Depth = depth, ExpTable = KernelTestSupport.EmbedInts(table, 2),
                ExpTableOffset = 2,
                Output = outputBuffer, OutputOffset = outputOffset, OutputZeroPoint = outputZeroPoint, OutputMultiplier = outputMultiplier,
                OutputShift = outputShift, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, outputOffset);
        }

        /// <summary>
        /// A table shaped like the host's round(2^20 · exp(-d · inputScale · beta)), made with
        /// integers: round(2^20 · r^d) for the ratio r = numerator / denominator, at least 1.
        /// </summary>
        private static int[] BuildExpTable(int numerator, int denominator)
        {
            int[] table = new int[256];
            long value = 1L << 40;
            for (int distance = 0; distance < 256; distance++)
            {
                long entry = (value + (1L << 19)) >> 20;
                table[distance] = entry < 1 ? 1 : (int)entry;
                value = value * numerator / denominator;
            }

            return table;
        }
    }
}

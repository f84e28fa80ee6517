using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>FullyConnectedKernel against a plain dot-product reference.</summary>
    [TestClass]
    public class FullyConnectedKernelTests
    {
        [TestMethod]
        public void Eval_KnownNumbers_GivesHandComputedOutputs()
        {
            // One row x = {1, 2, 3, 4, 5} (depth 5: the unrolled loop and the remainder both run).
            // Output 0: w = {1, 1, 1, 1, 1}, bias 1 -> 16; multiplier 0.5 · 2^1 = 1; zo -10 -> 6.
            // Output 1: w = {-1, 0, 0, 0, 2}, bias 0 -> 9 -> -1.
            sbyte[] input = new sbyte[] { 1, 2, 3, 4, 5 };
            sbyte[] filter = new sbyte[] { 1, 1, 1, 1, 1, -1, 0, 0, 0, 2 };
            sbyte[] output = new sbyte[2];
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = input, InputOffset = 0, Rows = 1, Depth = 5, Filter = filter, FilterOffset = 0, OutputDepth = 2,
                Bias = new int[] { 1, 0 }, BiasOffset = 0, Multiplier = new int[] { 1 << 30, 1 << 30 }, MultiplierOffset = 0,
                Shift = new int[] { 1, 1 }, ShiftOffset = 0,
                Output = output, OutputOffset = 0, OutputZeroPoint = -10, ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 6, -1 }, output);
        }

        [TestMethod]
        public void Eval_DepthsAroundTheUnrolling_MatchReference()
        {
            for (int depth = 1; depth <= 9; depth++)
            {
                Check(depth, 2, depth, 3, 5, -5, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_ManyRows_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 7, 32, 10, -12, 4, -128, 127);
                Check(seed, 4, 100, 1, 0, 0, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_SingleOutput_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 1, 64, 1, 3, 3, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_ExtremeZeroPoints_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 3, 17, 6, -128, 127, -128, 127);
                Check(seed, 3, 17, 6, 127, -128, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_ActivationRange_ClampsToIt()
        {
            sbyte[] output = Check(4, 6, 24, 8, 0, -128, -128, -28);
            Assert.IsTrue(KernelTestSupport.Contains(output, -128));
            Assert.IsTrue(KernelTestSupport.Contains(output, -28));
            Assert.IsTrue(KernelTestSupport.CountBetween(output, -128, -28) > 0);
        }

        [TestMethod]
        public void Eval_WeightsOfMinus128_MatchReference()
        {
            // PyTorch's qint8 weights span -128..127: weights drawn from the whole range, every
            // fourth one -128, with the extreme zero points.
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 3, 37, 6, -128, 127, -128, 127, true);
                Check(seed, 2, 256, 10, 127, -128, -128, 127, true);
            }
        }

        private static sbyte[] Check(int seed, int rows, int depth, int outputDepth, int inputZeroPoint, int outputZeroPoint,
            int activationMin, int activationMax)
        {
            return Check(seed, rows, depth, outputDepth, inputZeroPoint, outputZeroPoint, activationMin, activationMax, false);
        }

        /// <summary>
        /// One random case with per-channel multipliers and every array at an offset; returns the output.
        /// The bias is folded as the host does: bias' = bias - zi·Σw. Weights are drawn from
        /// -127..127, or with minus128 from -128..127 with every fourth one -128.
        /// </summary>
        private static sbyte[] Check(int seed, int rows, int depth, int outputDepth, int inputZeroPoint, int outputZeroPoint,
            int activationMin, int activationMax, bool minus128)
        {
            TestRandom random = new TestRandom(seed * 7919 + depth);
            sbyte[] input = KernelTestSupport.RandomBytes(random, rows * depth, -128, 127);
            sbyte[] filter = minus128
                ? KernelTestSupport.WithEveryFourthMinus128(KernelTestSupport.RandomBytes(random, outputDepth * depth, -128, 127))
                : KernelTestSupport.RandomBytes(random, outputDepth * depth, -127, 127);
            int[] bias = new int[outputDepth];
            for (int outputChannel = 0; outputChannel < outputDepth; outputChannel++)
            {
                int filterSum = 0;
                for (int k = 0; k < depth; k++)
                {
                    filterSum += filter[outputChannel * depth + k];
                }

                bias[outputChannel] = random.Next(-3000, 3000) - inputZeroPoint * filterSum;
            }

            long[] accumulators = new long[rows * outputDepth];
            for (int row = 0; row < rows; row++)
            {
                for (int outputChannel = 0; outputChannel < outputDepth; outputChannel++)
                {
                    long accumulator = bias[outputChannel];
                    for (int k = 0; k < depth; k++)
                    {
                        accumulator += (long)input[row * depth + k] * filter[outputChannel * depth + k];
                    }

                    accumulators[row * outputDepth + outputChannel] = accumulator;
                }
            }

            int[] multiplier = new int[outputDepth];
            int[] shift = new int[outputDepth];
            for (int outputChannel = 0; outputChannel < outputDepth; outputChannel++)
            {
                long maxAbs = 0;
                for (int row = 0; row < rows; row++)
                {
                    long value = accumulators[row * outputDepth + outputChannel];
                    long magnitude = value < 0 ? -value : value;
                    maxAbs = magnitude > maxAbs ? magnitude : maxAbs;
                }

                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, maxAbs, out channelMultiplier, out channelShift);
                multiplier[outputChannel] = channelMultiplier;
                shift[outputChannel] = channelShift;
            }

            sbyte[] expected = new sbyte[rows * outputDepth];
            for (int index = 0; index < expected.Length; index++)
            {
                int outputChannel = index % outputDepth;
                expected[index] = KernelTestSupport.Requantize(accumulators[index], multiplier[outputChannel], shift[outputChannel],
                    outputZeroPoint, activationMin, activationMax);
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(2 + expected.Length + 3);
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = KernelTestSupport.Embed(input, 4, 1), InputOffset = 4, Rows = rows, Depth = depth,
                Filter = KernelTestSupport.Embed(filter, 1, 2), FilterOffset = 1, OutputDepth = outputDepth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Output = outputBuffer, OutputOffset = 2, OutputZeroPoint = outputZeroPoint, ActivationMin = activationMin,
                ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
            return expected;
        }
    }
}

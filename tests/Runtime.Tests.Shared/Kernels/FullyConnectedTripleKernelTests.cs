using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>FullyConnectedTripleKernel (three taps per 64-bit multiply) against the plain FullyConnectedKernel, bit for bit.</summary>
    [TestClass]
    public class FullyConnectedTripleKernelTests
    {
        [TestMethod]
        public void Eval_DepthsAroundTheTriples_MatchPlain()
        {
            // K 1 .. 13: one, two or three taps in the last word, words rounded up to 3 or 6.
            for (int depth = 1; depth <= 13; depth++)
            {
                Check(depth, 2, depth, 5, -128, 127, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_ChannelCountsAroundTheTiles_MatchPlain()
        {
            // O 1 .. 17: eight-channel tiles while more than four are left, then four; the
            // channels completing the last group are computed and not stored.
            for (int outputDepth = 1; outputDepth <= 17; outputDepth++)
            {
                Check(outputDepth, 3, 14, outputDepth, -128, 127, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_RandomCasesAcrossBlocks_MatchPlain()
        {
            // 63 taps are exactly one block of 21 words; 64 and 1200 cross into further blocks.
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 2, 63, 6, -128, 127, Extreme.None);
                Check(seed, 2, 64, 3, -128, 127, Extreme.None);
                Check(seed, 1, 1200, 10, -20, 90, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_ExtremesAtTheLaneBound_KeepEveryAccumulatorExact()
        {
            // Every input -128 and every weight -128 (the middle lane reaches 21·3·16384 = 1,032,192
            // a block, below 2^20) or 127 (the low part falls to about -2^40.4, which the block's
            // starting value 2^41 absorbs), or ±127 at random, over several blocks. The ratio is 1
            // (multiplier 2^30, shift 1) and the bias cancels the sum (Σ x·w = -128·Σw), so the
            // output is zo + a small offset per channel and one unit of accumulator error shows.
            CheckExactAccumulators(1, 130, Extreme.AllMinus128);
            CheckExactAccumulators(2, 130, Extreme.All127);
            CheckExactAccumulators(3, 130, Extreme.Plus127OrMinus127);
            CheckExactAccumulators(4, 63, Extreme.AllMinus128);
        }

        [TestMethod]
        public void Eval_OtherRequantizationModes_MatchPlain()
        {
            TestRandom random = new TestRandom(43);
            int depth = 40;
            int outputDepth = 7;
            sbyte[] input = KernelTestSupport.RandomBytes(random, 2 * depth, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputDepth * depth, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, outputDepth, -1000, 1000);
            int[] q15;
            int[] powerOfTwo;
            int[] float32;
            int[] shift;
            KernelTestSupport.OtherModeMultipliers(outputDepth, -8, out q15, out powerOfTwo, out float32, out shift);

            CompareWithPlain(input, 2, depth, filter, outputDepth, bias, q15, shift, Requantization.Q15, -128, 127, 4);
            CompareWithPlain(input, 2, depth, filter, outputDepth, bias, powerOfTwo, shift, Requantization.PowerOfTwo, -128, 127, 4);
            CompareWithPlain(input, 2, depth, filter, outputDepth, bias, float32, shift, Requantization.Float32, -128, 127, 4);
        }

        [TestMethod]
        public void FilterWord_RoundTripsThroughIsValidFilterWord()
        {
            Assert.IsTrue(FullyConnectedTripleKernel.IsValidFilterWord(FullyConnectedTripleKernel.FilterWord(-128, -128, -128)));
            Assert.IsTrue(FullyConnectedTripleKernel.IsValidFilterWord(FullyConnectedTripleKernel.FilterWord(127, -128, 127)));
            Assert.IsTrue(FullyConnectedTripleKernel.IsValidFilterWord(0));
            Assert.IsFalse(FullyConnectedTripleKernel.IsValidFilterWord(128));
            Assert.IsFalse(FullyConnectedTripleKernel.IsValidFilterWord(-129));
            Assert.IsFalse(FullyConnectedTripleKernel.IsValidFilterWord(128L << 21));
            Assert.IsFalse(FullyConnectedTripleKernel.IsValidFilterWord(128L << 42));
            Assert.IsFalse(FullyConnectedTripleKernel.IsValidFilterWord(1L << 20));
            Assert.AreEqual(3, FullyConnectedTripleKernel.RowWords(1));
            Assert.AreEqual(3, FullyConnectedTripleKernel.RowWords(9));
            Assert.AreEqual(6, FullyConnectedTripleKernel.RowWords(10));
            Assert.AreEqual(3 * 3 * 4, FullyConnectedTripleKernel.FilterWords(9, 9));
        }

        // Which extreme values replace the random ones.
        internal static class Extreme
        {
            public const int None = 0;
            public const int AllMinus128 = 1;
            public const int Plus127OrMinus127 = 2;
            public const int All127 = 3;
        }

        internal static void Check(int seed, int rows, int depth, int outputDepth, int activationMin, int activationMax, int extreme)
        {
            TestRandom random = new TestRandom(seed * 104729 + depth * 31 + outputDepth);
            sbyte[] input = KernelTestSupport.RandomBytes(random, rows * depth, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputDepth * depth, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, outputDepth, -100000, 100000);
            int[] multiplier = new int[outputDepth];
            int[] shift = new int[outputDepth];
            for (int channel = 0; channel < outputDepth; channel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, (long)depth * 128 * 128 + 100000, out channelMultiplier, out channelShift);
                multiplier[channel] = channelMultiplier;
                shift[channel] = channelShift;
            }

            CompareWithPlain(input, rows, depth, filter, outputDepth, bias, multiplier, shift, Requantization.Q31, activationMin, activationMax, -3);
        }

        // Every input -128, the filter by `extreme`, 9 output channels, ratio 1, bias cancelling the
        // sum: the output must be exactly zo + offset[o] (and the triple kernel the plain one's).
        internal static void CheckExactAccumulators(int seed, int depth, int extreme)
        {
            int outputDepth = 9;
            sbyte[] input;
            sbyte[] filter;
            int[] bias;
            int[] multiplier;
            int[] shift;
            KernelTestSupport.ExactAccumulatorData(seed, depth, outputDepth, extreme, out input, out filter, out bias, out multiplier, out shift);

            int outputZeroPoint = 3;
            CompareWithPlain(input, 1, depth, filter, outputDepth, bias, multiplier, shift, Requantization.Q31, -128, 127, outputZeroPoint);
            sbyte[] expected = new sbyte[outputDepth];
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = input, InputOffset = 0, Rows = 1, Depth = depth, Filter = filter, FilterOffset = 0, OutputDepth = outputDepth,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputZeroPoint = outputZeroPoint, ActivationMin = -128, ActivationMax = 127,
                Mode = Requantization.Q31,
            });
            for (int channel = 0; channel < outputDepth; channel++)
            {
                Assert.AreEqual(outputZeroPoint + 7 * channel - 30, (int)expected[channel]);
            }
        }

        private static void CompareWithPlain(sbyte[] input, int rows, int depth, sbyte[] filter, int outputDepth, int[] bias,
            int[] multiplier, int[] shift, int mode, int activationMin, int activationMax, int outputZeroPoint)
        {
            sbyte[] expected = new sbyte[rows * outputDepth];
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = input, InputOffset = 0, Rows = rows, Depth = depth, Filter = filter, FilterOffset = 0, OutputDepth = outputDepth,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputZeroPoint = outputZeroPoint, ActivationMin = activationMin,
                ActivationMax = activationMax, Mode = mode,
            });

            int words = FullyConnectedTripleKernel.FilterWords(outputDepth, depth);
            long[] packed = new long[3 + words];
            FullyConnectedTripleKernel.PackFilter(filter, 0, outputDepth, depth, packed, 3);
            for (int i = 0; i < words; i++)
            {
                Assert.IsTrue(FullyConnectedTripleKernel.IsValidFilterWord(packed[3 + i]));
            }

            // The scratch exactly as large as the kernel needs, holding what an earlier operator left.
            long[] scratch = new long[FullyConnectedTripleKernel.RowWords(depth)];
            for (int i = 0; i < scratch.Length; i++)
            {
                scratch[i] = -0x5A5A5A5A5A5A5A5L + i;
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(2 + expected.Length + 3);
            FullyConnectedTripleKernel.Eval(new FullyConnectedTripleOperator
            {
                Input = KernelTestSupport.Embed(input, 4, 1), InputOffset = 4, Rows = rows, Depth = depth,
                Filter = packed, FilterOffset = 3, OutputDepth = outputDepth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Scratch = scratch, Output = outputBuffer, OutputOffset = 2, OutputZeroPoint = outputZeroPoint,
                ActivationMin = activationMin, ActivationMax = activationMax, Mode = mode,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
        }
    }
}

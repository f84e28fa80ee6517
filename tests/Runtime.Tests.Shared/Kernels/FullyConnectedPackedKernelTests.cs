using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>FullyConnectedPackedKernel against the plain FullyConnectedKernel, bit for bit.</summary>
    [TestClass]
    public class FullyConnectedPackedKernelTests
    {
        [TestMethod]
        public void Eval_DepthsAroundThePacking_MatchPlain()
        {
            for (int depth = 1; depth <= 11; depth++)
            {
                Check(depth, 2, depth, 5, -128, 127, false);
            }
        }

        [TestMethod]
        public void Eval_ChannelCountsAroundTheGroups_MatchPlain()
        {
            for (int outputDepth = 1; outputDepth <= 9; outputDepth++)
            {
                Check(outputDepth, 3, 13, outputDepth, -128, 127, false);
            }
        }

        [TestMethod]
        public void Eval_RandomCasesAcrossBlocks_MatchPlain()
        {
            // 508 taps are exactly one block of 254 pairs; 509 and 1200 cross into further blocks.
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 2, 508, 6, -128, 127, false);
                Check(seed, 2, 509, 3, -128, 127, false);
                Check(seed, 1, 1200, 7, -20, 90, false);
            }
        }

        [TestMethod]
        public void Eval_OppositeSignExtremes_MatchPlain()
        {
            // All weights of a channel equal: the lane sums reach ±254·2^15 with one sign.
            int depth = 1021;
            sbyte[] input = new sbyte[depth];
            sbyte[] filter = new sbyte[2 * depth];
            for (int k = 0; k < depth; k++)
            {
                input[k] = -128;
                filter[k] = 127;
                filter[depth + k] = -127;
            }

            CompareWithPlain(input, 1, depth, filter, 2, new int[] { 0, 0 });
        }

        [TestMethod]
        public void Eval_Minus128WherePackable_MatchPlain()
        {
            // -128 in every word it fits: the first tap of a pair when the second is 127, the
            // second tap always. With inputs of the same signs each pair adds ±32,513 to the middle
            // lane (the most a packable pair can), across two blocks and a partial one.
            CheckMinus128(1, 2, 1021, 5);
            CheckMinus128(2, 1, 509, 4);
        }

        [TestMethod]
        public void PackFilter_MinusOneTwentyEightBeforeANegativeTap_IsRefused()
        {
            int[] packed = new int[FullyConnectedPackedKernel.PackedFilterWords(1, 2)];
            Assert.IsFalse(FullyConnectedPackedKernel.PackFilter(new sbyte[] { -128, -1 }, 0, 1, 2, packed, 0));
            Assert.IsTrue(FullyConnectedPackedKernel.PackFilter(new sbyte[] { -128, 0 }, 0, 1, 2, packed, 0));
            Assert.IsTrue(FullyConnectedPackedKernel.IsValidFilterWord(packed[0]));
        }

        [TestMethod]
        public void IsValidFilterWord_LaneOutOfRange_IsFalse()
        {
            Assert.IsTrue(FullyConnectedPackedKernel.IsValidFilterWord((127 << 24) + 127));
            Assert.IsTrue(FullyConnectedPackedKernel.IsValidFilterWord((-127 << 24) - 128));
            Assert.IsFalse(FullyConnectedPackedKernel.IsValidFilterWord(128));
            Assert.IsFalse(FullyConnectedPackedKernel.IsValidFilterWord(-129));
            Assert.IsFalse(FullyConnectedPackedKernel.IsValidFilterWord(1 << 23));
        }

        /// <summary>One random case (or the extreme one) run through both kernels.</summary>
        internal static void Check(int seed, int rows, int depth, int outputDepth, int activationMin, int activationMax, bool extreme)
        {
            TestRandom random = new TestRandom(seed * 104729 + depth * 31 + outputDepth);
            sbyte[] input = extreme ? Filled(rows * depth, -128) : KernelTestSupport.RandomBytes(random, rows * depth, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputDepth * depth, -127, 127);
            if (extreme)
            {
                for (int i = 0; i < filter.Length; i++)
                {
                    filter[i] = (sbyte)(filter[i] < 0 ? -127 : 127);
                }
            }

            int[] bias = KernelTestSupport.RandomInts(random, outputDepth, -100000, 100000);
            CompareWithPlain(input, rows, depth, filter, outputDepth, bias, activationMin, activationMax, random);
        }

        /// <summary>
        /// Filters whose pairs are (-128, 127) in even channels and (127, -128) in odd ones, the
        /// inputs (-128, 127) throughout, so that every pair's products add up to ±(2^14 + 127²):
        /// -128 wherever a filter word holds it, at the middle lane's largest packable sums.
        /// </summary>
        internal static void CheckMinus128(int seed, int rows, int depth, int outputDepth)
        {
            sbyte[] input = new sbyte[rows * depth];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (sbyte)(i % depth % 2 == 0 ? -128 : 127);
            }

            sbyte[] filter = new sbyte[outputDepth * depth];
            for (int channel = 0; channel < outputDepth; channel++)
            {
                for (int k = 0; k < depth; k++)
                {
                    bool first = k % 2 == 0;
                    filter[channel * depth + k] = (sbyte)(first == (channel % 2 == 0) ? -128 : 127);
                }
            }

            int[] bias = new int[outputDepth];
            CompareWithPlain(input, rows, depth, filter, outputDepth, bias, -128, 127, new TestRandom(seed));
        }

        /// <summary>Both kernels on the given data, Q31 multipliers picked to spread the outputs.</summary>
        internal static void CompareWithPlain(sbyte[] input, int rows, int depth, sbyte[] filter, int outputDepth, int[] bias)
        {
            CompareWithPlain(input, rows, depth, filter, outputDepth, bias, -128, 127, new TestRandom(5));
        }

        private static void CompareWithPlain(sbyte[] input, int rows, int depth, sbyte[] filter, int outputDepth, int[] bias,
            int activationMin, int activationMax, TestRandom random)
        {
            // A multiplier of about 2^-(bits of the largest accumulator - 7) keeps outputs spread
            // over the int8 range, so a wrong accumulator shows.
            int[] multiplier = new int[outputDepth];
            int[] shift = new int[outputDepth];
            long largest = (long)depth * 128 * 127 + 100000;
            for (int outputChannel = 0; outputChannel < outputDepth; outputChannel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, largest, out channelMultiplier, out channelShift);
                multiplier[outputChannel] = channelMultiplier;
                shift[outputChannel] = channelShift;
            }

            sbyte[] expected = new sbyte[rows * outputDepth];
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = input, InputOffset = 0, Rows = rows, Depth = depth, Filter = filter, FilterOffset = 0, OutputDepth = outputDepth,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputZeroPoint = -3, ActivationMin = activationMin, ActivationMax = activationMax,
                Mode = Requantization.Q31,
            });

            int words = FullyConnectedPackedKernel.PackedFilterWords(outputDepth, depth);
            int[] packed = new int[3 + words];
            Assert.IsTrue(FullyConnectedPackedKernel.PackFilter(filter, 0, outputDepth, depth, packed, 3));
            for (int i = 0; i < words; i++)
            {
                Assert.IsTrue(FullyConnectedPackedKernel.IsValidFilterWord(packed[3 + i]));
            }

            long[] scratch = new long[FullyConnectedPackedKernel.PairCount(depth)];
            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(2 + expected.Length + 3);
            FullyConnectedPackedKernel.Eval(new FullyConnectedPackedOperator
            {
                Input = KernelTestSupport.Embed(input, 4, 1), InputOffset = 4, Rows = rows, Depth = depth,
                Filter = packed, FilterOffset = 3, OutputDepth = outputDepth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Scratch = scratch, Output = outputBuffer, OutputOffset = 2, OutputZeroPoint = -3, ActivationMin = activationMin,
                ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
        }

        /// <summary>count copies of value.</summary>
        internal static sbyte[] Filled(int count, int value)
        {
            sbyte[] values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (sbyte)value;
            }

            return values;
        }
    }
}

using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// FullyConnectedLanesKernel (three products per 64-bit multiply, the store through a clamp
    /// table) against the plain FullyConnectedKernel in the q31 mode, bit for bit. The lane kernel
    /// gets what the converter writes: the packed words, the longest lane block every channel
    /// allows (or a given shorter one), a clamp table covering every reachable value.
    /// </summary>
    [TestClass]
    public class FullyConnectedLanesKernelTests
    {
        [TestMethod]
        public void Eval_DepthsAroundTheWords_MatchPlain()
        {
            // K 1 .. 13: one, two or three taps in the last word, zero to four full chains of words.
            for (int depth = 1; depth <= 13; depth++)
            {
                Check(depth, 2, depth, 5, 0, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_ChannelCountsAroundTheTiles_MatchPlain()
        {
            // O 1 .. 35: tiles of 16 while sixteen are left, then one each of 8, 4, 2 and 1 as the rest's bits say.
            for (int outputDepth = 1; outputDepth <= 35; outputDepth++)
            {
                Check(outputDepth, 2, 14, outputDepth, 0, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_BlocksShorterThanTheRow_MatchPlain()
        {
            // 200 taps (67 words): blocks of 21 (three chains), of 5 and 4 (a chain and a tail each
            // block), of 1 (tails only), and the whole row where the weights allow it.
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, 2, 200, 19, FullyConnectedLanesKernel.SafeBlockWords, Extreme.None);
                Check(seed, 1, 200, 10, 5, Extreme.None);
                Check(seed, 1, 200, 3, 4, Extreme.None);
                Check(seed, 1, 200, 2, 1, Extreme.None);
                Check(seed, 1, 64, 17, 0, Extreme.Small);
            }
        }

        [TestMethod]
        public void Eval_ExtremesAtTheLaneBound_KeepEveryAccumulatorExact()
        {
            // Every input -128 and every weight -128 (21 words: 63·16384 = 1,032,192 a block, just
            // below 2^20), 127, or ±127 at random, over several blocks of 21 words, and with every
            // weight -128 exactly at the edge of one block. The ratio is 1 and the bias cancels the sum,
            // so the output is zo + a small offset per channel and one unit of error shows.
            CheckExactAccumulators(1, 130, Extreme.AllMinus128);
            CheckExactAccumulators(2, 130, Extreme.All127);
            CheckExactAccumulators(3, 130, Extreme.Plus127OrMinus127);
            CheckExactAccumulators(4, 63, Extreme.AllMinus128);
        }

        [TestMethod]
        public void BlockBounds_LowPartsThatWouldCarryIntoTheField_RefuseTheBlock()
        {
            // 64 words (0, 127, 1): with the inputs (-128, -128, 127) each low part is -2^36 - 256,
            // 64 of them below -2^42, so they borrow one from the field (whose dot product,
            // 64·(-16256 + 127) = -1,032,256, lies inside it). The same words as (1, 127, 0) keep
            // their low parts above -2^42. BlockBounds refuses the first and takes the second.
            int words = 64;
            long[] carrying = new long[words];
            long[] keeping = new long[words];
            for (int word = 0; word < words; word++)
            {
                carrying[word] = FullyConnectedLanesKernel.FilterWord(0, 127, 1);
                keeping[word] = FullyConnectedLanesKernel.FilterWord(1, 127, 0);
            }

            long low = 0;
            long high = 0;
            Assert.IsFalse(FullyConnectedLanesKernel.BlockBounds(carrying, 0, 0, 1, words, 0, words, ref low, ref high));
            Assert.AreEqual(-(1L << 20), low);
            low = 0;
            high = 0;
            Assert.IsTrue(FullyConnectedLanesKernel.BlockBounds(keeping, 0, 0, 1, words, 0, words, ref low, ref high));
            Assert.AreEqual(-(1L << 20), low);
            Assert.AreEqual(127L * 128 * words, high);

            // Run as one block anyway, the refused words give one less than the true accumulator.
            sbyte[] input = new sbyte[3 * words];
            for (int k = 0; k < input.Length; k++)
            {
                input[k] = (sbyte)(k % 3 == 2 ? 127 : -128);
            }

            Assert.AreEqual(-1, LaneAccumulatorFrom(input, carrying, words, -1032256));
            Assert.AreEqual(0, LaneAccumulatorFrom(input, keeping, words, -(1 << 20)));
        }

        [TestMethod]
        public void BlockBounds_DotProductsBeyondTheField_RefuseTheBlock()
        {
            // 21 words of -128 reach 1,032,192, 22 words 1,081,344 ≥ 2^20.
            long[] filter = new long[22];
            for (int word = 0; word < filter.Length; word++)
            {
                filter[word] = FullyConnectedLanesKernel.FilterWord(-128, -128, -128);
            }

            long low = 0;
            long high = 0;
            Assert.IsTrue(FullyConnectedLanesKernel.BlockBounds(filter, 0, 0, 1, 22, 0, 21, ref low, ref high));
            Assert.AreEqual(63L * 128 * 128, high);
            Assert.IsFalse(FullyConnectedLanesKernel.BlockBounds(filter, 0, 0, 1, 22, 0, 22, ref low, ref high));
        }

        [TestMethod]
        public void FilterWord_RoundTripsThroughItsTaps_AndIsValidFilterWordRefusesOthers()
        {
            int[] values = new int[] { -128, -127, -1, 0, 1, 126, 127 };
            for (int a = 0; a < values.Length; a++)
            {
                for (int b = 0; b < values.Length; b++)
                {
                    for (int c = 0; c < values.Length; c++)
                    {
                        long word = FullyConnectedLanesKernel.FilterWord(values[a], values[b], values[c]);
                        Assert.IsTrue(FullyConnectedLanesKernel.IsValidFilterWord(word));
                        Assert.AreEqual(values[a], FullyConnectedLanesKernel.Tap(word, 0));
                        Assert.AreEqual(values[b], FullyConnectedLanesKernel.Tap(word, 1));
                        Assert.AreEqual(values[c], FullyConnectedLanesKernel.Tap(word, 2));
                    }
                }
            }

            Assert.IsFalse(FullyConnectedLanesKernel.IsValidFilterWord(1));
            Assert.IsFalse(FullyConnectedLanesKernel.IsValidFilterWord(128L << 1));
            Assert.IsFalse(FullyConnectedLanesKernel.IsValidFilterWord(-129L << 1));
            Assert.IsFalse(FullyConnectedLanesKernel.IsValidFilterWord(128L << 22));
            Assert.IsFalse(FullyConnectedLanesKernel.IsValidFilterWord(128L << 43));
            Assert.IsFalse(FullyConnectedLanesKernel.IsValidFilterWord(long.MinValue));
            Assert.AreEqual(22, FullyConnectedLanesKernel.Words(64));
            Assert.AreEqual(1, FullyConnectedLanesKernel.Words(1));
        }

        [TestMethod]
        public void FilterIndex_TilesOf16ThenTheBitsOfTheRest_CoverEveryWordOnce()
        {
            for (int outputDepth = 1; outputDepth <= 40; outputDepth++)
            {
                int words = 3;
                bool[] seen = new bool[outputDepth * words];
                for (int channel = 0; channel < outputDepth; channel++)
                {
                    for (int word = 0; word < words; word++)
                    {
                        int index = FullyConnectedLanesKernel.FilterIndex(channel, outputDepth, words, word);
                        Assert.IsFalse(seen[index]);
                        seen[index] = true;
                    }
                }
            }

            // 27 channels: 16, then 8 (from 16), 2 (from 24) and 1 (channel 26).
            Assert.AreEqual(16 * 5 + 2 * 8 + 3, FullyConnectedLanesKernel.FilterIndex(19, 27, 5, 2));
            Assert.AreEqual(24 * 5 + 4 * 2 + 1, FullyConnectedLanesKernel.FilterIndex(25, 27, 5, 4));
            Assert.AreEqual(26 * 5 + 3, FullyConnectedLanesKernel.FilterIndex(26, 27, 5, 3));
            Assert.AreEqual(8, FullyConnectedLanesKernel.TileWidth(15));
            Assert.AreEqual(16, FullyConnectedLanesKernel.TileWidth(17));
        }

        // Which values replace the random weights.
        internal static class Extreme
        {
            public const int None = 0;
            public const int AllMinus128 = 1;
            public const int Plus127OrMinus127 = 2;
            public const int All127 = 3;
            public const int Small = 4;
        }

        // Random input, weights (Small: in ±20, so a long row is one block) and bias; blockWords 0
        // takes the longest block the weights allow.
        private static void Check(int seed, int rows, int depth, int outputDepth, int blockWords, int extreme)
        {
            TestRandom random = new TestRandom(seed * 7919 + depth * 31 + outputDepth);
            sbyte[] input = KernelTestSupport.RandomBytes(random, rows * depth, -128, 127);
            sbyte[] filter = extreme == Extreme.Small
                ? KernelTestSupport.RandomBytes(random, outputDepth * depth, -20, 20)
                : KernelTestSupport.WithEveryFourthMinus128(KernelTestSupport.RandomBytes(random, outputDepth * depth, -128, 127));
            int[] bias = KernelTestSupport.RandomInts(random, outputDepth, -100000, 100000);
            int[] multiplier = new int[outputDepth];
            int[] shift = new int[outputDepth];
            for (int channel = 0; channel < outputDepth; channel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, (long)depth * 128 * 128 + 100000, out channelMultiplier, out channelShift);
                multiplier[channel] = channelMultiplier | 1;
                shift[channel] = channelShift;
            }

            CompareWithPlain(input, rows, depth, filter, outputDepth, bias, multiplier, shift, -128, 127, -3, blockWords, false);
        }

        // Every input -128, the filter by `extreme`, 9 output channels, ratio 1 (2^30 with shift 1),
        // bias cancelling the sum: the output must be exactly zo + offset[o]. At ratio 1 a table for
        // every input would take millions of entries: this one covers what this input reaches.
        private static void CheckExactAccumulators(int seed, int depth, int extreme)
        {
            int outputDepth = 9;
            sbyte[] input;
            sbyte[] filter;
            int[] bias;
            int[] multiplier;
            int[] shift;
            KernelTestSupport.ExactAccumulatorData(seed, depth, outputDepth, extreme, out input, out filter, out bias, out multiplier, out shift);

            int outputZeroPoint = 3;
            sbyte[] expected = CompareWithPlain(input, 1, depth, filter, outputDepth, bias, multiplier, shift, -128, 127, outputZeroPoint, 0, true);
            for (int channel = 0; channel < outputDepth; channel++)
            {
                Assert.AreEqual(outputZeroPoint + 7 * channel - 30, (int)expected[channel]);
            }
        }

        // One channel's accumulator (bias 0, all its words one block) minus `center`, read off the
        // lane kernel at ratio 1 (multiplier 2^30, shift 1: exact) through a table of 9 entries around it.
        private static int LaneAccumulatorFrom(sbyte[] input, long[] filter, int words, int center)
        {
            sbyte[] table = new sbyte[9];
            for (int index = 0; index < table.Length; index++)
            {
                table[index] = (sbyte)(index - 4);
            }

            sbyte[] output = new sbyte[1];
            FullyConnectedLanesKernel.Eval(new FullyConnectedLanesOperator
            {
                Input = input, InputOffset = 0, Rows = 1, Depth = 3 * words, Filter = filter, FilterOffset = 0, OutputDepth = 1,
                Bias = new int[] { 0 }, BiasOffset = 0, Multiplier = new int[] { 1 << 30 }, MultiplierOffset = 0,
                Shift = new int[] { 1 }, ShiftOffset = 0, Output = output, OutputOffset = 0, OutputZeroPoint = 0,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
                Scratch = new long[words], Table = table, TableZero = 4 - center, BlockWords = words,
            });
            return output[0];
        }

        // Runs both kernels and asserts equal outputs; returns the plain kernel's. The table covers
        // every int8 input (as the reader checks), or with tableForThisInput what this input reaches.
        private static sbyte[] CompareWithPlain(sbyte[] input, int rows, int depth, sbyte[] filter, int outputDepth, int[] bias,
            int[] multiplier, int[] shift, int activationMin, int activationMax, int outputZeroPoint, int blockWords, bool tableForThisInput)
        {
            sbyte[] expected = new sbyte[rows * outputDepth];
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = input, InputOffset = 0, Rows = rows, Depth = depth, Filter = filter, FilterOffset = 0, OutputDepth = outputDepth,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputZeroPoint = outputZeroPoint, ActivationMin = activationMin,
                ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            int words = FullyConnectedLanesKernel.Words(depth);
            long[] packed = new long[3 + outputDepth * words];
            FullyConnectedLanesKernel.PackFilter(filter, 0, outputDepth, depth, packed, 3);
            if (blockWords == 0)
            {
                blockWords = LongestBlock(packed, outputDepth, words);
            }

            // The values every channel can reach before the clamp, from the same bounds the reader takes.
            long lowest = activationMin;
            long highest = activationMax;
            for (int channel = 0; channel < outputDepth; channel++)
            {
                long low = bias[channel];
                long high = bias[channel];
                for (int blockStart = 0; blockStart < words; blockStart += blockWords)
                {
                    int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                    Assert.IsTrue(FullyConnectedLanesKernel.BlockBounds(packed, 3, channel, outputDepth, words, blockStart, blockEnd, ref low, ref high));
                }

                Assert.IsTrue(ClampTableStore.CanStore(low, high, multiplier[channel], shift[channel]));
                if (tableForThisInput)
                {
                    low = Accumulator(input, rows, depth, filter, bias, channel, true);
                    high = Accumulator(input, rows, depth, filter, bias, channel, false);
                }

                int totalShift = 31 - shift[channel];
                long half = 1L << (totalShift - 1);
                long lowValue = ((low * multiplier[channel] + half) >> totalShift) + outputZeroPoint;
                long highValue = ((high * multiplier[channel] + half) >> totalShift) + outputZeroPoint;
                lowest = lowValue < lowest ? lowValue : lowest;
                highest = highValue > highest ? highValue : highest;
            }

            // The table a few entries from the start of the constants, as in a model.
            int tableStart = 4;
            sbyte[] table = new sbyte[tableStart + (int)(highest - lowest + 1)];
            for (int index = tableStart; index < table.Length; index++)
            {
                table[index] = (sbyte)KernelTestSupport.Clamp((int)(index - tableStart + lowest), activationMin, activationMax);
            }

            // The scratch exactly as large as the kernel needs, holding what an earlier operator left.
            long[] scratch = new long[words];
            for (int i = 0; i < scratch.Length; i++)
            {
                scratch[i] = -0x5A5A5A5A5A5A5A5L + i;
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(2 + expected.Length + 3);
            FullyConnectedLanesKernel.Eval(new FullyConnectedLanesOperator
            {
                Input = KernelTestSupport.Embed(input, 4, 1), InputOffset = 4, Rows = rows, Depth = depth,
                Filter = packed, FilterOffset = 3, OutputDepth = outputDepth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Scratch = scratch, Output = outputBuffer, OutputOffset = 2, OutputZeroPoint = outputZeroPoint,
                ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
                Table = table, TableZero = tableStart - (int)lowest, BlockWords = blockWords,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
            return expected;
        }

        // The smallest (or largest) accumulator of a channel over the rows of this input.
        private static long Accumulator(sbyte[] input, int rows, int depth, sbyte[] filter, int[] bias, int channel, bool smallest)
        {
            long found = 0;
            for (int row = 0; row < rows; row++)
            {
                long accumulator = bias[channel];
                for (int k = 0; k < depth; k++)
                {
                    accumulator += input[row * depth + k] * filter[channel * depth + k];
                }

                found = row == 0 || (smallest ? accumulator < found : accumulator > found) ? accumulator : found;
            }

            return found;
        }

        // The longest block length every channel's every block allows.
        private static int LongestBlock(long[] packed, int outputDepth, int words)
        {
            for (int blockWords = words; blockWords > 1; blockWords--)
            {
                bool fits = true;
                for (int channel = 0; fits && channel < outputDepth; channel++)
                {
                    long low = 0;
                    long high = 0;
                    for (int blockStart = 0; fits && blockStart < words; blockStart += blockWords)
                    {
                        int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                        fits = FullyConnectedLanesKernel.BlockBounds(packed, 3, channel, outputDepth, words, blockStart, blockEnd, ref low, ref high);
                    }
                }

                if (fits)
                {
                    return blockWords;
                }
            }

            return 1;
        }
    }
}

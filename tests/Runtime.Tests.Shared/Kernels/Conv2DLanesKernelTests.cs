using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Conv2DLanesKernel (three products per 64-bit multiply, the store through a clamp table)
    /// against the plain Conv2DKernel, bit for bit, in the q31 mode it runs in: the three packings,
    /// windows of one block with the bias in the lane and of several blocks (long rows split),
    /// tiles that cross row ends and the plane's end, groups of fewer than eight channels, the
    /// extremes of the lane bound, and accumulators placed on both sides of a rounding step so
    /// that an error of one unit shows.
    /// </summary>
    [TestClass]
    public class Conv2DLanesKernelTests
    {
        [TestMethod]
        public void Eval_ChannelPackingAroundTheTriples_MatchesPlain()
        {
            // C 2 .. 10 (one, two or three lanes in the last word), O around 8, bias in the lane or not.
            for (int channels = 2; channels <= 10; channels++)
            {
                Check(channels, 1, channels, 5, 6, 11 - channels, 3, 3, 1, 1, 1, 1, 1, 1, -5, Conv2DLanesKernel.PackChannels, channels % 2 == 0, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_TapPackingOfOneChannel_MatchesPlain()
        {
            // Taps: KW 1 .. 12 (R = 3 or 6 words), OW with every remainder modulo 8.
            for (int filterWidth = 1; filterWidth <= 12; filterWidth++)
            {
                Check(100 + filterWidth, 1, 1, 2, 13 + filterWidth, 8, 1, filterWidth, 1, 1, 0, filterWidth / 2, 0, (filterWidth - 1) / 2,
                    10 - filterWidth, Conv2DLanesKernel.PackTaps, filterWidth % 3 != 0, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_RowPackingOfOneChannel_MatchesPlain()
        {
            // Rows: KH 2 .. 10 (one to four word rows), strides 1 and 2 (rows a window never starts at are not packed).
            for (int filterHeight = 2; filterHeight <= 10; filterHeight++)
            {
                int stride = 1 + filterHeight % 2;
                Check(150 + filterHeight, 1, 1, 12, 9, 8, filterHeight, 1 + filterHeight % 4, stride, stride, filterHeight / 2, 1,
                    (filterHeight - 1) / 2, 1, 20 - filterHeight, Conv2DLanesKernel.PackRows, filterHeight < 8, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_GeometriesStridesAndPaddings_MatchPlain()
        {
            // seed, batches, C, H, W, O, KH, KW, strideH, strideW, pads (top, left, bottom, right), zi, packing, bias in the lane.
            Check(1, 2, 3, 7, 9, 8, 3, 3, 1, 1, 1, 1, 1, 1, 17, Conv2DLanesKernel.PackChannels, true, Extreme.None);
            Check(2, 1, 16, 8, 8, 32, 1, 1, 1, 1, 0, 0, 0, 0, -128, Conv2DLanesKernel.PackChannels, true, Extreme.None);
            Check(3, 1, 4, 9, 7, 5, 3, 3, 2, 2, 1, 1, 1, 1, 127, Conv2DLanesKernel.PackChannels, false, Extreme.None);
            Check(4, 2, 5, 6, 11, 3, 2, 4, 1, 3, 0, 2, 1, 0, 0, Conv2DLanesKernel.PackChannels, true, Extreme.None);
            Check(5, 1, 1, 10, 10, 8, 3, 3, 2, 2, 1, 1, 1, 1, -3, Conv2DLanesKernel.PackRows, true, Extreme.None);
            Check(6, 1, 1, 13, 6, 16, 10, 4, 2, 2, 4, 1, 5, 2, 40, Conv2DLanesKernel.PackRows, false, Extreme.None);
            Check(7, 1, 1, 3, 3, 2, 3, 3, 1, 1, 2, 0, 0, 2, -100, Conv2DLanesKernel.PackTaps, true, Extreme.None);
            Check(8, 1, 8, 1, 64, 16, 1, 5, 1, 2, 0, 2, 0, 2, 3, Conv2DLanesKernel.PackChannels, true, Extreme.None);
            Check(9, 1, 1, 1, 64, 8, 1, 5, 1, 1, 0, 2, 0, 2, -9, Conv2DLanesKernel.PackTaps, true, Extreme.None);
            Check(10, 2, 1, 6, 9, 12, 3, 3, 1, 2, 1, 1, 1, 1, 17, Conv2DLanesKernel.PackTaps, false, Extreme.None);
        }

        [TestMethod]
        public void Eval_LongRowsInSeveralBlocks_MatchPlain()
        {
            // R = 24 (C = 64, 1x1), 30 (C = 16, KW 5), 33 (C = 32, KW 3): rows split into blocks of 21 words.
            Check(200, 1, 64, 3, 5, 9, 1, 1, 1, 1, 0, 0, 0, 0, 5, Conv2DLanesKernel.PackChannels, false, Extreme.None);
            Check(201, 1, 16, 1, 20, 8, 1, 5, 1, 1, 0, 2, 0, 2, -7, Conv2DLanesKernel.PackChannels, false, Extreme.None);
            Check(202, 1, 32, 1, 11, 16, 1, 3, 1, 2, 0, 1, 0, 1, 0, Conv2DLanesKernel.PackChannels, false, Extreme.None);
            Check(203, 1, 7, 4, 9, 9, 3, 7, 1, 1, 1, 3, 1, 3, -20, Conv2DLanesKernel.PackChannels, false, Extreme.None);
        }

        [TestMethod]
        public void Eval_OutputChannelsAroundTheGroupOfEight_MatchPlain()
        {
            // O = 1 .. 17: the last group completed with zero-weight channels that are not stored.
            for (int outputChannels = 1; outputChannels <= 17; outputChannels++)
            {
                Check(300 + outputChannels, 1, 4, 3, 8, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1, 11 - outputChannels,
                    Conv2DLanesKernel.PackChannels, outputChannels % 3 != 0, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_PlanesAroundTheEightPositionTile_MatchPlain()
        {
            // OH·OW from 2 to 24 with widths that make tiles cross row ends and leave a partial last tile.
            for (int width = 1; width <= 12; width++)
            {
                Check(400 + width, 1, 2, 2, width, 8, 1, 1, 1, 1, 0, 0, 0, 0, width - 6, Conv2DLanesKernel.PackChannels, true, Extreme.None);
                Check(420 + width, 1, 1, 3, width, 8, 3, 3, 1, 1, 1, 1, 1, 1, 6 - width, Conv2DLanesKernel.PackRows, false, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_ExtremesAtTheLaneBound_MatchPlain()
        {
            // Inputs and zero point -128 over the longest blocks (21 words): with every weight -128
            // the dot field reaches 21 · 3 · 16384 = 1,032,192 (< 2^20); with every weight 127 the
            // low part falls to about -21 · 2 · 16256 · 2^22, which the starting 2^42 must absorb.
            Check(500, 1, 7, 3, 8, 9, 3, 7, 1, 1, 1, 3, 1, 3, -128, Conv2DLanesKernel.PackChannels, false, Extreme.AllMinus128);
            Check(501, 1, 7, 3, 8, 9, 3, 7, 1, 1, 1, 3, 1, 3, -128, Conv2DLanesKernel.PackChannels, false, Extreme.All127);
            Check(502, 1, 1, 3, 70, 8, 1, 63, 1, 1, 0, 31, 0, 31, -128, Conv2DLanesKernel.PackTaps, false, Extreme.All127);
            Check(503, 1, 1, 3, 70, 8, 1, 63, 1, 1, 0, 31, 0, 31, -128, Conv2DLanesKernel.PackTaps, false, Extreme.AllMinus128);
            Check(504, 1, 64, 2, 9, 8, 1, 1, 1, 1, 0, 0, 0, 0, -128, Conv2DLanesKernel.PackChannels, false, Extreme.Plus127OrMinus127);
            Check(505, 1, 1, 22, 9, 8, 21, 3, 1, 1, 1, 1, 1, 1, -128, Conv2DLanesKernel.PackRows, false, Extreme.AllMinus128);
        }

        [TestMethod]
        public void Eval_AccumulatorsOnEitherSideOfARoundingStep_KeepEveryUnit()
        {
            // Every input and the padding -128, so each channel's accumulator is the known
            // bias - 128·Σw; the bias puts it on the first accumulator of an output step (even
            // channels) or the last before one (odd channels), so an error of one unit in either
            // direction changes the output. Longest blocks, bias in the lane and not, several blocks,
            // windows of one and two chains.
            CheckSteps(600, 7, 3, 8, 3, 7, Conv2DLanesKernel.PackChannels, false, Extreme.AllMinus128);
            CheckSteps(601, 7, 3, 8, 3, 7, Conv2DLanesKernel.PackChannels, false, Extreme.All127);
            CheckSteps(602, 1, 3, 70, 1, 63, Conv2DLanesKernel.PackTaps, false, Extreme.Plus127OrMinus127);
            CheckSteps(603, 2, 4, 9, 3, 3, Conv2DLanesKernel.PackChannels, true, Extreme.Plus127OrMinus127);
            CheckSteps(604, 1, 9, 9, 9, 5, Conv2DLanesKernel.PackRows, false, Extreme.All127);
            CheckSteps(605, 40, 2, 9, 1, 1, Conv2DLanesKernel.PackChannels, false, Extreme.AllMinus128);
            // Windows of one chain (3 words) and two (6 words), the bias in the lane: the group of one
            // channel left of nine and the tiles past the plane's end go through the partial-tile store.
            CheckSteps(606, 3, 3, 9, 1, 3, Conv2DLanesKernel.PackChannels, true, Extreme.Plus127OrMinus127);
            CheckSteps(607, 3, 3, 9, 2, 3, Conv2DLanesKernel.PackChannels, true, Extreme.Plus127OrMinus127);
        }

        [TestMethod]
        public void Eval_NarrowActivationRange_ClampsLikePlain()
        {
            // A ReLU-like range: the table's two clamped ends.
            TestRandom random = new TestRandom(77);
            sbyte[] input = KernelTestSupport.RandomBytes(random, 2 * 6 * 7 * 6, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, 5 * 6 * 9, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, 5, -100000, 100000);
            CompareWithPlain(random, input, 2, 6, 7, 6, 4, filter, 5, 3, 3, 1, 1, 1, 1, 1, 1, bias, -20, 90, 6, Conv2DLanesKernel.PackChannels, false);
        }

        [TestMethod]
        public void SizesAndPackings_CountTheWords()
        {
            // Channels: 8 → 3 words a position, KW 5 → 15 words a row; 64 → 22 words, rounded to 24.
            Assert.AreEqual(15, Conv2DLanesKernel.RowWords(Conv2DLanesKernel.PackChannels, 8, 5));
            Assert.AreEqual(24, Conv2DLanesKernel.RowWords(Conv2DLanesKernel.PackChannels, 64, 1));
            // Taps: KW 5 → 2 words, rounded to 3. Rows: KH 10 → 4 word rows of KW words, rounded to 3.
            Assert.AreEqual(3, Conv2DLanesKernel.RowWords(Conv2DLanesKernel.PackTaps, 1, 5));
            Assert.AreEqual(4, Conv2DLanesKernel.WindowRows(Conv2DLanesKernel.PackRows, 10));
            Assert.AreEqual(6, Conv2DLanesKernel.RowWords(Conv2DLanesKernel.PackRows, 1, 4));
            Assert.IsTrue(Conv2DLanesKernel.IsSingleBlock(Conv2DLanesKernel.PackRows, 1, 3, 3));
            Assert.IsFalse(Conv2DLanesKernel.IsSingleBlock(Conv2DLanesKernel.PackRows, 1, 10, 4));
            Assert.AreEqual(Conv2DLanesKernel.PackRows, Conv2DLanesKernel.DefaultPacking(1, 3));
            Assert.AreEqual(Conv2DLanesKernel.PackTaps, Conv2DLanesKernel.DefaultPacking(1, 1));
            Assert.IsFalse(Conv2DLanesKernel.IsPacking(Conv2DLanesKernel.PackRows, 2));

            // 16 output channels, C 8, 1x5: 2 groups · 15 words · 8; input (128 + 4) · 3 words + 3; 64 for a partial tile.
            Assert.AreEqual(240L, Conv2DLanesKernel.FilterWords(16, Conv2DLanesKernel.PackChannels, 8, 1, 5));
            Assert.AreEqual(240L + 132 * 3 + 3 + 64, Conv2DLanesKernel.ScratchWords(16, Conv2DLanesKernel.PackChannels, 8, 1, 128, 1, 5, 0, 2, 0, 2));
        }

        [TestMethod]
        public void ClampTableStore_RefusesTiesAndLargeShifts()
        {
            // m = 2^30 and k = 37: accumulators that are multiples of 2^6 but not 2^7 are exact ties.
            Assert.IsFalse(ClampTableStore.CanStore(-100, 100, 1 << 30, -6));
            Assert.IsTrue(ClampTableStore.CanStore(-63, 63, 1 << 30, -6));
            Assert.IsTrue(ClampTableStore.CanStore(-(1 << 30), 1 << 30, (1 << 30) + 1, -6));
            Assert.IsFalse(ClampTableStore.CanStore(-10, 10, (1 << 30) + 1, -31));
            Assert.IsFalse(ClampTableStore.CanStore(-(1L << 30), 1L << 30, int.MaxValue, -20));
            // The index range: acc ±1000 at just over 2^-7 rounds to -8 .. 8; with zo 3 and the table's
            // zero 5 the indices are 0 .. 16: a table of 17 holds them, of 16 not, and zero 4 starts at -1.
            Assert.IsTrue(ClampTableStore.Fits(-1000, 1000, (1 << 30) + 1, -6, 3 + 5, 17));
            Assert.IsFalse(ClampTableStore.Fits(-1000, 1000, (1 << 30) + 1, -6, 3 + 5, 16));
            Assert.IsFalse(ClampTableStore.Fits(-1000, 1000, (1 << 30) + 1, -6, 3 + 4, 17));
        }

        [TestMethod]
        public void ClampTableStore_AtFixedShift_TheOverflowBoundAndTheShiftRange()
        {
            // k = 31 - shift from FixedShift - 30 to FixedShift (44); then m·2^(44-k) below 2^62 / largest.
            int limit = Conv2DLanesKernel.LaneLimit;
            Assert.IsTrue(ClampTableStore.AtFixedShift(int.MaxValue, 31 - 44, limit));
            Assert.IsFalse(ClampTableStore.AtFixedShift(1 << 30, 31 - 45, limit));
            Assert.IsTrue(ClampTableStore.AtFixedShift(int.MaxValue, 31 - 33, limit));
            // m·2^12 = 2^42 - 2^12 < 2^62 / 2^20; one more and it is 2^42.
            Assert.IsTrue(ClampTableStore.AtFixedShift((1 << 30) - 1, 31 - 32, limit));
            Assert.IsFalse(ClampTableStore.AtFixedShift(1 << 30, 31 - 32, limit));
            // A smaller bound reaches lower k; d above 30 never; a negative multiplier never.
            Assert.IsTrue(ClampTableStore.AtFixedShift(int.MaxValue, 31 - 28, 1 << 14));
            Assert.IsFalse(ClampTableStore.AtFixedShift(int.MaxValue, 31 - 28, 1 << 16));
            Assert.IsFalse(ClampTableStore.AtFixedShift(1, 31 - 13, 1));
            Assert.IsFalse(ClampTableStore.AtFixedShift(-5, 31 - 40, limit));
            Assert.AreEqual(3L << 4, ClampTableStore.FixedMultiplier(3, 31 - 40));
        }

        // Which extreme values replace the random ones.
        internal static class Extreme
        {
            public const int None = 0;
            public const int AllMinus128 = 1;
            public const int Plus127OrMinus127 = 2;
            public const int All127 = 3;
        }

        // One random case (or an extreme one) through the plain and the lane kernel.
        private static void Check(int seed, int batches, int channels, int height, int width, int outputChannels,
            int filterHeight, int filterWidth, int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight,
            int inputZeroPoint, int packing, bool biasInLane, int extreme)
        {
            TestRandom random = new TestRandom(seed * 7919 + channels * 31 + outputChannels);
            sbyte[] input = KernelTestSupport.RandomBytes(random, batches * channels * height * width, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * channels * filterHeight * filterWidth, -127, 127);
            if (extreme != Extreme.None)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = -128;
                }

                ApplyExtreme(filter, extreme);
            }

            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, biasInLane ? -1000 : -100000, biasInLane ? 1000 : 100000);
            CompareWithPlain(random, input, batches, channels, height, width, inputZeroPoint, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, bias, -128, 127, 6, packing, biasInLane);
        }

        // Every input and zi -128, the filter by `extreme`; the bias of channel c puts its accumulator
        // A on the first value of an output step (c even) or the last value before it (c odd) of
        // the channel's own multiplier; the output must be the step's value, zo + j or zo + j - 1.
        private static void CheckSteps(int seed, int channels, int height, int width, int filterHeight, int filterWidth, int packing,
            bool biasInLane, int extreme)
        {
            TestRandom random = new TestRandom(seed);
            int outputChannels = 9;
            int taps = channels * filterHeight * filterWidth;
            sbyte[] input = new sbyte[channels * height * width];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = -128;
            }

            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * taps, -127, 127);
            ApplyExtreme(filter, extreme);
            int[] bias = new int[outputChannels];
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            int[] expectedValue = new int[outputChannels];
            int outputZeroPoint = 3;
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                long sum = 0;
                for (int tap = 0; tap < taps; tap++)
                {
                    sum += filter[outputChannel * taps + tap];
                }

                // About 2^-8 with an odd multiplier; the step j = 20 - 5c: A = ceil((j·2^k - 2^(k-1)) / m).
                multiplier[outputChannel] = ((1 << 30) + random.Next(0, 1 << 29)) | 1;
                shift[outputChannel] = -7;
                int totalShift = 31 - shift[outputChannel];
                long step = 20 - 5 * outputChannel;
                long target = (step << totalShift) - (1L << (totalShift - 1));
                long accumulator = target >= 0 ? (target + multiplier[outputChannel] - 1) / multiplier[outputChannel] : -((-target) / multiplier[outputChannel]);
                if (outputChannel % 2 == 1)
                {
                    accumulator--;
                    step--;
                }

                bias[outputChannel] = (int)(accumulator + 128 * sum);
                expectedValue[outputChannel] = outputZeroPoint + (int)step;
            }

            int padHeight = filterHeight - 1;
            int padWidth = filterWidth - 1;
            sbyte[] output = CompareWithPlain(random, input, 1, channels, height, width, -128, filter, outputChannels, filterHeight, filterWidth, 1, 1,
                padHeight / 2, padWidth / 2, padHeight - padHeight / 2, padWidth - padWidth / 2, bias, multiplier, shift, -128, 127, outputZeroPoint,
                packing, biasInLane);
            int plane = height * width;
            for (int i = 0; i < output.Length; i++)
            {
                Assert.AreEqual(expectedValue[i / plane], (int)output[i]);
            }
        }

        [TestMethod]
        public void Eval_TotalShiftsInAndBeyondTheFixedShift_MatchPlain()
        {
            // 1x1 windows of three words (9 channels: RunOneChain) and six (16: RunTwoChains), two
            // groups of eight output channels: in the first every total shift k = 31 - shift lies in
            // ClampTableStore.FixedShift's range for the lane limit (33 .. 44: the unrolled paths store
            // at the fixed shift), in the second one channel has k = 32 and one k = 45 (the whole group
            // takes the general path). Weights in [-3, 3] and small biases keep the tables short.
            int[] totalShifts = { 33, 34, 36, 38, 40, 42, 43, 44, 32, 36, 40, 45, 39, 41, 37, 35 };
            for (int channels = 9; channels <= 16; channels += 7)
            {
                TestRandom random = new TestRandom(700 + channels);
                int outputChannels = totalShifts.Length;
                sbyte[] input = KernelTestSupport.RandomBytes(random, channels * 5 * 6, -128, 127);
                sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * channels, -3, 3);
                int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -100, 100);
                int[] multiplier = new int[outputChannels];
                int[] shift = new int[outputChannels];
                for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
                {
                    multiplier[outputChannel] = random.Next(FixedPoint.MinMultiplier, int.MaxValue) | 1;
                    shift[outputChannel] = 31 - totalShifts[outputChannel];
                }

                CompareWithPlain(random, input, 1, channels, 5, 6, 3, filter, outputChannels, 1, 1, 1, 1, 0, 0, 0, 0, bias, multiplier, shift,
                    -128, 127, -7, Conv2DLanesKernel.PackChannels, true);
            }
        }

        private static void ApplyExtreme(sbyte[] filter, int extreme)
        {
            for (int i = 0; i < filter.Length; i++)
            {
                filter[i] = (sbyte)(extreme == Extreme.AllMinus128 ? -128 : extreme == Extreme.All127 || filter[i] >= 0 ? 127 : -127);
            }
        }

        private static sbyte[] CompareWithPlain(TestRandom random, sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int[] bias, int activationMin, int activationMax, int outputZeroPoint,
            int packing, bool biasInLane)
        {
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, (long)channels * filterHeight * filterWidth * 128 * 128 + 100000, out channelMultiplier, out channelShift);
                multiplier[outputChannel] = channelMultiplier | 1;
                shift[outputChannel] = channelShift;
            }

            return CompareWithPlain(random, input, batches, channels, height, width, inputZeroPoint, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, bias, multiplier, shift, activationMin, activationMax, outputZeroPoint,
                packing, biasInLane);
        }

        // Runs both kernels and asserts equal outputs; returns the plain kernel's. The lane kernel
        // gets what the converter would write: the packed lanes, a clamp table covering every
        // channel's reachable values, BiasInLane only where the reader allows it.
        private static sbyte[] CompareWithPlain(TestRandom random, sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int[] bias, int[] multiplier, int[] shift, int activationMin, int activationMax,
            int outputZeroPoint, int packing, bool biasInLane)
        {
            int outputHeight = (height + padTop + padBottom - filterHeight) / strideHeight + 1;
            int outputWidth = (width + padLeft + padRight - filterWidth) / strideWidth + 1;
            int outputCount = batches * outputChannels * outputHeight * outputWidth;
            sbyte[] expected = new sbyte[outputCount];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = batches, InputChannels = channels, InputHeight = height, InputWidth = width,
                InputZeroPoint = inputZeroPoint,
                Filter = filter, FilterOffset = 0, OutputChannels = outputChannels, FilterHeight = filterHeight, FilterWidth = filterWidth,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputHeight = outputHeight, OutputWidth = outputWidth,
                OutputZeroPoint = outputZeroPoint,
                StrideHeight = strideHeight, StrideWidth = strideWidth, DilationHeight = 1, DilationWidth = 1, PadTop = padTop,
                PadLeft = padLeft, Groups = 1, ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            int lanes = 3 * (int)Conv2DLanesKernel.FilterWords(outputChannels, packing, channels, filterHeight, filterWidth);
            sbyte[] packed = new sbyte[2 + lanes];
            Conv2DLanesKernel.PackFilter(filter, 0, outputChannels, packing, channels, filterHeight, filterWidth, packed, 2);
            int windowWords = Conv2DLanesKernel.WindowRows(packing, filterHeight) * Conv2DLanesKernel.RowWords(packing, channels, filterWidth);

            // The values every channel can reach before the clamp, and whether the bias fits the lane.
            long lowest = activationMin;
            long highest = activationMax;
            bool fold = biasInLane && Conv2DLanesKernel.IsSingleBlock(packing, channels, filterHeight, filterWidth);
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                long low;
                long high;
                Conv2DLanesKernel.AccumulatorBounds(packed, 2, outputChannel, windowWords, bias[outputChannel], out low, out high);
                Assert.IsTrue(ClampTableStore.CanStore(low, high, multiplier[outputChannel], shift[outputChannel]));
                int totalShift = 31 - shift[outputChannel];
                long half = 1L << (totalShift - 1);
                long lowValue = ((low * multiplier[outputChannel] + half) >> totalShift) + outputZeroPoint;
                long highValue = ((high * multiplier[outputChannel] + half) >> totalShift) + outputZeroPoint;
                lowest = lowValue < lowest ? lowValue : lowest;
                highest = highValue > highest ? highValue : highest;
                fold = fold && low >= -Conv2DLanesKernel.LaneLimit && high < Conv2DLanesKernel.LaneLimit;
            }

            // The table a few entries from the start of the constants, as in a model.
            int tableStart = 4;
            sbyte[] table = new sbyte[tableStart + (int)(highest - lowest + 1)];
            for (int index = tableStart; index < table.Length; index++)
            {
                table[index] = (sbyte)KernelTestSupport.Clamp((int)(index - tableStart + lowest), activationMin, activationMax);
            }

            // The scratch exactly as large as the kernel says (a read past it throws), holding what
            // an earlier operator left there.
            long[] scratch = new long[Conv2DLanesKernel.ScratchWords(outputChannels, packing, channels, height, width, filterHeight, filterWidth,
                padTop, padLeft, padBottom, padRight)];
            for (int i = 0; i < scratch.Length; i++)
            {
                scratch[i] = -0x5A5A5A5A5A5A5A5L + i;
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(3 + outputCount + 2);
            Conv2DLanesKernel.Eval(new Conv2DLanesOperator
            {
                Input = KernelTestSupport.Embed(input, 5, 1), InputOffset = 5, Batches = batches, InputChannels = channels,
                InputHeight = height, InputWidth = width, InputZeroPoint = inputZeroPoint,
                Filter = packed, FilterOffset = 2, OutputChannels = outputChannels, FilterHeight = filterHeight, FilterWidth = filterWidth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Output = outputBuffer, OutputOffset = 3, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = outputZeroPoint,
                StrideHeight = strideHeight, StrideWidth = strideWidth, PadTop = padTop, PadLeft = padLeft, PadBottom = padBottom,
                PadRight = padRight, ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
                Packing = packing, Table = table, TableZero = tableStart - (int)lowest, BiasInLane = fold ? 1 : 0, Scratch = scratch,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
            return expected;
        }
    }
}

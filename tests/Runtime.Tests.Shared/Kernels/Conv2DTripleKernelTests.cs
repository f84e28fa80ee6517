using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Conv2DTripleKernel (three products per 64-bit multiply) against the plain Conv2DKernel, bit
    /// for bit: channel triples (C ≥ 2), tap triples (C = 1), tiles that cross row ends and the
    /// plane's end, groups completed with channels that are not stored, every requantization mode.
    /// </summary>
    [TestClass]
    public class Conv2DTripleKernelTests
    {
        [TestMethod]
        public void Eval_ChannelCountsAroundTheTriples_MatchPlain()
        {
            // C 1 .. 10 (tap triples, then one, two or three lanes in the last word), O around 8.
            for (int channels = 1; channels <= 10; channels++)
            {
                Check(channels, 1, channels, 5, 6, 11 - channels, 3, 3, 1, 1, 1, 1, 1, 1, -5, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_FilterWidthsOfOneInputChannel_MatchPlain()
        {
            // Tap triples: KW 1 .. 12 (R = 3 or 6 words), OW with every remainder modulo 8.
            for (int filterWidth = 1; filterWidth <= 12; filterWidth++)
            {
                Check(100 + filterWidth, 1, 1, 2, 13 + filterWidth, 3 + filterWidth, 1, filterWidth, 1, 1, 0, filterWidth / 2, 0, (filterWidth - 1) / 2,
                    10 - filterWidth, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_GeometriesStridesAndPaddings_MatchPlain()
        {
            // seed, batches, C, H, W, O, KH, KW, strideH, strideW, pads (top, left, bottom, right), zi.
            Check(1, 2, 3, 7, 9, 8, 3, 3, 1, 1, 1, 1, 1, 1, 17, Extreme.None);
            Check(2, 1, 16, 8, 8, 32, 1, 1, 1, 1, 0, 0, 0, 0, -128, Extreme.None);
            Check(3, 1, 4, 9, 7, 5, 3, 3, 2, 2, 1, 1, 1, 1, 127, Extreme.None);
            Check(4, 2, 5, 6, 11, 3, 2, 4, 1, 3, 0, 2, 1, 0, 0, Extreme.None);
            Check(5, 1, 2, 5, 5, 4, 5, 5, 1, 1, 2, 2, 2, 2, -3, Extreme.None);
            Check(6, 1, 6, 4, 9, 7, 1, 3, 2, 1, 0, 1, 0, 1, 40, Extreme.None);
            Check(7, 1, 3, 3, 3, 2, 3, 3, 1, 1, 2, 0, 0, 2, -100, Extreme.None);
            Check(8, 1, 8, 1, 128, 16, 1, 5, 1, 2, 0, 2, 0, 2, 3, Extreme.None);
            Check(9, 1, 1, 1, 128, 8, 1, 5, 1, 1, 0, 2, 0, 2, -9, Extreme.None);
            Check(10, 2, 1, 6, 9, 12, 3, 3, 1, 2, 1, 1, 1, 1, 17, Extreme.None);
        }

        [TestMethod]
        public void Eval_OutputChannelsAroundTheGroupOfEight_MatchPlain()
        {
            // O = 1 .. 17: the last group completed with zero-weight channels that are not stored.
            for (int outputChannels = 1; outputChannels <= 17; outputChannels++)
            {
                Check(200 + outputChannels, 1, 4, 3, 8, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1, 11 - outputChannels, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_PlanesAroundTheEightPositionTile_MatchPlain()
        {
            // OH·OW from 1 to 24 with widths that make tiles cross row ends, and the plane's end
            // leave a partial tile (its positions past the plane computed, not stored).
            for (int width = 1; width <= 12; width++)
            {
                Check(300 + width, 1, 2, 2, width, 9, 1, 1, 1, 1, 0, 0, 0, 0, width - 6, Extreme.None);
                Check(320 + width, 1, 3, 3, width, 8, 3, 3, 1, 1, 1, 1, 1, 1, 6 - width, Extreme.None);
            }
        }

        [TestMethod]
        public void Eval_LongestRowAndSeveralBlocks_MatchPlain()
        {
            // R = 21 words (C = 7, KW = 7: three words a position) is one block a row, so a 3-row
            // window takes three blocks; R = 3 (C = 1, KW = 9: three words) takes 7 rows a block,
            // and a 9-row window two blocks.
            Check(400, 1, 7, 5, 9, 9, 3, 7, 1, 1, 1, 3, 1, 3, -20, Extreme.None);
            Check(401, 1, 1, 12, 14, 8, 9, 9, 1, 1, 0, 4, 0, 4, 33, Extreme.None);
            Check(402, 1, 1, 4, 70, 10, 1, 63, 1, 1, 0, 31, 0, 31, -1, Extreme.None);
        }

        [TestMethod]
        public void Eval_ExtremesAtTheLaneBound_MatchPlain()
        {
            // Inputs and zero point -128 (so the padding too) over the longest blocks: with every
            // weight -128 the middle lane reaches 21 products · 3 · 16384 = 1,032,192, the bound's
            // worst case (< 2^20); with every weight 127 the low part falls to about
            // -21 · 2 · 16256 · 2^21 ≈ -2^40.4, which the block's starting value 2^41 must absorb;
            // with weights ±127 of random sign the low lanes carry both signs.
            Check(500, 1, 7, 3, 8, 9, 3, 7, 1, 1, 1, 3, 1, 3, -128, Extreme.AllMinus128);
            Check(505, 1, 7, 3, 8, 9, 3, 7, 1, 1, 1, 3, 1, 3, -128, Extreme.All127);
            Check(506, 1, 1, 3, 70, 8, 3, 63, 1, 1, 1, 31, 1, 31, -128, Extreme.All127);
            Check(501, 1, 1, 3, 70, 8, 3, 63, 1, 1, 1, 31, 1, 31, -128, Extreme.AllMinus128);
            Check(502, 1, 7, 3, 8, 9, 3, 7, 1, 1, 1, 3, 1, 3, -128, Extreme.Plus127OrMinus127);
            Check(503, 1, 1, 3, 70, 8, 3, 63, 1, 1, 1, 31, 1, 31, -128, Extreme.Plus127OrMinus127);
            Check(504, 1, 9, 4, 9, 16, 2, 2, 1, 1, 1, 1, 1, 1, -128, Extreme.AllMinus128);
        }

        [TestMethod]
        public void Eval_ExtremesAtTheLaneBound_KeepEveryAccumulatorExact()
        {
            // A lane error is one unit of the accumulator, which a small ratio hides: here the ratio
            // is 1 (multiplier 2^30, shift 1) and the bias cancels the window's sum (every input and
            // the padding -128: Σ x·w = -128·Σw), so the output is zo + a small offset per channel,
            // and one unit of error anywhere shows. The same extremes as above, longest blocks.
            CheckExactAccumulators(600, 7, 3, 8, 3, 7, Extreme.AllMinus128);
            CheckExactAccumulators(601, 7, 3, 8, 3, 7, Extreme.All127);
            CheckExactAccumulators(602, 1, 3, 70, 3, 63, Extreme.AllMinus128);
            CheckExactAccumulators(603, 1, 3, 70, 3, 63, Extreme.All127);
            CheckExactAccumulators(604, 1, 3, 70, 3, 63, Extreme.Plus127OrMinus127);
            CheckExactAccumulators(605, 3, 4, 9, 7, 7, Extreme.All127);
        }

        [TestMethod]
        public void Eval_NarrowActivationRange_ClampsLikePlain()
        {
            // A ReLU-like range: both clamp branches of the inline store and of the slow one.
            TestRandom random = new TestRandom(77);
            sbyte[] input = KernelTestSupport.RandomBytes(random, 2 * 6 * 7 * 6, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, 5 * 6 * 9, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, 5, -100000, 100000);
            int[] multiplier = new int[5];
            int[] shift = new int[5];
            PickMultipliers(random, 6L * 9 * 128 * 127 + 100000, multiplier, shift);
            CompareWithPlain(input, 2, 6, 7, 6, 4, filter, 5, 3, 3, 1, 1, 1, 1, 1, 1, bias, multiplier, shift, Requantization.Q31, -20, 90);
        }

        [TestMethod]
        public void Eval_ExactTiesInTheQ31Store_RoundLikePlain()
        {
            // Ratio 1/4 (multiplier 2^30, shift -1) on small sums: a quarter of the accumulators are
            // exact ties, so the inline rounding's tie branch (half to even, the zero point folded
            // into the rounding constant) is taken both ways, with odd and even zero points.
            TestRandom random = new TestRandom(41);
            int channels = 4;
            int outputChannels = 6;
            sbyte[] input = KernelTestSupport.RandomBytes(random, channels * 6 * 9, -3, 3);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * channels * 9, -3, 3);
            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -50, 50);
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                multiplier[outputChannel] = 1 << 30;
                shift[outputChannel] = -1;
            }

            CompareWithPlain(input, 1, channels, 6, 9, 0, filter, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1,
                bias, multiplier, shift, Requantization.Q31, -128, 127);
            CompareWithPlain(input, 1, channels, 6, 9, 0, filter, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1,
                bias, multiplier, shift, Requantization.Q31, -128, 127, 7);
            CompareWithPlain(input, 1, channels, 6, 9, 0, filter, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1,
                bias, multiplier, shift, Requantization.Q31, -128, 127, -8);
        }

        [TestMethod]
        public void Eval_ShiftsBeyondTheFoldedZeroPoint_MatchPlain()
        {
            // shift -25 .. -31: total shifts 56 .. 62, where zo·2^k no longer fits beside the
            // product, go through Requantization.Apply (tiny ratios: outputs near the zero point).
            TestRandom random = new TestRandom(45);
            int channels = 3;
            int outputChannels = 8;
            sbyte[] input = KernelTestSupport.RandomBytes(random, channels * 4 * 8, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * channels * 9, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -(1 << 30), 1 << 30);
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                multiplier[outputChannel] = random.Next(FixedPoint.MinMultiplier, int.MaxValue);
                shift[outputChannel] = -31 + outputChannel;
            }

            CompareWithPlain(input, 1, channels, 4, 8, 2, filter, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1,
                bias, multiplier, shift, Requantization.Q31, -128, 127, 100);
        }

        [TestMethod]
        public void Eval_OtherRequantizationModes_MatchPlain()
        {
            // The store computes q31 inline and calls Requantization.Apply for the other modes.
            TestRandom random = new TestRandom(43);
            int channels = 5;
            int outputChannels = 7;
            sbyte[] input = KernelTestSupport.RandomBytes(random, channels * 5 * 10, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * channels * 9, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -1000, 1000);
            int[] q15;
            int[] powerOfTwo;
            int[] float32;
            int[] shift;
            KernelTestSupport.OtherModeMultipliers(outputChannels, -9, out q15, out powerOfTwo, out float32, out shift);

            CompareWithPlain(input, 1, channels, 5, 10, -7, filter, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1,
                bias, q15, shift, Requantization.Q15, -128, 127);
            CompareWithPlain(input, 1, channels, 5, 10, -7, filter, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1,
                bias, powerOfTwo, shift, Requantization.PowerOfTwo, -128, 127);
            CompareWithPlain(input, 1, channels, 5, 10, -7, filter, outputChannels, 3, 3, 1, 1, 1, 1, 1, 1,
                bias, float32, shift, Requantization.Float32, -128, 127);
        }

        [TestMethod]
        public void RowWordsAndScratchWords_CountTheWords()
        {
            // 8 channels: 3 words a position; KW 5: 15 words a row. One channel, KW 5: 2 words, rounded to 3.
            Assert.AreEqual(3, Conv2DTripleKernel.WordsPerPosition(8));
            Assert.AreEqual(15, Conv2DTripleKernel.RowWords(8, 5));
            Assert.AreEqual(3, Conv2DTripleKernel.RowWords(1, 5));
            Assert.AreEqual(21, Conv2DTripleKernel.RowWords(1, 63));
            Assert.IsTrue(Conv2DTripleKernel.Fits(7, 7));
            Assert.IsFalse(Conv2DTripleKernel.Fits(8, 8));
            Assert.IsFalse(Conv2DTripleKernel.Fits(1, 64));

            // 16 output channels: 2 groups · 15 words · 8 filter words; input 1x(128+4) positions · 3 words + 3 of slack.
            Assert.AreEqual(240L, Conv2DTripleKernel.FilterWords(16, 8, 1, 5));
            Assert.AreEqual(240L + 132 * 3 + 3, Conv2DTripleKernel.ScratchWords(16, 8, 1, 128, 1, 5, 0, 2, 0, 2));

            // One channel: 8 channels · 3 words of filter; a row of 132 + 3·3 words.
            Assert.AreEqual(24L + 141, Conv2DTripleKernel.ScratchWords(8, 1, 1, 128, 1, 5, 0, 2, 0, 2));
        }

        // Which extreme values replace the random ones.
        internal static class Extreme
        {
            public const int None = 0;
            public const int AllMinus128 = 1;
            public const int Plus127OrMinus127 = 2;
            public const int All127 = 3;
        }

        /// <summary>One random case (or an extreme one) through the plain and the triple kernel.</summary>
        internal static void Check(int seed, int batches, int channels, int height, int width, int outputChannels,
            int filterHeight, int filterWidth, int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight,
            int inputZeroPoint, int extreme)
        {
            TestRandom random = new TestRandom(seed * 7919 + channels * 31 + outputChannels);
            int inputCount = batches * channels * height * width;
            sbyte[] input = KernelTestSupport.RandomBytes(random, inputCount, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * channels * filterHeight * filterWidth, -127, 127);
            if (extreme != Extreme.None)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = -128;
                }

                for (int i = 0; i < filter.Length; i++)
                {
                    filter[i] = (sbyte)(extreme == Extreme.AllMinus128 ? -128 : extreme == Extreme.All127 || filter[i] >= 0 ? 127 : -127);
                }
            }

            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -100000, 100000);
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            PickMultipliers(random, (long)channels * filterHeight * filterWidth * 128 * 128 + 100000, multiplier, shift);
            CompareWithPlain(input, batches, channels, height, width, inputZeroPoint, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, bias, multiplier, shift, Requantization.Q31, -128, 127);
        }

        // All inputs and zi -128, the filter by `extreme`, 9 output channels (one stored channel in the
        // second group), padding so that OW = W: the output must be exactly zo + offset[c].
        internal static void CheckExactAccumulators(int seed, int channels, int height, int width, int filterHeight, int filterWidth, int extreme)
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
            int[] bias = new int[outputChannels];
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                int sum = 0;
                for (int tap = 0; tap < taps; tap++)
                {
                    int index = outputChannel * taps + tap;
                    filter[index] = (sbyte)(extreme == Extreme.AllMinus128 ? -128 : extreme == Extreme.All127 || filter[index] >= 0 ? 127 : -127);
                    sum += filter[index];
                }

                bias[outputChannel] = 128 * sum + 7 * outputChannel - 30;
                multiplier[outputChannel] = 1 << 30;
                shift[outputChannel] = 1;
            }

            int padHeight = filterHeight - 1;
            int padWidth = filterWidth - 1;
            int outputZeroPoint = 3;
            CompareWithPlain(input, 1, channels, height, width, -128, filter, outputChannels, filterHeight, filterWidth, 1, 1,
                padHeight / 2, padWidth / 2, padHeight - padHeight / 2, padWidth - padWidth / 2, bias, multiplier, shift, Requantization.Q31,
                -128, 127, outputZeroPoint);

            // The plain kernel's output, which the triple kernel matched: zo + offset everywhere.
            int plane = height * width;
            sbyte[] expected = new sbyte[outputChannels * plane];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = 1, InputChannels = channels, InputHeight = height, InputWidth = width,
                InputZeroPoint = -128, Filter = filter, FilterOffset = 0, OutputChannels = outputChannels, FilterHeight = filterHeight,
                FilterWidth = filterWidth,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputHeight = height, OutputWidth = width, OutputZeroPoint = outputZeroPoint,
                StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, PadTop = padHeight / 2, PadLeft = padWidth / 2,
                Groups = 1, ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(outputZeroPoint + 7 * (i / plane) - 30, (int)expected[i]);
            }
        }

        private static void PickMultipliers(TestRandom random, long largest, int[] multiplier, int[] shift)
        {
            for (int outputChannel = 0; outputChannel < multiplier.Length; outputChannel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, largest, out channelMultiplier, out channelShift);
                multiplier[outputChannel] = channelMultiplier;
                shift[outputChannel] = channelShift;
            }
        }

        private static void CompareWithPlain(sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int[] bias, int[] multiplier, int[] shift, int mode,
            int activationMin, int activationMax)
        {
            CompareWithPlain(input, batches, channels, height, width, inputZeroPoint, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, bias, multiplier, shift, mode, activationMin, activationMax, 6);
        }

        private static void CompareWithPlain(sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int[] bias, int[] multiplier, int[] shift, int mode,
            int activationMin, int activationMax, int outputZeroPoint)
        {
            Assert.IsTrue(Conv2DTripleKernel.Fits(channels, filterWidth));
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
                PadLeft = padLeft, Groups = 1, ActivationMin = activationMin, ActivationMax = activationMax, Mode = mode,
            });

            int lanes = 3 * (int)Conv2DTripleKernel.FilterWords(outputChannels, channels, filterHeight, filterWidth);
            sbyte[] packed = new sbyte[2 + lanes];
            Conv2DTripleKernel.PackFilter(filter, 0, outputChannels, channels, filterHeight, filterWidth, packed, 2);

            // The scratch exactly as large as the kernel says (a read past it throws), holding what
            // an earlier operator left there.
            long[] scratch = new long[Conv2DTripleKernel.ScratchWords(outputChannels, channels, height, width, filterHeight, filterWidth,
                padTop, padLeft, padBottom, padRight)];
            for (int i = 0; i < scratch.Length; i++)
            {
                scratch[i] = -0x5A5A5A5A5A5A5A5L + i;
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(3 + outputCount + 2);
            Conv2DTripleKernel.Eval(new Conv2DTripleOperator
            {
                Input = KernelTestSupport.Embed(input, 5, 1), InputOffset = 5, Batches = batches, InputChannels = channels,
                InputHeight = height, InputWidth = width, InputZeroPoint = inputZeroPoint,
                Filter = packed, FilterOffset = 2, OutputChannels = outputChannels, FilterHeight = filterHeight, FilterWidth = filterWidth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Output = outputBuffer, OutputOffset = 3, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = outputZeroPoint,
                StrideHeight = strideHeight, StrideWidth = strideWidth, PadTop = padTop, PadLeft = padLeft, PadBottom = padBottom,
                PadRight = padRight, ActivationMin = activationMin, ActivationMax = activationMax, Scratch = scratch, Mode = mode,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
        }
    }
}

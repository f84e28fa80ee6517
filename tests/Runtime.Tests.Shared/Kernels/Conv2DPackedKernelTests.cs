using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>Conv2DPackedKernel against the plain Conv2DKernel, bit for bit.</summary>
    [TestClass]
    public class Conv2DPackedKernelTests
    {
        [TestMethod]
        public void Eval_ChannelCountsAroundThePacking_MatchPlain()
        {
            // C around the pairs and the even pair count, O around the groups of 4.
            for (int channels = 1; channels <= 9; channels++)
            {
                Check(channels, 1, channels, 6, 5, 10 - channels, 3, 3, 1, 1, 1, 1, 1, 1, -5, false);
            }
        }

        [TestMethod]
        public void Eval_GeometriesStridesAndPaddings_MatchPlain()
        {
            Check(1, 2, 3, 7, 9, 8, 3, 3, 1, 1, 1, 1, 1, 1, 17, false);
            Check(2, 1, 16, 8, 8, 32, 1, 1, 1, 1, 0, 0, 0, 0, -128, false);
            Check(3, 1, 4, 9, 7, 5, 3, 3, 2, 2, 1, 1, 1, 1, 127, false);
            Check(4, 2, 5, 6, 11, 3, 2, 4, 1, 3, 0, 2, 1, 0, 0, false);
            Check(5, 1, 2, 5, 5, 4, 5, 5, 1, 1, 2, 2, 2, 2, -3, false);
            Check(6, 1, 6, 4, 9, 7, 1, 3, 2, 1, 0, 1, 0, 1, 40, false);
            Check(7, 1, 3, 3, 3, 2, 3, 3, 1, 1, 2, 0, 0, 2, -100, false);
        }

        [TestMethod]
        public void Eval_OutputChannelsAroundTheEightChannelTile_MatchPlain()
        {
            // O around multiples of 8: eight-channel tiles, then a whole or partial group of four
            // through the four-channel tile; OW 7 leaves three positions for EvalPositions in both.
            int[] outputChannelCounts = { 8, 9, 11, 12, 13, 16, 17, 20, 24 };
            for (int i = 0; i < outputChannelCounts.Length; i++)
            {
                Check(20 + i, 1, 3 + i, 4, 7, outputChannelCounts[i], 3, 3, 1, 1, 1, 1, 1, 1, 11 - 7 * i, false);
            }

            Check(30, 2, 6, 5, 9, 16, 1, 5, 1, 2, 0, 2, 0, 2, -60, false);
        }

        [TestMethod]
        public void Eval_OutputWidthsAroundTheEightPositionTile_MatchPlain()
        {
            // OW 8 .. 19 with 8, 12 and 17 channels: eight-position tiles, then a four-position
            // tile and single positions, for the eight channels and for the group left over.
            for (int width = 8; width <= 19; width++)
            {
                Check(40 + width, 1, 5, 3, width, 8 + (width % 3) * 4 + (width % 2), 3, 3, 1, 1, 1, 1, 1, 1, 23 - width, false);
            }

            Check(60, 1, 4, 3, 33, 9, 1, 3, 1, 2, 0, 1, 0, 1, 5, false);
        }

        [TestMethod]
        public void Eval_ExtremesThroughTheEightChannelTile_MatchPlain()
        {
            // All inputs -128 (zero point -128 too, so the padding as well), weights ±127, O = 12.
            Check(31, 1, 16, 5, 6, 12, 3, 3, 1, 1, 1, 1, 1, 1, -128, true);
            Check(32, 1, 84, 4, 4, 9, 3, 3, 1, 1, 1, 1, 1, 1, -128, true);
            Check(33, 1, 84, 3, 10, 16, 3, 3, 1, 1, 1, 1, 1, 1, -128, true);
        }

        [TestMethod]
        public void Eval_Minus128WherePackable_MatchPlain()
        {
            // -128 in every filter word it fits (see CheckMinus128), through the four-position and
            // the eight-channel tiles, a window across several blocks, and padding read as -128.
            CheckMinus128(1, 84, 4, 10, 16, 3, 3, 1, 1, 1, 1, 1, 1);
            CheckMinus128(1, 80, 6, 6, 5, 5, 3, 1, 1, 1, 1, 1, 1);
            CheckMinus128(2, 6, 7, 9, 9, 2, 3, 2, 1, 0, 1, 1, 0);
        }

        [TestMethod]
        public void Eval_WindowAcrossSeveralBlocks_MatchPlain()
        {
            // KW·P = 3·40 = 120 pairs a row: two rows a block, so a 5-row window takes three blocks.
            Check(8, 1, 80, 6, 6, 5, 5, 3, 1, 1, 1, 1, 1, 1, 9, false);
        }

        [TestMethod]
        public void Eval_UniformExtremesWithPadding_MatchPlain()
        {
            // Input and zero point -128 (padding reads -128 too), one channel of all 127 and one of
            // all -127: the middle lane of each 3-row block reaches ∓3·84·2·128·127.
            int channels = 168;
            sbyte[] input = Filled(channels * 4 * 4, -128);
            sbyte[] filter = new sbyte[2 * channels * 9];
            for (int i = 0; i < channels * 9; i++)
            {
                filter[i] = 127;
                filter[channels * 9 + i] = -127;
            }

            CompareWithPlain(input, 1, channels, 4, 4, -128, filter, 2, 3, 3, 1, 1, 1, 1, 1, 1, new int[] { 1 << 30, -(1 << 30) }, new TestRandom(3));
        }

        [TestMethod]
        public void Eval_NarrowActivationRange_ClampsLikePlain()
        {
            // A ReLU-like range: both clamp branches of the tile's and of the single-position store.
            TestRandom random = new TestRandom(77);
            sbyte[] input = KernelTestSupport.RandomBytes(random, 2 * 6 * 7 * 6, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, 5 * 6 * 9, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, 5, -100000, 100000);
            CompareWithPlain(input, 2, 6, 7, 6, 4, filter, 5, 3, 3, 1, 1, 1, 1, 1, 1, bias, random, -20, 90);
        }

        [TestMethod]
        public void Eval_ExactTiesInTheQ31Store_RoundLikePlain()
        {
            // Ratio 1/4 (multiplier 2^30, shift -1) on small sums: a quarter of the accumulators are
            // exact ties, so the inline q31 rounding's tie branch (half to even) is taken both ways.
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
        }

        [TestMethod]
        public void Eval_OtherRequantizationModes_MatchPlain()
        {
            // The tile's store computes q31 inline and calls Requantization.Apply for the other modes.
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
        public void ScratchWords_IsThePaddedPackedInput()
        {
            // 8 channels: 4 pairs; 32x32 padded by 1 on every side: 34·34 positions.
            Assert.AreEqual(34L * 34 * 4, Conv2DPackedKernel.ScratchWords(8, 32, 32, 1, 1, 1, 1));
            Assert.AreEqual(2, Conv2DPackedKernel.ChannelPairCount(3));
            Assert.AreEqual(4, Conv2DPackedKernel.ChannelPairCount(5));
        }

        /// <summary>One random case (or the extreme one) through the plain and the packed kernel.</summary>
        internal static void Check(int seed, int batches, int channels, int height, int width, int outputChannels,
            int filterHeight, int filterWidth, int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight,
            int inputZeroPoint, bool extreme)
        {
            TestRandom random = new TestRandom(seed * 7919 + channels * 31 + outputChannels);
            int inputCount = batches * channels * height * width;
            sbyte[] input = extreme ? Filled(inputCount, -128) : KernelTestSupport.RandomBytes(random, inputCount, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * channels * filterHeight * filterWidth, -127, 127);
            if (extreme)
            {
                for (int i = 0; i < filter.Length; i++)
                {
                    filter[i] = (sbyte)(filter[i] < 0 ? -127 : 127);
                }
            }

            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -100000, 100000);
            CompareWithPlain(input, batches, channels, height, width, inputZeroPoint, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, bias, random);
        }

        /// <summary>
        /// Channel pairs of the filter (-128, 127) in even output channels and (127, -128) in odd
        /// ones, the input -128 in even channels and 127 in odd ones, zero point -128: -128 in
        /// every filter word that holds it, each pair adding ±(2^14 + 127²) to the middle lane.
        /// </summary>
        internal static void CheckMinus128(int batches, int channels, int height, int width, int outputChannels,
            int filterHeight, int filterWidth, int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight)
        {
            int plane = height * width;
            sbyte[] input = new sbyte[batches * channels * plane];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (sbyte)(i / plane % channels % 2 == 0 ? -128 : 127);
            }

            int taps = filterHeight * filterWidth;
            sbyte[] filter = new sbyte[outputChannels * channels * taps];
            for (int i = 0; i < filter.Length; i++)
            {
                bool evenChannel = i / taps % channels % 2 == 0;
                bool evenOutput = i / (taps * channels) % 2 == 0;
                filter[i] = (sbyte)(evenChannel == evenOutput ? -128 : 127);
            }

            CompareWithPlain(input, batches, channels, height, width, -128, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, new int[outputChannels], new TestRandom(channels));
        }

        private static void CompareWithPlain(sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int[] bias, TestRandom random)
        {
            CompareWithPlain(input, batches, channels, height, width, inputZeroPoint, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, bias, random, -128, 127);
        }

        private static void CompareWithPlain(sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int[] bias, TestRandom random, int activationMin, int activationMax)
        {
            int outputHeight = (height + padTop + padBottom - filterHeight) / strideHeight + 1;
            int outputWidth = (width + padLeft + padRight - filterWidth) / strideWidth + 1;
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            long largest = (long)channels * filterHeight * filterWidth * 128 * 127 + 100000;
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, largest, out channelMultiplier, out channelShift);
                multiplier[outputChannel] = channelMultiplier;
                shift[outputChannel] = channelShift;
            }

            CompareWithPlain(input, batches, channels, height, width, inputZeroPoint, filter, outputChannels, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, bias, multiplier, shift, Requantization.Q31, activationMin, activationMax);
        }

        private static void CompareWithPlain(sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int[] bias, int[] multiplier, int[] shift, int mode,
            int activationMin, int activationMax)
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
                Output = expected, OutputOffset = 0, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = 6,
                StrideHeight = strideHeight, StrideWidth = strideWidth, DilationHeight = 1, DilationWidth = 1, PadTop = padTop,
                PadLeft = padLeft, Groups = 1, ActivationMin = activationMin, ActivationMax = activationMax, Mode = mode,
            });

            int words = Conv2DPackedKernel.PackedFilterWords(outputChannels, channels, filterHeight, filterWidth);
            int[] packed = new int[2 + words];
            Assert.IsTrue(Conv2DPackedKernel.PackFilter(filter, 0, outputChannels, channels, filterHeight, filterWidth, packed, 2));
            for (int i = 0; i < words; i++)
            {
                Assert.IsTrue(FullyConnectedPackedKernel.IsValidFilterWord(packed[2 + i]));
            }

            long[] scratch = new long[Conv2DPackedKernel.ScratchWords(channels, height, width, padTop, padLeft, padBottom, padRight) + 3];
            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(3 + outputCount + 2);
            Conv2DPackedKernel.Eval(new Conv2DPackedOperator
            {
                Input = KernelTestSupport.Embed(input, 5, 1), InputOffset = 5, Batches = batches, InputChannels = channels,
                InputHeight = height, InputWidth = width, InputZeroPoint = inputZeroPoint,
                Filter = packed, FilterOffset = 2, OutputChannels = outputChannels, FilterHeight = filterHeight, FilterWidth = filterWidth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Output = outputBuffer, OutputOffset = 3, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = 6,
                StrideHeight = strideHeight, StrideWidth = strideWidth, PadTop = padTop, PadLeft = padLeft, PadBottom = padBottom,
                PadRight = padRight, ActivationMin = activationMin, ActivationMax = activationMax, Scratch = scratch, Mode = mode,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
        }

        private static sbyte[] Filled(int count, int value)
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

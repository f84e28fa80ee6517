using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>Conv2DPackedKernel.EvalTapPairs (one input channel, taps paired) against the plain Conv2DKernel, bit for bit.</summary>
    [TestClass]
    public class Conv2DPackedTapsKernelTests
    {
        [TestMethod]
        public void EvalTapPairs_FilterWidthsAroundThePairs_MatchPlain()
        {
            // KW 1 .. 9 (odd and even, Q from 2 to 6), O around the tiles, OW with every remainder.
            for (int filterWidth = 1; filterWidth <= 9; filterWidth++)
            {
                Check(filterWidth, 1, 2, 13 + filterWidth, 3 + filterWidth, 1, filterWidth, 1, 1, 0, filterWidth / 2, 0, (filterWidth - 1) / 2, 10 - filterWidth);
            }
        }

        [TestMethod]
        public void EvalTapPairs_GeometriesStridesAndPaddings_MatchPlain()
        {
            // seed, batches, height, width, outputChannels, KH, KW, strideH, strideW, pads (top, left, bottom, right), zi.
            Check(11, 1, 1, 128, 8, 1, 5, 1, 1, 0, 2, 0, 2, -3);
            Check(12, 2, 6, 9, 12, 3, 3, 1, 2, 1, 1, 1, 1, 17);
            Check(13, 1, 5, 20, 16, 2, 7, 2, 3, 1, 3, 0, 0, -128);
            Check(14, 1, 4, 4, 3, 4, 4, 1, 1, 2, 2, 2, 2, 127);
            Check(15, 1, 1, 40, 9, 1, 1, 1, 2, 0, 0, 0, 0, 0);
            Check(16, 1, 3, 33, 17, 3, 6, 1, 1, 1, 0, 1, 5, 40);
        }

        [TestMethod]
        public void EvalTapPairs_UniformExtremes_MatchPlain()
        {
            // All inputs and zi -128 (so the padding too), weights ±127: a row of 12 taps, 5 rows.
            Check(21, 1, 6, 30, 10, 5, 12, 1, 1, 2, 6, 2, 5, -128, Extreme.Plus127OrMinus127);
            Check(22, 1, 1, 64, 8, 1, 9, 1, 1, 0, 4, 0, 4, -128, Extreme.Plus127OrMinus127);
        }

        [TestMethod]
        public void EvalTapPairs_Minus128WherePackable_MatchPlain()
        {
            // Tap pairs (-128, 127) or (127, -128) by output channel, inputs alternating -128 and
            // 127 along the row: -128 in every filter word that holds it.
            Check(25, 1, 6, 30, 10, 5, 12, 1, 1, 2, 6, 2, 5, -128, Extreme.Minus128Pairs);
            Check(26, 1, 1, 64, 8, 1, 9, 1, 2, 0, 4, 0, 4, -128, Extreme.Minus128Pairs);
        }

        [TestMethod]
        public void ScratchWordsTapPairs_IsThePaddedRowsWithTwoQExtraColumns()
        {
            // 1x128 input, KW 5 (Q = 4), padding 2 left and right: one row of 132 + 8 words.
            Assert.AreEqual(140L, Conv2DPackedKernel.ScratchWordsTapPairs(1, 128, 5, 0, 2, 0, 2));
            Assert.AreEqual(4, Conv2DPackedKernel.TapPairCount(5));
            Assert.AreEqual(2, Conv2DPackedKernel.TapPairCount(4));
        }

        private static void Check(int seed, int batches, int height, int width, int outputChannels, int filterHeight, int filterWidth,
            int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight, int inputZeroPoint)
        {
            Check(seed, batches, height, width, outputChannels, filterHeight, filterWidth, strideHeight, strideWidth,
                padTop, padLeft, padBottom, padRight, inputZeroPoint, Extreme.None);
        }

        // Which extreme values replace the random ones.
        internal static class Extreme
        {
            public const int None = 0;

            // Every input -128, every weight -127 or 127.
            public const int Plus127OrMinus127 = 1;

            // Tap pairs (-128, 127) in even output channels and (127, -128) in odd ones, inputs -128 and 127 by column parity.
            public const int Minus128Pairs = 2;
        }

        /// <summary>One random case (or an extreme one) through the plain kernel and EvalTapPairs.</summary>
        internal static void Check(int seed, int batches, int height, int width, int outputChannels, int filterHeight, int filterWidth,
            int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight, int inputZeroPoint, int extreme)
        {
            TestRandom random = new TestRandom(seed * 7919 + outputChannels);
            int inputCount = batches * height * width;
            sbyte[] input = KernelTestSupport.RandomBytes(random, inputCount, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, outputChannels * filterHeight * filterWidth, -127, 127);
            if (extreme == Extreme.Minus128Pairs)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = (sbyte)(i % width % 2 == 0 ? -128 : 127);
                }

                for (int i = 0; i < filter.Length; i++)
                {
                    bool evenTap = i % filterWidth % 2 == 0;
                    bool evenOutput = i / (filterHeight * filterWidth) % 2 == 0;
                    filter[i] = (sbyte)(evenTap == evenOutput ? -128 : 127);
                }
            }
            else if (extreme == Extreme.Plus127OrMinus127)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = -128;
                }

                for (int i = 0; i < filter.Length; i++)
                {
                    filter[i] = (sbyte)(filter[i] < 0 ? -127 : 127);
                }
            }

            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -100000, 100000);
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            for (int channel = 0; channel < outputChannels; channel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, (long)filterHeight * filterWidth * 128 * 127 + 100000, out channelMultiplier, out channelShift);
                multiplier[channel] = channelMultiplier;
                shift[channel] = channelShift;
            }

            int outputHeight = (height + padTop + padBottom - filterHeight) / strideHeight + 1;
            int outputWidth = (width + padLeft + padRight - filterWidth) / strideWidth + 1;
            int outputCount = batches * outputChannels * outputHeight * outputWidth;
            sbyte[] expected = new sbyte[outputCount];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = batches, InputChannels = 1, InputHeight = height, InputWidth = width,
                InputZeroPoint = inputZeroPoint,
                Filter = filter, FilterOffset = 0, OutputChannels = outputChannels, FilterHeight = filterHeight, FilterWidth = filterWidth,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = 6,
                StrideHeight = strideHeight, StrideWidth = strideWidth, DilationHeight = 1, DilationWidth = 1, PadTop = padTop,
                PadLeft = padLeft, Groups = 1, ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            int words = Conv2DPackedKernel.PackedFilterWordsTapPairs(outputChannels, filterHeight, filterWidth);
            int[] packed = new int[2 + words];
            Assert.IsTrue(Conv2DPackedKernel.PackFilterTaps(filter, 0, outputChannels, filterHeight, filterWidth, packed, 2));
            for (int i = 0; i < words; i++)
            {
                Assert.IsTrue(FullyConnectedPackedKernel.IsValidFilterWord(packed[2 + i]));
            }

            long[] scratch = new long[Conv2DPackedKernel.ScratchWordsTapPairs(height, width, filterWidth, padTop, padLeft, padBottom, padRight) + 3];
            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(3 + outputCount + 2);
            Conv2DPackedKernel.EvalTapPairs(new Conv2DPackedTapsOperator
            {
                Input = KernelTestSupport.Embed(input, 5, 1), InputOffset = 5, Batches = batches, InputHeight = height, InputWidth = width,
                InputZeroPoint = inputZeroPoint,
                Filter = packed, FilterOffset = 2, OutputChannels = outputChannels, FilterHeight = filterHeight, FilterWidth = filterWidth,
                Bias = KernelTestSupport.EmbedInts(bias, 3), BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2,
                Output = outputBuffer, OutputOffset = 3, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = 6,
                StrideHeight = strideHeight, StrideWidth = strideWidth, PadTop = padTop, PadLeft = padLeft, PadBottom = padBottom,
                PadRight = padRight, ActivationMin = -128, ActivationMax = 127, Scratch = scratch, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
        }
    }
}

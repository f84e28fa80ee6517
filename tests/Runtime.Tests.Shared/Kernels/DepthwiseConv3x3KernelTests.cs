using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>DepthwiseConv3x3Kernel against the plain Conv2DKernel (groups = C), bit for bit.</summary>
    [TestClass]
    public class DepthwiseConv3x3KernelTests
    {
        [TestMethod]
        public void Eval_GeometriesStridesAndPaddings_MatchPlain()
        {
            // seed, batches, channels, height, width, strideH, strideW, padTop, padLeft, padBottom, padRight, zi.
            Check(1, 1, 3, 8, 8, 1, 1, 1, 1, 1, 1, -5);
            Check(2, 2, 5, 9, 7, 2, 2, 1, 1, 1, 1, 17);
            Check(3, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0, 0);
            Check(4, 1, 4, 11, 6, 2, 1, 0, 2, 1, 0, -128);
            Check(5, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 127);
            Check(6, 1, 6, 5, 13, 3, 3, 2, 2, 2, 2, 40);
            Check(7, 1, 16, 32, 32, 2, 2, 1, 1, 1, 1, -100);
        }

        [TestMethod]
        public void Eval_UniformExtremes_MatchPlain()
        {
            // All inputs and the zero point -128 (the padding too), weights all 127 in one channel
            // and all -127 in the other.
            sbyte[] input = new sbyte[2 * 6 * 6];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = -128;
            }

            sbyte[] filter = new sbyte[2 * 9];
            for (int i = 0; i < 9; i++)
            {
                filter[i] = 127;
                filter[9 + i] = -127;
            }

            int[] multiplier = { 1 << 30, 1 << 30 };
            int[] shift = { -10, -10 };
            Compare(input, 1, 2, 6, 6, -128, filter, new int[] { 1 << 30, -(1 << 30) }, multiplier, shift, Requantization.Q31,
                1, 1, 1, 1, 1, 1, -128, 127);
            Compare(input, 1, 2, 6, 6, -128, filter, new int[] { 5, -5 }, multiplier, shift, Requantization.Q31,
                2, 2, 1, 1, 1, 1, -128, 127);
        }

        [TestMethod]
        public void Eval_WeightsOfMinus128_MatchPlain()
        {
            // All inputs and the zero point -128, one channel of weights all -128 (the largest
            // products, 9·2^14 a window), the others drawn from -128..127 with every fourth -128.
            TestRandom random = new TestRandom(61);
            int channels = 4;
            sbyte[] input = new sbyte[channels * 7 * 8];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = -128;
            }

            sbyte[] filter = KernelTestSupport.WithEveryFourthMinus128(KernelTestSupport.RandomBytes(random, channels * 9, -128, 127));
            for (int i = 0; i < 9; i++)
            {
                filter[i] = -128;
            }

            int[] multiplier = { 1 << 30, 1 << 30, 1 << 30, 1 << 30 };
            int[] shift = { -10, -10, -10, -10 };
            Compare(input, 1, channels, 7, 8, -128, filter, new int[] { 1 << 30, -(1 << 30), 7, -7 }, multiplier, shift, Requantization.Q31,
                1, 1, 1, 1, 1, 1, -128, 127);
            sbyte[] randomInput = KernelTestSupport.RandomBytes(random, channels * 7 * 8, -128, 127);
            Compare(randomInput, 1, channels, 7, 8, 3, filter, new int[] { 5, -5, 50, -50 }, new int[] { 1 << 30, 1 << 29, 1 << 30, 1 << 28 }, shift,
                Requantization.Q31, 2, 1, 1, 0, 1, 2, -128, 127);
        }

        [TestMethod]
        public void Eval_ExactTiesNarrowRangeAndOtherModes_MatchPlain()
        {
            // Ratio 1/4 on small sums: a quarter of the outputs are exact ties (the inline q31 tie branch).
            TestRandom random = new TestRandom(51);
            int channels = 5;
            sbyte[] input = KernelTestSupport.RandomBytes(random, channels * 7 * 9, -3, 3);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, channels * 9, -3, 3);
            int[] bias = KernelTestSupport.RandomInts(random, channels, -50, 50);
            int[] quarter = { 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30 };
            int[] shiftQuarter = { -1, -1, -1, -1, -1 };
            Compare(input, 1, channels, 7, 9, 0, filter, bias, quarter, shiftQuarter, Requantization.Q31, 1, 1, 1, 1, 1, 1, -128, 127);
            Compare(input, 1, channels, 7, 9, 0, filter, bias, quarter, shiftQuarter, Requantization.Q31, 1, 1, 1, 1, 1, 1, -3, 5);

            sbyte[] wideInput = KernelTestSupport.RandomBytes(random, channels * 7 * 9, -128, 127);
            sbyte[] wideFilter = KernelTestSupport.RandomBytes(random, channels * 9, -127, 127);
            int[] shift = { -4, -4, -4, -4, -4 };
            Compare(wideInput, 1, channels, 7, 9, 9, wideFilter, bias, new int[] { 1 << 14, 20000, 30000, 16385, 32767 }, shift,
                Requantization.Q15, 1, 2, 1, 1, 1, 1, -128, 127);
            Compare(wideInput, 1, channels, 7, 9, 9, wideFilter, bias, new int[] { 1, 1, 1, 0, 1 }, shift,
                Requantization.PowerOfTwo, 2, 1, 1, 1, 1, 1, -128, 127);
            Compare(wideInput, 1, channels, 7, 9, 9, wideFilter, bias, new int[] { 1 << 23, 9000000, 12000000, 16000000, 8388609 }, shift,
                Requantization.Float32, 1, 1, 1, 0, 1, 2, -128, 127);
        }

        private static void Check(int seed, int batches, int channels, int height, int width, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int inputZeroPoint)
        {
            TestRandom random = new TestRandom(seed * 7919 + channels);
            sbyte[] input = KernelTestSupport.RandomBytes(random, batches * channels * height * width, -128, 127);
            sbyte[] filter = KernelTestSupport.RandomBytes(random, channels * 9, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, channels, -100000, 100000);
            int[] multiplier = new int[channels];
            int[] shift = new int[channels];
            for (int channel = 0; channel < channels; channel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, 9L * 128 * 127 + 100000, out channelMultiplier, out channelShift);
                multiplier[channel] = channelMultiplier;
                shift[channel] = channelShift;
            }

            Compare(input, batches, channels, height, width, inputZeroPoint, filter, bias, multiplier, shift, Requantization.Q31,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, -128, 127);
        }

        private static void Compare(sbyte[] input, int batches, int channels, int height, int width, int inputZeroPoint,
            sbyte[] filter, int[] bias, int[] multiplier, int[] shift, int mode, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int activationMin, int activationMax)
        {
            int outputHeight = (height + padTop + padBottom - 3) / strideHeight + 1;
            int outputWidth = (width + padLeft + padRight - 3) / strideWidth + 1;
            int outputCount = batches * channels * outputHeight * outputWidth;
            sbyte[] expected = new sbyte[outputCount];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = batches, InputChannels = channels, InputHeight = height, InputWidth = width,
                InputZeroPoint = inputZeroPoint,
                Filter = filter, FilterOffset = 0, OutputChannels = channels, FilterHeight = 3, FilterWidth = 3, Bias = bias,
                BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0, Output = expected,
                OutputOffset = 0, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = 6,
                StrideHeight = strideHeight, StrideWidth = strideWidth, DilationHeight = 1, DilationWidth = 1, PadTop = padTop,
                PadLeft = padLeft, Groups = channels, ActivationMin = activationMin, ActivationMax = activationMax, Mode = mode,
            });

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(3 + outputCount + 2);
            DepthwiseConv3x3Kernel.Eval(new DepthwiseConv3x3Operator
            {
                Input = KernelTestSupport.Embed(input, 5, 1), InputOffset = 5, Batches = batches, InputChannels = channels,
                InputHeight = height, InputWidth = width, InputZeroPoint = inputZeroPoint,
                Filter = KernelTestSupport.Embed(filter, 2, 1), FilterOffset = 2, Bias = KernelTestSupport.EmbedInts(bias, 3),
                BiasOffset = 3, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1), MultiplierOffset = 1,
                Shift = KernelTestSupport.EmbedInts(shift, 2), ShiftOffset = 2, Output = outputBuffer, OutputOffset = 3,
                OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = 6,
                StrideHeight = strideHeight, StrideWidth = strideWidth, PadTop = padTop, PadLeft = padLeft, ActivationMin = activationMin,
                ActivationMax = activationMax, Mode = mode,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
        }
    }
}

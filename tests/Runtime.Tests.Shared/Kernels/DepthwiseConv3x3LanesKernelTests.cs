using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// DepthwiseConv3x3LanesKernel (three products per 64-bit multiply, the store through a clamp
    /// table) against the plain Conv2DKernel with groups = C, bit for bit, in the q31 mode: strides
    /// 1 and 2, paddings that put rows and columns of zi around the input (the sliding rows) or
    /// more than one column of it (column by column), biases that do not fit the lane, widths
    /// around the three-column unrolling, extremes and a narrow clamp.
    /// </summary>
    [TestClass]
    public class DepthwiseConv3x3LanesKernelTests
    {
        [TestMethod]
        public void Eval_StridesAndPaddings_MatchPlain()
        {
            // seed, batches, C, H, W, strides (h, w), pads (top, left, bottom, right), zi.
            Check(1, 1, 3, 8, 8, 1, 1, 1, 1, 1, 1, -5, false);
            Check(2, 2, 2, 9, 7, 2, 2, 1, 1, 1, 1, 17, false);
            Check(3, 1, 4, 6, 10, 1, 1, 0, 0, 0, 0, 127, false);
            Check(4, 1, 2, 7, 9, 2, 2, 0, 0, 1, 1, -128, false);
            Check(5, 1, 3, 5, 6, 1, 2, 1, 0, 1, 2, 3, false);
            Check(6, 1, 2, 6, 6, 1, 1, 2, 2, 2, 2, -40, false);
            Check(7, 1, 2, 1, 5, 1, 1, 1, 1, 1, 1, 9, false);
            Check(8, 1, 2, 2, 3, 1, 1, 1, 1, 1, 1, -9, false);
            Check(9, 1, 2, 25, 5, 1, 1, 1, 1, 1, 1, 0, false);
            Check(10, 1, 2, 12, 12, 2, 1, 1, 1, 1, 1, 60, false);
        }

        [TestMethod]
        public void Eval_WidthsAroundTheUnrolling_MatchPlain()
        {
            // W from 3 to 14 at strides 1 and 2: every remainder of the three (two) columns a pass.
            for (int width = 3; width <= 14; width++)
            {
                Check(100 + width, 1, 2, 4, width, 1, 1, 1, 1, 1, 1, width - 7, false);
                Check(120 + width, 1, 2, 5, width, 2, 2, 1, 1, 1, 1, 7 - width, false);
                Check(140 + width, 1, 1, 3, width, 1, 2, 0, 1, 0, width % 2, 3, false);
            }
        }

        [TestMethod]
        public void Eval_LinePairsAtStrideTwo_MatchPlain()
        {
            // Stride 2 both ways, H from 7 to 14: neighbouring lines inside the plane go in pairs that
            // share a row (an odd line count leaves one alone), with and without padding, along rows
            // and (narrow planes) along columns, widths with and without an odd last output.
            for (int height = 7; height <= 14; height++)
            {
                Check(160 + height, 1, 2, height, 9 + height % 3, 2, 2, 1, 1, 1, 1, height - 10, false);
                Check(180 + height, 1, 1, height, 8, 2, 2, 0, 0, height % 2, 1, 10 - height, false);
                Check(220 + height, 1, 1, 2 * height + 3, 5 + height % 2, 2, 2, 1, 1, 1, 1, 5, false);
            }
        }

        [TestMethod]
        public void Eval_BiasesBeyondTheLane_MatchPlain()
        {
            // Biases of 2^20 and more: added to the field, not started in the lane.
            Check(200, 1, 3, 6, 7, 1, 1, 1, 1, 1, 1, -1, true);
            Check(201, 1, 2, 7, 8, 2, 2, 1, 1, 1, 1, 100, true);
        }

        [TestMethod]
        public void Eval_Extremes_MatchPlain()
        {
            // Every input and the padding -128, weights all -128 or all 127: the field's largest values.
            Check(300, 1, 3, 6, 9, 1, 1, 1, 1, 1, 1, -128, false, -128);
            Check(301, 1, 3, 6, 9, 2, 2, 1, 1, 1, 1, -128, false, 127);
        }

        [TestMethod]
        public void Eval_TotalShiftsInAndBeyondTheFixedShift_MatchPlain()
        {
            // Channel c's total shift k = 31 - shift from the list: 31 and 33 (below the range the
            // lane limit allows, inside it for these small weights), 44 (ClampTableStore.FixedShift),
            // 45 and 47 (beyond it: the channel goes output by output). Strides 1 and 2.
            int[] totalShifts = { 31, 33, 44, 45, 47 };
            Check(400, 1, 5, 7, 9, 1, 1, 1, 1, 1, 1, 3, false, 0, totalShifts);
            Check(401, 1, 5, 9, 8, 2, 2, 1, 1, 1, 1, -3, false, 0, totalShifts);
        }

        // One random case through the plain and the lane kernel; fill -128 or 127 sets every
        // input to -128 and every weight to `fill`; totalShifts (one per channel) sets each
        // channel's total shift with weights in [-4, 4] and biases in [-200, 200] (short tables).
        private static void Check(int seed, int batches, int channels, int height, int width, int strideHeight, int strideWidth,
            int padTop, int padLeft, int padBottom, int padRight, int inputZeroPoint, bool largeBias, int fill = 0, int[] totalShifts = null)
        {
            TestRandom random = new TestRandom(seed * 104729 + channels);
            sbyte[] input = KernelTestSupport.RandomBytes(random, batches * channels * height * width, -128, 127);
            int weightLimit = totalShifts == null ? 127 : 4;
            sbyte[] filter = KernelTestSupport.RandomBytes(random, channels * 9, -weightLimit - (weightLimit == 127 ? 1 : 0), weightLimit);
            if (fill != 0)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = -128;
                }

                for (int i = 0; i < filter.Length; i++)
                {
                    filter[i] = (sbyte)fill;
                }
            }

            int biasLimit = totalShifts == null ? 20000 : 200;
            int[] bias = KernelTestSupport.RandomInts(random, channels, -biasLimit, biasLimit);
            for (int channel = 0; largeBias && channel < channels; channel++)
            {
                bias[channel] = (channel % 2 == 0 ? 1 : -1) * random.Next(1 << 20, 1 << 21);
            }

            int[] multiplier = new int[channels];
            int[] shift = new int[channels];
            for (int channel = 0; channel < channels; channel++)
            {
                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, 9L * 128 * 128 + (largeBias ? 1 << 21 : 20000), out channelMultiplier, out channelShift);
                multiplier[channel] = channelMultiplier | 1;
                shift[channel] = totalShifts == null ? channelShift : 31 - totalShifts[channel];
            }

            int outputHeight = (height + padTop + padBottom - 3) / strideHeight + 1;
            int outputWidth = (width + padLeft + padRight - 3) / strideWidth + 1;
            int outputCount = batches * channels * outputHeight * outputWidth;
            int outputZeroPoint = -7;
            int activationMin = fill == 0 && seed % 2 == 0 ? -50 : -128;
            int activationMax = fill == 0 && seed % 3 == 0 ? 60 : 127;
            sbyte[] expected = new sbyte[outputCount];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = batches, InputChannels = channels, InputHeight = height, InputWidth = width,
                InputZeroPoint = inputZeroPoint, Filter = filter, FilterOffset = 0, OutputChannels = channels, FilterHeight = 3, FilterWidth = 3,
                Bias = bias, BiasOffset = 0, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                Output = expected, OutputOffset = 0, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = outputZeroPoint,
                StrideHeight = strideHeight, StrideWidth = strideWidth, DilationHeight = 1, DilationWidth = 1, PadTop = padTop, PadLeft = padLeft,
                Groups = channels, ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            // The table the converter would write: every channel's reachable values, checked as the reader checks them.
            long lowest = activationMin;
            long highest = activationMax;
            long[] lows = new long[channels];
            long[] highs = new long[channels];
            for (int channel = 0; channel < channels; channel++)
            {
                long channelLow;
                long channelHigh;
                DepthwiseConv3x3LanesKernel.AccumulatorBounds(filter, 0, channel, bias[channel], out channelLow, out channelHigh);
                lows[channel] = channelLow;
                highs[channel] = channelHigh;
                Assert.IsTrue(ClampTableStore.CanStore(lows[channel], highs[channel], multiplier[channel], shift[channel]));
                int totalShift = 31 - shift[channel];
                long half = 1L << (totalShift - 1);
                long low = ((lows[channel] * multiplier[channel] + half) >> totalShift) + outputZeroPoint;
                long high = ((highs[channel] * multiplier[channel] + half) >> totalShift) + outputZeroPoint;
                lowest = low < lowest ? low : lowest;
                highest = high > highest ? high : highest;
            }

            sbyte[] table = new sbyte[3 + (int)(highest - lowest + 1)];
            for (int index = 3; index < table.Length; index++)
            {
                table[index] = (sbyte)KernelTestSupport.Clamp((int)(index - 3 + lowest), activationMin, activationMax);
            }

            for (int channel = 0; channel < channels; channel++)
            {
                Assert.IsTrue(ClampTableStore.Fits(lows[channel], highs[channel], multiplier[channel], shift[channel],
                    outputZeroPoint + (int)-lowest, table.Length - 3));
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(2 + outputCount + 3);
            DepthwiseConv3x3LanesKernel.Eval(new DepthwiseConv3x3LanesOperator
            {
                Input = KernelTestSupport.Embed(input, 4, 2), InputOffset = 4, Batches = batches, InputChannels = channels,
                InputHeight = height, InputWidth = width, InputZeroPoint = inputZeroPoint,
                Filter = KernelTestSupport.Embed(filter, 1, 1), FilterOffset = 1, OutputChannels = channels, FilterHeight = 3, FilterWidth = 3,
                Bias = KernelTestSupport.EmbedInts(bias, 2), BiasOffset = 2, Multiplier = KernelTestSupport.EmbedInts(multiplier, 1),
                MultiplierOffset = 1, Shift = KernelTestSupport.EmbedInts(shift, 3), ShiftOffset = 3,
                Output = outputBuffer, OutputOffset = 2, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = outputZeroPoint,
                StrideHeight = strideHeight, StrideWidth = strideWidth, PadTop = padTop, PadLeft = padLeft,
                ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
                Table = table, TableZero = 3 - (int)lowest,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
        }
    }
}

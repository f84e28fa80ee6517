using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Conv2DKernel against a plain reference: every output, every filter tap, bounds checked,
    /// padding read as the input zero point, accumulated in 64 bits.
    /// </summary>
    [TestClass]
    public class Conv2DKernelTests
    {
        [TestMethod]
        public void Eval_PointwiseKnownNumbers_GivesHandComputedOutputs()
        {
            // Input [1, 2, 1, 2]: channel 0 = {1, 2}, channel 1 = {3, 4}; filter [1, 2, 1, 1] = {2, 3};
            // bias 10; multiplier 0.5; zo 1.
            // Position 0: 10 + 1·2 + 3·3 = 21 -> 10.5 rounds to even, 10 -> 11.
            // Position 1: 10 + 2·2 + 4·3 = 26 -> 13 -> 14.
            sbyte[] input = new sbyte[] { 1, 2, 3, 4 };
            sbyte[] filter = new sbyte[] { 2, 3 };
            sbyte[] output = new sbyte[2];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = 1, InputChannels = 2, InputHeight = 1, InputWidth = 2, InputZeroPoint = 0,
                Filter = filter, FilterOffset = 0, OutputChannels = 1, FilterHeight = 1, FilterWidth = 1,
                Bias = new int[] { 10 }, BiasOffset = 0, Multiplier = new int[] { 1 << 30 }, MultiplierOffset = 0, Shift = new int[] { 0 },
                ShiftOffset = 0,
                Output = output, OutputOffset = 0, OutputHeight = 1, OutputWidth = 2, OutputZeroPoint = 1,
                StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, PadTop = 0, PadLeft = 0, Groups = 1,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            Assert.AreEqual((sbyte)11, output[0]);
            Assert.AreEqual((sbyte)14, output[1]);
        }

        [TestMethod]
        public void Eval_PaddingWithFoldedBias_ContributesRealZero()
        {
            // One 1x1 input x = 7 with zero point 5 (real value 2), a 3x3 filter of ones, padding 1:
            // only the centre tap sees real data. The host folds -zi·Σw = -45 into the bias; the
            // padding reads zi, so acc = -45 + 7 + 8·5 = 2 = (7 - 5)·1. Multiplier 0.5 · 2^1 = 1, zo -3.
            sbyte[] filter = new sbyte[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
            sbyte[] output = new sbyte[1];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = new sbyte[] { 7 }, InputOffset = 0, Batches = 1, InputChannels = 1, InputHeight = 1, InputWidth = 1, InputZeroPoint = 5,
                Filter = filter, FilterOffset = 0, OutputChannels = 1, FilterHeight = 3, FilterWidth = 3,
                Bias = new int[] { -45 }, BiasOffset = 0, Multiplier = new int[] { 1 << 30 }, MultiplierOffset = 0, Shift = new int[] { 1 },
                ShiftOffset = 0,
                Output = output, OutputOffset = 0, OutputHeight = 1, OutputWidth = 1, OutputZeroPoint = -3,
                StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, PadTop = 1, PadLeft = 1, Groups = 1,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            Assert.AreEqual((sbyte)-1, output[0]);
        }

        [TestMethod]
        public void Eval_DepthwiseKnownNumbers_UsesOwnChannelPerOutput()
        {
            // Two channels, groups 2, 1x2 filters: output 0 reads only channel 0, output 1 only channel 1.
            // Input channel 0 = {1, 2, 3}, channel 1 = {10, 20, 30}; filters {1, -1} and {2, 1};
            // multiplier 0.5 · 2^1 = 1. Outputs: {1 - 2, 2 - 3} and {20 + 20, 40 + 30}.
            sbyte[] input = new sbyte[] { 1, 2, 3, 10, 20, 30 };
            sbyte[] filter = new sbyte[] { 1, -1, 2, 1 };
            sbyte[] output = new sbyte[4];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = 1, InputChannels = 2, InputHeight = 1, InputWidth = 3, InputZeroPoint = 0,
                Filter = filter, FilterOffset = 0, OutputChannels = 2, FilterHeight = 1, FilterWidth = 2,
                Bias = new int[] { 0, 0 }, BiasOffset = 0, Multiplier = new int[] { 1 << 30, 1 << 30 }, MultiplierOffset = 0,
                Shift = new int[] { 1, 1 }, ShiftOffset = 0,
                Output = output, OutputOffset = 0, OutputHeight = 1, OutputWidth = 2, OutputZeroPoint = 0,
                StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, PadTop = 0, PadLeft = 0, Groups = 2,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { -1, -1, 40, 70 }, output);
        }

        [TestMethod]
        public void Eval_LargeAccumulators_SaturateAtBothEnds()
        {
            // Accumulators of ±(127·127) with a scale of about 2^7 are far outside int8.
            sbyte[] input = new sbyte[] { 127, -127 };
            sbyte[] filter = new sbyte[] { 127 };
            sbyte[] output = new sbyte[2];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = 1, InputChannels = 1, InputHeight = 1, InputWidth = 2, InputZeroPoint = 0,
                Filter = filter, FilterOffset = 0, OutputChannels = 1, FilterHeight = 1, FilterWidth = 1,
                Bias = new int[] { 0 }, BiasOffset = 0, Multiplier = new int[] { 1 << 30 }, MultiplierOffset = 0, Shift = new int[] { 8 },
                ShiftOffset = 0,
                Output = output, OutputOffset = 0, OutputHeight = 1, OutputWidth = 2, OutputZeroPoint = 0,
                StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, PadTop = 0, PadLeft = 0, Groups = 1,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 127, -128 }, output);
        }

        [TestMethod]
        public void Eval_Pointwise_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                // batches, C, H, W, O, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight, groups
                Check(seed, new int[] { 1, 5, 4, 6, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1 }, 3, -7, -128, 127);
                Check(seed, new int[] { 1, 8, 5, 5, 4, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1 }, -20, 11, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_SingleChannel_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 1, 6, 7, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 0, 0, -128, 127);
                Check(seed, new int[] { 1, 1, 5, 5, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1 }, 9, -4, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_SamePadding3x3_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 17, -3, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_StrideAndAsymmetricPadding_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                // TensorFlow-style "same" with stride 2: the extra padding goes to the bottom/right.
                Check(seed, new int[] { 1, 2, 8, 9, 3, 3, 3, 2, 2, 1, 1, 0, 1, 1, 1, 1 }, -5, 6, -128, 127);
                // Different strides and pads on each side, a non-square filter.
                Check(seed, new int[] { 1, 3, 9, 7, 2, 2, 3, 3, 1, 1, 1, 2, 0, 1, 2, 1 }, 40, -40, -128, 127);
                // Stride larger than the filter.
                Check(seed, new int[] { 1, 2, 10, 10, 2, 2, 2, 3, 3, 1, 1, 0, 0, 0, 0, 1 }, 1, 2, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_Dilation_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 2, 8, 8, 3, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1 }, 12, 0, -128, 127);
                Check(seed, new int[] { 1, 3, 9, 10, 2, 2, 3, 1, 2, 2, 1, 1, 0, 2, 1, 1 }, -60, 33, -128, 127);
                Check(seed, new int[] { 1, 1, 7, 7, 2, 3, 3, 2, 2, 3, 3, 3, 3, 3, 3, 1 }, 0, 0, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_FilterLargerThanInput_MatchesReference()
        {
            // No window is wholly inside the input: every output takes the border path.
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 2, 3, 3, 2, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1 }, 25, -25, -128, 127);
                Check(seed, new int[] { 1, 1, 2, 4, 3, 3, 5, 1, 2, 1, 1, 1, 2, 1, 2, 1 }, -1, 1, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_Groups_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 4, 6, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2 }, 3, 3, -128, 127);
                Check(seed, new int[] { 1, 6, 5, 5, 9, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 3 }, -9, 2, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_Depthwise_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 3, 7, 7, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3 }, -2, 5, -128, 127);
                Check(seed, new int[] { 1, 4, 8, 6, 4, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, 4 }, 30, -30, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_DepthwiseChannelMultiplier_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 3, 6, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3 }, 4, -4, -128, 127);
                Check(seed, new int[] { 2, 2, 5, 7, 8, 2, 3, 1, 2, 2, 1, 1, 1, 0, 1, 2 }, -11, 7, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_Batches_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 3, 2, 5, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 7, 1, -128, 127);
                Check(seed, new int[] { 2, 1, 4, 4, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1 }, -3, -3, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_ExtremeZeroPoints_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                // The padding reads -128 or 127; the output zero point sits at either end.
                Check(seed, new int[] { 1, 2, 5, 5, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, -128, 127, -128, 127);
                Check(seed, new int[] { 1, 2, 5, 5, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 127, -128, -128, 127);
                Check(seed, new int[] { 1, 2, 5, 5, 2, 3, 3, 2, 2, 1, 1, 1, 2, 1, 0, 2 }, -128, -128, -128, 127);
            }
        }

        [TestMethod]
        public void Eval_ActivationRange_ClampsToIt()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                // A ReLU6-like range starting at the output zero point.
                sbyte[] output = Check(seed, new int[] { 1, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 2, -20, -20, 40);
                Assert.IsTrue(KernelTestSupport.Contains(output, -20));
                Assert.IsTrue(KernelTestSupport.Contains(output, 40));
                Assert.IsTrue(KernelTestSupport.CountBetween(output, -20, 40) > 0);
            }
        }

        [TestMethod]
        public void Eval_RandomData_SeesUnsaturatedAndSaturatedValues()
        {
            // Guards the other tests against comparing only clamped values.
            sbyte[] output = Check(1, new int[] { 1, 4, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 0, 0, -128, 127);
            Assert.IsTrue(KernelTestSupport.CountBetween(output, -128, 127) > output.Length / 2);
        }

        [TestMethod]
        public void Eval_WeightsOfMinus128_MatchReference()
        {
            // PyTorch's qint8 weights span -128..127: weights drawn from the whole range, every
            // fourth one -128, grouped, dilated and padded, the extreme zero points too.
            for (int seed = 1; seed <= 3; seed++)
            {
                Check(seed, new int[] { 1, 4, 7, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, -128, 5, -128, 127, true);
                Check(seed, new int[] { 2, 6, 8, 8, 6, 3, 3, 2, 1, 2, 2, 2, 2, 2, 2, 3 }, 127, -128, -128, 127, true);
                Check(seed, new int[] { 1, 8, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8 }, 0, 0, -128, 127, true);
            }
        }

        private static sbyte[] Check(int seed, int[] shape, int inputZeroPoint, int outputZeroPoint, int activationMin, int activationMax)
        {
            return Check(seed, shape, inputZeroPoint, outputZeroPoint, activationMin, activationMax, false);
        }

        /// <summary>
        /// Runs one random case (shape: batches, C, H, W, O, KH, KW, strideH, strideW, dilationH,
        /// dilationW, padTop, padLeft, padBottom, padRight, groups) against the reference, with every
        /// array at an offset inside a larger buffer, and returns the output. Weights are drawn from
        /// -127..127, or with minus128 from -128..127 with every fourth one -128.
        /// </summary>
        private static sbyte[] Check(int seed, int[] shape, int inputZeroPoint, int outputZeroPoint, int activationMin, int activationMax, bool minus128)
        {
            int batches = shape[0];
            int inputChannels = shape[1];
            int inputHeight = shape[2];
            int inputWidth = shape[3];
            int outputChannels = shape[4];
            int filterHeight = shape[5];
            int filterWidth = shape[6];
            int strideHeight = shape[7];
            int strideWidth = shape[8];
            int dilationHeight = shape[9];
            int dilationWidth = shape[10];
            int padTop = shape[11];
            int padLeft = shape[12];
            int padBottom = shape[13];
            int padRight = shape[14];
            int groups = shape[15];
            int outputHeight = (inputHeight + padTop + padBottom - dilationHeight * (filterHeight - 1) - 1) / strideHeight + 1;
            int outputWidth = (inputWidth + padLeft + padRight - dilationWidth * (filterWidth - 1) - 1) / strideWidth + 1;
            int inputChannelsPerGroup = inputChannels / groups;

            TestRandom random = new TestRandom(seed * 1000 + shape[1] * 31 + shape[4]);
            sbyte[] input = KernelTestSupport.RandomBytes(random, batches * inputChannels * inputHeight * inputWidth, -128, 127);
            sbyte[] filter = minus128
                ? KernelTestSupport.WithEveryFourthMinus128(KernelTestSupport.RandomBytes(random, outputChannels * inputChannelsPerGroup * filterHeight * filterWidth, -128, 127))
                : KernelTestSupport.RandomBytes(random, outputChannels * inputChannelsPerGroup * filterHeight * filterWidth, -127, 127);
            int[] bias = KernelTestSupport.RandomInts(random, outputChannels, -5000, 5000);

            int[] accumulators = ReferenceAccumulators(input, batches, inputChannels, inputHeight, inputWidth, inputZeroPoint,
                filter, outputChannels, filterHeight, filterWidth, bias, outputHeight, outputWidth,
                strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, groups);

            int outputPlaneSize = outputHeight * outputWidth;
            int[] multiplier = new int[outputChannels];
            int[] shift = new int[outputChannels];
            for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
            {
                long maxAbs = 0;
                for (int batch = 0; batch < batches; batch++)
                {
                    for (int position = 0; position < outputPlaneSize; position++)
                    {
                        long value = accumulators[(batch * outputChannels + outputChannel) * outputPlaneSize + position];
                        long magnitude = value < 0 ? -value : value;
                        maxAbs = magnitude > maxAbs ? magnitude : maxAbs;
                    }
                }

                int channelMultiplier;
                int channelShift;
                KernelTestSupport.PickMultiplier(random, maxAbs, out channelMultiplier, out channelShift);
                multiplier[outputChannel] = channelMultiplier;
                shift[outputChannel] = channelShift;
            }

            sbyte[] expected = new sbyte[accumulators.Length];
            for (int index = 0; index < accumulators.Length; index++)
            {
                int outputChannel = index / outputPlaneSize % outputChannels;
                expected[index] = KernelTestSupport.Requantize(accumulators[index], multiplier[outputChannel], shift[outputChannel],
                    outputZeroPoint, activationMin, activationMax);
            }

            sbyte[] inputBuffer = KernelTestSupport.Embed(input, 3, 2);
            sbyte[] filterBuffer = KernelTestSupport.Embed(filter, 5, 1);
            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(7 + expected.Length + 4);
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = inputBuffer, InputOffset = 3, Batches = batches, InputChannels = inputChannels, InputHeight = inputHeight,
                InputWidth = inputWidth, InputZeroPoint = inputZeroPoint,
                Filter = filterBuffer, FilterOffset = 5, OutputChannels = outputChannels, FilterHeight = filterHeight, FilterWidth = filterWidth,
                Bias = KernelTestSupport.EmbedInts(bias, 1), BiasOffset = 1, Multiplier = KernelTestSupport.EmbedInts(multiplier, 2),
                MultiplierOffset = 2, Shift = KernelTestSupport.EmbedInts(shift, 4), ShiftOffset = 4,
                Output = outputBuffer, OutputOffset = 7, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = outputZeroPoint,
                StrideHeight = strideHeight, StrideWidth = strideWidth, DilationHeight = dilationHeight, DilationWidth = dilationWidth,
                PadTop = padTop, PadLeft = padLeft, Groups = groups,
                ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 7);
            return expected;
        }

        /// <summary>
        /// acc[n, o, y, x] = bias[o] + Σ x·w over every tap, where a tap outside the input reads the
        /// input zero point; asserted to fit int32.
        /// </summary>
        private static int[] ReferenceAccumulators(sbyte[] input, int batches, int inputChannels, int inputHeight, int inputWidth, int inputZeroPoint,
            sbyte[] filter, int outputChannels, int filterHeight, int filterWidth, int[] bias, int outputHeight, int outputWidth,
            int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int padTop, int padLeft, int groups)
        {
            int inputChannelsPerGroup = inputChannels / groups;
            int outputChannelsPerGroup = outputChannels / groups;
            int[] accumulators = new int[batches * outputChannels * outputHeight * outputWidth];
            for (int batch = 0; batch < batches; batch++)
            {
                for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
                {
                    int group = outputChannel / outputChannelsPerGroup;
                    for (int outputY = 0; outputY < outputHeight; outputY++)
                    {
                        for (int outputX = 0; outputX < outputWidth; outputX++)
                        {
                            long accumulator = bias[outputChannel];
                            for (int groupChannel = 0; groupChannel < inputChannelsPerGroup; groupChannel++)
                            {
                                int inputChannel = group * inputChannelsPerGroup + groupChannel;
                                for (int filterY = 0; filterY < filterHeight; filterY++)
                                {
                                    for (int filterX = 0; filterX < filterWidth; filterX++)
                                    {
                                        int inputY = outputY * strideHeight - padTop + filterY * dilationHeight;
                                        int inputX = outputX * strideWidth - padLeft + filterX * dilationWidth;
                                        int x = inputZeroPoint;
                                        if (inputY >= 0 && inputY < inputHeight && inputX >= 0 && inputX < inputWidth)
                                        {
                                            x = input[KernelTestSupport.Index4(inputChannels, inputHeight, inputWidth, batch, inputChannel, inputY, inputX)];
                                        }

                                        int w = filter[KernelTestSupport.Index4(inputChannelsPerGroup, filterHeight, filterWidth, outputChannel, groupChannel, filterY, filterX)];
                                        accumulator += (long)x * w;
                                    }
                                }
                            }

                            Assert.IsTrue(accumulator >= int.MinValue && accumulator <= int.MaxValue);
                            accumulators[KernelTestSupport.Index4(outputChannels, outputHeight, outputWidth, batch, outputChannel, outputY, outputX)] = (int)accumulator;
                        }
                    }
                }
            }

            return accumulators;
        }
    }
}

using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// MaxPoolKernel, AveragePoolKernel and GlobalAveragePoolKernel against plain references that
    /// visit every window position and check its bounds.
    /// </summary>
    [TestClass]
    public class PoolingKernelTests
    {
        [TestMethod]
        public void MaxPoolEval_KnownNumbers_GivesWindowMaxima()
        {
            // 4x4 input 0..15, 2x2 windows, stride 2.
            sbyte[] input = new sbyte[16];
            for (int index = 0; index < 16; index++)
            {
                input[index] = (sbyte)index;
            }

            sbyte[] output = new sbyte[4];
            MaxPoolKernel.Eval(new MaxPoolOperator
            {
                Input = input, InputOffset = 0, Batches = 1, Channels = 1, InputHeight = 4, InputWidth = 4, Output = output,
                OutputOffset = 0, OutputHeight = 2, OutputWidth = 2, KernelHeight = 2, KernelWidth = 2, StrideHeight = 2, StrideWidth = 2,
                DilationHeight = 1, DilationWidth = 1, PadTop = 0, PadLeft = 0, ActivationMin = -128, ActivationMax = 127,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 5, 7, 13, 15 }, output);
        }

        [TestMethod]
        public void MaxPoolEval_NegativeInputWithPadding_PaddingNeverWins()
        {
            sbyte[] input = new sbyte[] { -100, -100, -100, -100, -100, -100, -100, -100, -100 };
            sbyte[] output = new sbyte[9];
            MaxPoolKernel.Eval(new MaxPoolOperator
            {
                Input = input, InputOffset = 0, Batches = 1, Channels = 1, InputHeight = 3, InputWidth = 3, Output = output,
                OutputOffset = 0, OutputHeight = 3, OutputWidth = 3, KernelHeight = 3, KernelWidth = 3, StrideHeight = 1, StrideWidth = 1,
                DilationHeight = 1, DilationWidth = 1, PadTop = 1, PadLeft = 1, ActivationMin = -128, ActivationMax = 127,
            });

            KernelTestSupport.AssertEqual(input, output);
        }

        [TestMethod]
        public void MaxPoolEval_StridePaddingDilation_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                // batches, channels, H, W, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight
                CheckMaxPool(seed, new int[] { 1, 2, 8, 8, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0 }, -128, 127);
                CheckMaxPool(seed, new int[] { 1, 3, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 }, -128, 127);
                CheckMaxPool(seed, new int[] { 1, 2, 9, 8, 3, 2, 2, 3, 1, 1, 0, 1, 2, 1 }, -128, 127);
                CheckMaxPool(seed, new int[] { 1, 1, 9, 9, 3, 3, 1, 2, 2, 2, 2, 1, 2, 1 }, -128, 127);
                CheckMaxPool(seed, new int[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0 }, -128, 127);

                // The straight-line windows: 2x2 at stride 2 over odd sizes (the last row and column
                // left out), 1x2 at stride 2 along rows (1-D pooling; even widths are one run over
                // every row), with and without a clamp.
                CheckMaxPool(seed, new int[] { 2, 3, 7, 9, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0 }, -128, 127);
                CheckMaxPool(seed, new int[] { 1, 4, 1, 11, 1, 2, 1, 2, 1, 1, 0, 0, 0, 0 }, -128, 127);
                CheckMaxPool(seed, new int[] { 2, 3, 2, 12, 1, 2, 1, 2, 1, 1, 0, 0, 0, 0 }, -128, 127);
                CheckMaxPool(seed, new int[] { 2, 2, 3, 10, 1, 2, 1, 2, 1, 1, 0, 0, 0, 0 }, -30, 40);
                CheckMaxPool(seed, new int[] { 1, 2, 6, 6, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0 }, -10, 20);
                // Padding below and right (ceil-mode pooling): the last windows reach past the input,
                // which only the clipped search handles.
                CheckMaxPool(seed, new int[] { 1, 2, 5, 7, 2, 2, 2, 2, 1, 1, 0, 0, 1, 1 }, -128, 127);
                CheckMaxPool(seed, new int[] { 1, 3, 1, 9, 1, 2, 1, 2, 1, 1, 0, 0, 0, 1 }, -128, 127);
            }
        }

        [TestMethod]
        public void MaxPoolEval_BatchesAndClamp_MatchReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                sbyte[] output = CheckMaxPool(seed, new int[] { 3, 2, 6, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1 }, -20, 60);
                Assert.IsTrue(KernelTestSupport.Contains(output, 60));
                Assert.IsTrue(KernelTestSupport.CountBetween(output, -20, 60) > 0);
            }

            // All-negative input with a lower bound above it: every output is the bound.
            sbyte[] clamped = CheckMaxPool(4, new int[] { 1, 1, 4, 4, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0 }, 0, 127, -128, -1);
            KernelTestSupport.AssertEqual(new sbyte[] { 0, 0, 0, 0 }, clamped);
        }

        [TestMethod]
        public void AveragePoolEval_KnownNumbers_CountIncludePadChangesTheDivisor()
        {
            // 2x2 input of 8s, 3x3 windows, padding 1 all round: every window holds the 4 inputs.
            // Without the padding in the count the average is 8; with it, 32 / 9 = 3.56 rounds to 4.
            sbyte[] input = new sbyte[] { 8, 8, 8, 8 };
            int[] multiplier = new int[9];
            int[] shift = new int[9];
            FillReciprocalTable(1, 1, 9, multiplier, shift);
            sbyte[] excluded = new sbyte[4];
            sbyte[] included = new sbyte[4];
            AveragePoolKernel.Eval(new AveragePoolOperator
            {
                Input = input, InputOffset = 0, Batches = 1, Channels = 1, InputHeight = 2, InputWidth = 2, InputZeroPoint = 0,
                Output = excluded, OutputOffset = 0, OutputHeight = 2, OutputWidth = 2, OutputZeroPoint = 0, KernelHeight = 3,
                KernelWidth = 3, StrideHeight = 1, StrideWidth = 1, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1,
                CountIncludePad = false, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });
            AveragePoolKernel.Eval(new AveragePoolOperator
            {
                Input = input, InputOffset = 0, Batches = 1, Channels = 1, InputHeight = 2, InputWidth = 2, InputZeroPoint = 0,
                Output = included, OutputOffset = 0, OutputHeight = 2, OutputWidth = 2, OutputZeroPoint = 0, KernelHeight = 3,
                KernelWidth = 3, StrideHeight = 1, StrideWidth = 1, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1,
                CountIncludePad = true, Multiplier = multiplier, MultiplierOffset = 0, Shift = shift, ShiftOffset = 0, ActivationMin = -128,
                ActivationMax = 127, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 8, 8, 8, 8 }, excluded);
            KernelTestSupport.AssertEqual(new sbyte[] { 4, 4, 4, 4 }, included);
        }

        [TestMethod]
        public void AveragePoolEval_ExcludePad_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                // batches, channels, H, W, KH, KW, strideH, strideW, padTop, padLeft, padBottom, padRight
                CheckAveragePool(seed, new int[] { 1, 2, 6, 6, 2, 2, 2, 2, 0, 0, 0, 0 }, false, 1, 1, 0, 0);
                CheckAveragePool(seed, new int[] { 1, 3, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1 }, false, 1, 1, -5, 7);
                CheckAveragePool(seed, new int[] { 1, 2, 8, 9, 3, 3, 2, 2, 0, 0, 1, 2 }, false, 3, 2, 20, -20);
                CheckAveragePool(seed, new int[] { 1, 1, 7, 8, 2, 3, 1, 2, 1, 1, 1, 0 }, false, 5, 7, 0, 3);
            }
        }

        [TestMethod]
        public void AveragePoolEval_IncludePad_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckAveragePool(seed, new int[] { 1, 3, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1 }, true, 1, 1, -5, 7);
                // Extra bottom/right padding (ceil mode): windows there leave the padded input.
                CheckAveragePool(seed, new int[] { 1, 2, 8, 9, 3, 3, 2, 2, 0, 0, 1, 2 }, true, 3, 2, 20, -20);
                CheckAveragePool(seed, new int[] { 1, 1, 7, 8, 2, 3, 1, 2, 1, 1, 1, 0 }, true, 5, 7, 0, 3);
            }
        }

        [TestMethod]
        public void AveragePoolEval_BatchesAndExtremeZeroPoints_MatchReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckAveragePool(seed, new int[] { 2, 3, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1 }, false, 1, 1, -128, 127);
                CheckAveragePool(seed, new int[] { 2, 3, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1 }, true, 2, 1, 127, -128);
            }
        }

        [TestMethod]
        public void AveragePoolEval_ScaleChange_SaturatesAndClamps()
        {
            // Doubling the scale pushes averages past int8; the activation range cuts them further.
            sbyte[] output = CheckAveragePool(3, new int[] { 1, 2, 6, 6, 2, 2, 1, 1, 0, 0, 0, 0 }, false, 2, 1, 0, 0, -100, 90);
            Assert.IsTrue(KernelTestSupport.Contains(output, -100));
            Assert.IsTrue(KernelTestSupport.Contains(output, 90));
            Assert.IsTrue(KernelTestSupport.CountBetween(output, -100, 90) > 0);
        }

        [TestMethod]
        public void GlobalAveragePoolEval_KnownNumbers_RoundsHalfToEven()
        {
            // (1 + 2 + 3 + 4) / 4 = 2.5 rounds to 2; (2 + 3 + 4 + 5) / 4 = 3.5 rounds to 4.
            sbyte[] output = new sbyte[2];
            GlobalAveragePoolKernel.Eval(new GlobalAveragePoolOperator
            {
                Input = new sbyte[] { 1, 2, 3, 4, 2, 3, 4, 5 }, InputOffset = 0, Batches = 1, Channels = 2, SpatialSize = 4,
                InputZeroPoint = 0, Output = output, OutputOffset = 0, OutputZeroPoint = 0, Multiplier = 1 << 30, Shift = -1,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            Assert.AreEqual((sbyte)2, output[0]);
            Assert.AreEqual((sbyte)4, output[1]);
        }

        [TestMethod]
        public void GlobalAveragePoolEval_Random_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckGlobalAveragePool(seed, 2, 3, 7, 1, 1, 4, -4, -128, 127);
                CheckGlobalAveragePool(seed, 1, 5, 49, 3, 2, -128, 127, -128, 127);
                CheckGlobalAveragePool(seed, 3, 1, 1, 1, 1, 127, -128, -128, 127);
                CheckGlobalAveragePool(seed, 1, 8, 16, 4, 1, 0, 0, -10, 10);
            }
        }

        private static sbyte[] CheckMaxPool(int seed, int[] shape, int activationMin, int activationMax)
        {
            return CheckMaxPool(seed, shape, activationMin, activationMax, -128, 127);
        }

        private static sbyte[] CheckMaxPool(int seed, int[] shape, int activationMin, int activationMax, int inputMin, int inputMax)
        {
            int batches = shape[0];
            int channels = shape[1];
            int inputHeight = shape[2];
            int inputWidth = shape[3];
            int kernelHeight = shape[4];
            int kernelWidth = shape[5];
            int strideHeight = shape[6];
            int strideWidth = shape[7];
            int dilationHeight = shape[8];
            int dilationWidth = shape[9];
            int padTop = shape[10];
            int padLeft = shape[11];
            int outputHeight = (inputHeight + padTop + shape[12] - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1;
            int outputWidth = (inputWidth + padLeft + shape[13] - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1;

            TestRandom random = new TestRandom(seed * 31337 + inputHeight * 17 + kernelWidth);
            sbyte[] input = KernelTestSupport.RandomBytes(random, batches * channels * inputHeight * inputWidth, inputMin, inputMax);
            sbyte[] expected = new sbyte[batches * channels * outputHeight * outputWidth];
            for (int batch = 0; batch < batches; batch++)
            {
                for (int channel = 0; channel < channels; channel++)
                {
                    for (int outputY = 0; outputY < outputHeight; outputY++)
                    {
                        for (int outputX = 0; outputX < outputWidth; outputX++)
                        {
                            int maximum = -128;
                            for (int kernelY = 0; kernelY < kernelHeight; kernelY++)
                            {
                                for (int kernelX = 0; kernelX < kernelWidth; kernelX++)
                                {
                                    int inputY = outputY * strideHeight - padTop + kernelY * dilationHeight;
                                    int inputX = outputX * strideWidth - padLeft + kernelX * dilationWidth;
                                    if (inputY >= 0 && inputY < inputHeight && inputX >= 0 && inputX < inputWidth)
                                    {
                                        int value = input[KernelTestSupport.Index4(channels, inputHeight, inputWidth, batch, channel, inputY, inputX)];
                                        maximum = value > maximum ? value : maximum;
                                    }
                                }
                            }

                            expected[KernelTestSupport.Index4(channels, outputHeight, outputWidth, batch, channel, outputY, outputX)] =
                                (sbyte)KernelTestSupport.Clamp(maximum, activationMin, activationMax);
                        }
                    }
                }
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(expected.Length + 7);
            MaxPoolKernel.Eval(new MaxPoolOperator
            {
                Input = KernelTestSupport.Embed(input, 6, 2), InputOffset = 6, Batches = batches, Channels = channels,
                InputHeight = inputHeight, InputWidth = inputWidth,
                Output = outputBuffer, OutputOffset = 4, OutputHeight = outputHeight, OutputWidth = outputWidth,
                KernelHeight = kernelHeight, KernelWidth = kernelWidth, StrideHeight = strideHeight, StrideWidth = strideWidth,
                DilationHeight = dilationHeight, DilationWidth = dilationWidth, PadTop = padTop, PadLeft = padLeft,
                ActivationMin = activationMin, ActivationMax = activationMax,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 4);
            return expected;
        }

        private static sbyte[] CheckAveragePool(int seed, int[] shape, bool countIncludePad, int scaleNumerator, int scaleDenominator,
            int inputZeroPoint, int outputZeroPoint)
        {
            return CheckAveragePool(seed, shape, countIncludePad, scaleNumerator, scaleDenominator, inputZeroPoint, outputZeroPoint, -128, 127);
        }

        /// <summary>
        /// One random AveragePool case; inputScale / outputScale is scaleNumerator / scaleDenominator and
        /// the multiplier table holds that ratio divided by each count, as the host stores it.
        /// </summary>
        private static sbyte[] CheckAveragePool(int seed, int[] shape, bool countIncludePad, int scaleNumerator, int scaleDenominator,
            int inputZeroPoint, int outputZeroPoint, int activationMin, int activationMax)
        {
            int batches = shape[0];
            int channels = shape[1];
            int inputHeight = shape[2];
            int inputWidth = shape[3];
            int kernelHeight = shape[4];
            int kernelWidth = shape[5];
            int strideHeight = shape[6];
            int strideWidth = shape[7];
            int padTop = shape[8];
            int padLeft = shape[9];
            int padBottom = shape[10];
            int padRight = shape[11];
            int outputHeight = (inputHeight + padTop + padBottom - kernelHeight) / strideHeight + 1;
            int outputWidth = (inputWidth + padLeft + padRight - kernelWidth) / strideWidth + 1;
            int[] multiplier = new int[kernelHeight * kernelWidth];
            int[] shift = new int[kernelHeight * kernelWidth];
            FillReciprocalTable(scaleNumerator, scaleDenominator, kernelHeight * kernelWidth, multiplier, shift);

            TestRandom random = new TestRandom(seed * 7727 + inputWidth * 13 + kernelHeight);
            sbyte[] input = KernelTestSupport.RandomBytes(random, batches * channels * inputHeight * inputWidth, -128, 127);
            sbyte[] expected = new sbyte[batches * channels * outputHeight * outputWidth];
            for (int batch = 0; batch < batches; batch++)
            {
                for (int channel = 0; channel < channels; channel++)
                {
                    for (int outputY = 0; outputY < outputHeight; outputY++)
                    {
                        for (int outputX = 0; outputX < outputWidth; outputX++)
                        {
                            long sum = 0;
                            int insideCount = 0;
                            int paddedCount = 0;
                            for (int kernelY = 0; kernelY < kernelHeight; kernelY++)
                            {
                                for (int kernelX = 0; kernelX < kernelWidth; kernelX++)
                                {
                                    int inputY = outputY * strideHeight - padTop + kernelY;
                                    int inputX = outputX * strideWidth - padLeft + kernelX;
                                    if (inputY >= 0 && inputY < inputHeight && inputX >= 0 && inputX < inputWidth)
                                    {
                                        sum += input[KernelTestSupport.Index4(channels, inputHeight, inputWidth, batch, channel, inputY, inputX)] - inputZeroPoint;
                                        insideCount++;
                                    }

                                    if (inputY >= -padTop && inputY < inputHeight + padBottom && inputX >= -padLeft && inputX < inputWidth + padRight)
                                    {
                                        paddedCount++;
                                    }
                                }
                            }

                            int count = countIncludePad ? paddedCount : insideCount;
                            expected[KernelTestSupport.Index4(channels, outputHeight, outputWidth, batch, channel, outputY, outputX)] =
                                KernelTestSupport.Requantize(sum, multiplier[count - 1], shift[count - 1], outputZeroPoint, activationMin, activationMax);
                        }
                    }
                }
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(expected.Length + 4);
            AveragePoolKernel.Eval(new AveragePoolOperator
            {
                Input = KernelTestSupport.Embed(input, 2, 3), InputOffset = 2, Batches = batches, Channels = channels,
                InputHeight = inputHeight, InputWidth = inputWidth, InputZeroPoint = inputZeroPoint,
                Output = outputBuffer, OutputOffset = 3, OutputHeight = outputHeight, OutputWidth = outputWidth, OutputZeroPoint = outputZeroPoint,
                KernelHeight = kernelHeight, KernelWidth = kernelWidth, StrideHeight = strideHeight, StrideWidth = strideWidth,
                PadTop = padTop, PadLeft = padLeft, PadBottom = padBottom, PadRight = padRight,
                CountIncludePad = countIncludePad, Multiplier = KernelTestSupport.EmbedInts(multiplier, 5), MultiplierOffset = 5,
                Shift = KernelTestSupport.EmbedInts(shift, 1), ShiftOffset = 1, ActivationMin = activationMin,
                ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
            return expected;
        }

        private static void CheckGlobalAveragePool(int seed, int batches, int channels, int spatialSize, int scaleNumerator, int scaleDenominator,
            int inputZeroPoint, int outputZeroPoint, int activationMin, int activationMax)
        {
            int multiplier;
            int shift;
            KernelTestSupport.QuantizeRatio(scaleNumerator, (long)scaleDenominator * spatialSize, out multiplier, out shift);
            TestRandom random = new TestRandom(seed * 65537 + spatialSize);
            sbyte[] input = KernelTestSupport.RandomBytes(random, batches * channels * spatialSize, -128, 127);
            sbyte[] expected = new sbyte[batches * channels];
            for (int plane = 0; plane < batches * channels; plane++)
            {
                long sum = 0;
                for (int position = 0; position < spatialSize; position++)
                {
                    sum += input[plane * spatialSize + position] - inputZeroPoint;
                }

                expected[plane] = KernelTestSupport.Requantize(sum, multiplier, shift, outputZeroPoint, activationMin, activationMax);
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(expected.Length + 3);
            GlobalAveragePoolKernel.Eval(new GlobalAveragePoolOperator
            {
                Input = KernelTestSupport.Embed(input, 1, 1), InputOffset = 1, Batches = batches, Channels = channels,
                SpatialSize = spatialSize, InputZeroPoint = inputZeroPoint,
                Output = outputBuffer, OutputOffset = 2, OutputZeroPoint = outputZeroPoint, Multiplier = multiplier, Shift = shift,
                ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
        }

        /// <summary>multiplier[count - 1], shift[count - 1] for (numerator / denominator) / count, count = 1 .. counts.</summary>
        private static void FillReciprocalTable(int numerator, int denominator, int counts, int[] multiplier, int[] shift)
        {
            for (int count = 1; count <= counts; count++)
            {
                int countMultiplier;
                int countShift;
                KernelTestSupport.QuantizeRatio(numerator, (long)denominator * count, out countMultiplier, out countShift);
                multiplier[count - 1] = countMultiplier;
                shift[count - 1] = countShift;
            }
        }
    }
}

using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 2-D convolution over NCHW tensors, grouped and depthwise (any channel multiplier)
    /// included: TensorFlow Lite Micro's reference_integer_ops ConvPerChannel and
    /// DepthwiseConvPerChannel, with the input zero point folded into the bias on the host
    /// (docs/model-format.md, "Conv2D").
    /// </summary>
    /// <remarks>
    /// The output is split into an interior, where every filter tap lands inside the input, and a
    /// border. The interior loop has no bounds checks and no zero-point arithmetic. The border clips
    /// each window to the input and adds the padding's contribution in one step: with the folded bias
    /// b', padded taps read x = zi, so
    /// acc = b' + Σ_inside x·w + zi·Σ_padding w = (b' + zi·Σ_all w) + Σ_inside (x - zi)·w,
    /// and the bracket is computed once per output channel.
    /// The accumulator is int32, as in TFLM. The reader limits a window to 65535 taps and the bias
    /// to ±2^30, and |x·w| ≤ 2^14, so the accumulator cannot overflow. The border form's partial
    /// sums (b' + zi·Σ_all w and the running sum of (x - zi)·w) may leave int32 on the way, but int32
    /// arithmetic wraps modulo 2^32 on .NET and on nanoCLR alike, so the final value is exact.
    /// </remarks>
    public static class Conv2DKernel
    {
        /// <summary>
        /// Computes output[n, o, y, x] = clamp(zo + MBQM(bias[o] + Σ x·w, multiplier[o], shift[o])).
        /// The filter is [outputChannels, inputChannels / groups, filterHeight, filterWidth]; output
        /// channel o reads the input channels of group o / (outputChannels / groups). Padding is
        /// given by padTop and padLeft; the caller's output size fixes the bottom and right padding.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="Conv2DOperator"/>), read once.</param>
        public static void Eval(Conv2DOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int inputChannels = op.InputChannels;
            int inputHeight = op.InputHeight;
            int inputWidth = op.InputWidth;
            int inputZeroPoint = op.InputZeroPoint;
            sbyte[] filter = op.Filter;
            int filterOffset = op.FilterOffset;
            int outputChannels = op.OutputChannels;
            int filterHeight = op.FilterHeight;
            int filterWidth = op.FilterWidth;
            int[] bias = op.Bias;
            int biasOffset = op.BiasOffset;
            int[] multiplier = op.Multiplier;
            int multiplierOffset = op.MultiplierOffset;
            int[] shift = op.Shift;
            int shiftOffset = op.ShiftOffset;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputHeight = op.OutputHeight;
            int outputWidth = op.OutputWidth;
            int outputZeroPoint = op.OutputZeroPoint;
            int strideHeight = op.StrideHeight;
            int strideWidth = op.StrideWidth;
            int dilationHeight = op.DilationHeight;
            int dilationWidth = op.DilationWidth;
            int padTop = op.PadTop;
            int padLeft = op.PadLeft;
            int groups = op.Groups;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

            int inputPlaneSize = inputHeight * inputWidth;
            int inputBatchSize = inputChannels * inputPlaneSize;
            int inputChannelsPerGroup = inputChannels / groups;
            int outputChannelsPerGroup = outputChannels / groups;
            int filterTaps = filterHeight * filterWidth;
            int filterSize = inputChannelsPerGroup * filterTaps;
            int dilatedRowStep = dilationHeight * inputWidth;
            bool pointwise = filterTaps == 1;

            // Output rows y with 0 <= y·strideHeight - padTop and
            // y·strideHeight - padTop + (filterHeight - 1)·dilationHeight <= inputHeight - 1 see only
            // real input; likewise columns. Outside [interiorTop, interiorBottom) × [interiorLeft,
            // interiorRight) the border path clips the window.
            int interiorTop = (padTop + strideHeight - 1) / strideHeight;
            int interiorBottom = WindowBounds.InteriorEnd(inputHeight, padTop, filterHeight, dilationHeight, strideHeight, outputHeight);
            int interiorLeft = (padLeft + strideWidth - 1) / strideWidth;
            int interiorRight = WindowBounds.InteriorEnd(inputWidth, padLeft, filterWidth, dilationWidth, strideWidth, outputWidth);

            int outputIndex = outputOffset;
            for (int batch = 0; batch < batches; batch++)
            {
                int inputBatchStart = inputOffset + batch * inputBatchSize;
                for (int outputChannel = 0; outputChannel < outputChannels; outputChannel++)
                {
                    int group = outputChannel / outputChannelsPerGroup;
                    int inputGroupStart = inputBatchStart + group * inputChannelsPerGroup * inputPlaneSize;
                    int filterStart = filterOffset + outputChannel * filterSize;
                    int filterEnd = filterStart + filterSize;
                    int channelBias = bias[biasOffset + outputChannel];
                    int channelMultiplier = multiplier[multiplierOffset + outputChannel];
                    int channelShift = shift[shiftOffset + outputChannel];

                    int filterSum = 0;
                    for (int filterIndex = filterStart; filterIndex < filterEnd; filterIndex++)
                    {
                        filterSum += filter[filterIndex];
                    }

                    int borderBias = channelBias + inputZeroPoint * filterSum;

                    for (int outputY = 0; outputY < outputHeight; outputY++)
                    {
                        int inputYOrigin = outputY * strideHeight - padTop;
                        bool interiorRow = outputY >= interiorTop && outputY < interiorBottom;
                        int filterYStart = WindowBounds.FirstInside(inputYOrigin, dilationHeight);
                        int filterYEnd = WindowBounds.EndInside(inputYOrigin, inputHeight, filterHeight, dilationHeight);

                        for (int outputX = 0; outputX < outputWidth; outputX++)
                        {
                            int inputXOrigin = outputX * strideWidth - padLeft;
                            int accumulator;
                            if (interiorRow && outputX >= interiorLeft && outputX < interiorRight)
                            {
                                accumulator = channelBias;
#if NANOINT8_COUNTERS
                                RuntimeCounters.AddMultiplyAccumulates(filterSize);
#endif
                                int windowStart = inputGroupStart + inputYOrigin * inputWidth + inputXOrigin;
                                if (pointwise)
                                {
                                    // 1x1 filters: one tap per input channel, the channels a plane apart.
                                    int inputIndex = windowStart;
                                    for (int filterIndex = filterStart; filterIndex < filterEnd; filterIndex++)
                                    {
                                        accumulator += input[inputIndex] * filter[filterIndex];
                                        inputIndex += inputPlaneSize;
                                    }
                                }
                                else
                                {
                                    int filterIndex = filterStart;
                                    int channelWindowStart = windowStart;
                                    for (int channel = 0; channel < inputChannelsPerGroup; channel++)
                                    {
                                        int rowStart = channelWindowStart;
                                        for (int filterY = 0; filterY < filterHeight; filterY++)
                                        {
                                            int inputIndex = rowStart;
                                            int filterRowEnd = filterIndex + filterWidth;
                                            while (filterIndex < filterRowEnd)
                                            {
                                                accumulator += input[inputIndex] * filter[filterIndex];
                                                inputIndex += dilationWidth;
                                                filterIndex++;
                                            }

                                            rowStart += dilatedRowStep;
                                        }

                                        channelWindowStart += inputPlaneSize;
                                    }
                                }
                            }
                            else
                            {
                                accumulator = borderBias;
                                int filterXStart = WindowBounds.FirstInside(inputXOrigin, dilationWidth);
                                int filterXEnd = WindowBounds.EndInside(inputXOrigin, inputWidth, filterWidth, dilationWidth);
                                if (filterXStart < filterXEnd && filterYStart < filterYEnd)
                                {
                                    int clippedWidth = filterXEnd - filterXStart;
#if NANOINT8_COUNTERS
                                    RuntimeCounters.AddMultiplyAccumulates(clippedWidth * (filterYEnd - filterYStart) * inputChannelsPerGroup);
#endif
                                    int firstInputRow = inputGroupStart + (inputYOrigin + filterYStart * dilationHeight) * inputWidth
                                        + inputXOrigin + filterXStart * dilationWidth;
                                    int firstFilterRow = filterStart + filterYStart * filterWidth + filterXStart;
                                    for (int channel = 0; channel < inputChannelsPerGroup; channel++)
                                    {
                                        int inputRowStart = firstInputRow + channel * inputPlaneSize;
                                        int filterRowStart = firstFilterRow + channel * filterTaps;
                                        for (int filterY = filterYStart; filterY < filterYEnd; filterY++)
                                        {
                                            int inputIndex = inputRowStart;
                                            int filterIndex = filterRowStart;
                                            int filterRowEnd = filterRowStart + clippedWidth;
                                            while (filterIndex < filterRowEnd)
                                            {
                                                accumulator += (input[inputIndex] - inputZeroPoint) * filter[filterIndex];
                                                inputIndex += dilationWidth;
                                                filterIndex++;
                                            }

                                            inputRowStart += dilatedRowStep;
                                            filterRowStart += filterWidth;
                                        }
                                    }
                                }
                            }

                            int value = outputZeroPoint + Requantization.Apply(accumulator, channelMultiplier, channelShift, mode);
                            if (value < activationMin)
                            {
                                value = activationMin;
                            }
                            else if (value > activationMax)
                            {
                                value = activationMax;
                            }

                            output[outputIndex] = (sbyte)value;
                            outputIndex++;
                        }
                    }
                }
            }
        }
    }
}

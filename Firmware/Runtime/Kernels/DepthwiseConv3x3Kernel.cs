using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 depthwise 3x3 convolution (groups = input channels = output channels, dilation 1, any
    /// stride and padding) with the nine taps of a channel held in locals (issue 7): the same result
    /// as <see cref="Conv2DKernel"/>, bit for bit, in fewer interpreted IL instructions per
    /// multiply-accumulate.
    /// </summary>
    /// <remarks>
    /// Why not packed: a depthwise filter has one input channel per output channel, so the channel
    /// pairs of <see cref="Conv2DPackedKernel"/> do not exist, and packing pairs of adjacent taps
    /// costs a pass over the whole padded input per layer, as much as it saves at stride 2. Here the
    /// filter stays int8 (the Conv2D operands and parameters, docs/model-format.md code 17) and the
    /// work per channel is hoisted out of the position loop: the nine weights, the bias and, in the
    /// q31 mode, the rounding terms of FixedPoint.MultiplyByQuantizedMultiplier (the same formula
    /// inline, without the two calls and the mode dispatch). Interior positions (the whole window
    /// inside the input) take one straight-line sum of nine products; border positions clip the
    /// window as Conv2DKernel does: acc = (b' + zi·Σ_all w) + Σ_inside (x - zi)·w. Overflow: nine
    /// products |x·w| ≤ 2^14 and the reader's ±2^30 bias keep the interior accumulator in int32;
    /// the border form wraps modulo 2^32 exactly as Conv2DKernel's does.
    /// </remarks>
    public static class DepthwiseConv3x3Kernel
    {
        /// <summary>Filter height and width the kernel takes.</summary>
        public const int FilterSize = 3;

        /// <summary>
        /// Computes output[n, c, y, x] = clamp(zo + MBQM(bias[c] + Σ x·w, multiplier[c], shift[c]))
        /// over input channel c alone, the filter [C, 1, 3, 3]. Padding is given by padTop and
        /// padLeft; the caller's output size fixes the bottom and right padding.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="DepthwiseConv3x3Operator"/>), read once.</param>
        public static void Eval(DepthwiseConv3x3Operator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int channels = op.InputChannels;
            int inputHeight = op.InputHeight;
            int inputWidth = op.InputWidth;
            int inputZeroPoint = op.InputZeroPoint;
            sbyte[] filter = op.Filter;
            int filterOffset = op.FilterOffset;
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
            int padTop = op.PadTop;
            int padLeft = op.PadLeft;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

            int inputPlane = inputHeight * inputWidth;
            int outputPlane = outputHeight * outputWidth;
            bool q31 = mode == Requantization.Q31;

            // Rows y with 0 <= y·strideHeight - padTop and y·strideHeight - padTop + 2 <= H - 1 see
            // only real input; likewise columns.
            int interiorTop = (padTop + strideHeight - 1) / strideHeight;
            int interiorBottom = WindowBounds.InteriorEnd(inputHeight, padTop, FilterSize, 1, strideHeight, outputHeight);
            int interiorLeft = (padLeft + strideWidth - 1) / strideWidth;
            int interiorRight = WindowBounds.InteriorEnd(inputWidth, padLeft, FilterSize, 1, strideWidth, outputWidth);

            for (int batch = 0; batch < batches; batch++)
            {
                for (int channel = 0; channel < channels; channel++)
                {
#if NANOINT8_COUNTERS
                    RuntimeCounters.AddMultiplyAccumulates(outputPlane * FilterSize * FilterSize);
#endif
                    int planeStart = inputOffset + (batch * channels + channel) * inputPlane;
                    int outputIndex = outputOffset + (batch * channels + channel) * outputPlane;
                    int taps = filterOffset + channel * FilterSize * FilterSize;
                    int weight0 = filter[taps];
                    int weight1 = filter[taps + 1];
                    int weight2 = filter[taps + 2];
                    int weight3 = filter[taps + 3];
                    int weight4 = filter[taps + 4];
                    int weight5 = filter[taps + 5];
                    int weight6 = filter[taps + 6];
                    int weight7 = filter[taps + 7];
                    int weight8 = filter[taps + 8];
                    int channelBias = bias[biasOffset + channel];
                    int borderBias = channelBias + inputZeroPoint
                        * (weight0 + weight1 + weight2 + weight3 + weight4 + weight5 + weight6 + weight7 + weight8);
                    int channelMultiplier = multiplier[multiplierOffset + channel];
                    int channelShift = shift[shiftOffset + channel];

                    // FixedPoint.MultiplyByQuantizedMultiplier's per-pair terms (used in the q31 mode).
                    long wideMultiplier = channelMultiplier;
                    int totalShift = 31 - channelShift;
                    long half = 1L << (totalShift - 1);
                    long tieMask = (half << 1) - 1;

                    for (int outputY = 0; outputY < outputHeight; outputY++)
                    {
                        int originY = outputY * strideHeight - padTop;
                        bool interiorRow = outputY >= interiorTop && outputY < interiorBottom;
                        int outputX = 0;
                        while (outputX < outputWidth)
                        {
                            int accumulator;
                            int originX = outputX * strideWidth - padLeft;
                            if (interiorRow && outputX == interiorLeft && interiorLeft < interiorRight)
                            {
                                // The interior of the row: nine products a position, weights in locals.
                                int row0 = planeStart + originY * inputWidth + originX;
                                int row1 = row0 + inputWidth;
                                int row2 = row1 + inputWidth;
                                int index = outputIndex + outputX;
                                int indexEnd = outputIndex + interiorRight;
                                while (index < indexEnd)
                                {
                                    accumulator = channelBias
                                        + input[row0] * weight0 + input[row0 + 1] * weight1 + input[row0 + 2] * weight2
                                        + input[row1] * weight3 + input[row1 + 1] * weight4 + input[row1 + 2] * weight5
                                        + input[row2] * weight6 + input[row2 + 1] * weight7 + input[row2 + 2] * weight8;
                                    int interiorValue;
                                    if (q31)
                                    {
                                        long product = accumulator * wideMultiplier;
                                        long rounded = (product + half) >> totalShift;
                                        if ((product & tieMask) == half && (rounded & 1) != 0)
                                        {
                                            rounded--;
                                        }

                                        interiorValue = outputZeroPoint + (int)rounded;
                                    }
                                    else
                                    {
                                        interiorValue = outputZeroPoint + Requantization.Apply(accumulator, channelMultiplier, channelShift, mode);
                                    }

                                    output[index] = (sbyte)(interiorValue < activationMin ? activationMin
                                        : interiorValue > activationMax ? activationMax : interiorValue);
                                    row0 += strideWidth;
                                    row1 += strideWidth;
                                    row2 += strideWidth;
                                    index++;
                                }

                                outputX = interiorRight;
                                continue;
                            }

                            // A border position: the window clipped to the input, the padding's taps
                            // in borderBias (see the class).
                            accumulator = borderBias;
                            int firstX = WindowBounds.FirstInside(originX, 1);
                            int endX = WindowBounds.EndInside(originX, inputWidth, FilterSize, 1);
                            int endY = WindowBounds.EndInside(originY, inputHeight, FilterSize, 1);
                            for (int filterY = WindowBounds.FirstInside(originY, 1); filterY < endY; filterY++)
                            {
                                int inputRow = planeStart + (originY + filterY) * inputWidth + originX;
                                int tapRow = taps + filterY * FilterSize;
                                for (int filterX = firstX; filterX < endX; filterX++)
                                {
                                    accumulator += (input[inputRow + filterX] - inputZeroPoint) * filter[tapRow + filterX];
                                }
                            }

                            int value = outputZeroPoint + Requantization.Apply(accumulator, channelMultiplier, channelShift, mode);
                            output[outputIndex + outputX] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);
                            outputX++;
                        }

                        outputIndex += outputWidth;
                    }
                }
            }
        }
    }
}

using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 max pooling over NCHW tensors: TensorFlow Lite Micro's reference_integer_ops MaxPool,
    /// with ONNX's dilation (docs/model-format.md, "MaxPool"). Input and output share their
    /// quantization, so no rescaling is needed. The windows of 2x2 and 1x2 pooling with stride
    /// equal to the window and no dilation, all inside the input (the usual downsampling, issue 15),
    /// are read with straight-line code, without the clamp when the range is all of int8; every
    /// other window is clipped to the input and searched.
    /// </summary>
    public static class MaxPoolKernel
    {
        /// <summary>
        /// Computes output[n, c, y, x] = clamp(max of the window positions that lie inside the input);
        /// padding never wins. Each window is clipped to the input once, so the inner loop has no
        /// bounds checks.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="MaxPoolOperator"/>), read once.</param>
        public static void Eval(MaxPoolOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int channels = op.Channels;
            int inputHeight = op.InputHeight;
            int inputWidth = op.InputWidth;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputHeight = op.OutputHeight;
            int outputWidth = op.OutputWidth;
            int kernelHeight = op.KernelHeight;
            int kernelWidth = op.KernelWidth;
            int strideHeight = op.StrideHeight;
            int strideWidth = op.StrideWidth;
            int dilationHeight = op.DilationHeight;
            int dilationWidth = op.DilationWidth;
            int padTop = op.PadTop;
            int padLeft = op.PadLeft;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;

            int inputPlaneSize = inputHeight * inputWidth;
            int planes = batches * channels;
            // Every window inside the input: no padding before it, and none of the padding after it reached.
            if (padTop == 0 && padLeft == 0 && dilationHeight == 1 && dilationWidth == 1 && kernelWidth == 2 && strideWidth == 2
                && ((kernelHeight == 2 && strideHeight == 2) || (kernelHeight == 1 && strideHeight == 1))
                && 2 * outputWidth <= inputWidth && kernelHeight * outputHeight <= inputHeight)
            {
                if (activationMin > -128 || activationMax < 127)
                {
                    PoolPairs(input, inputOffset, planes, inputPlaneSize, inputWidth, output, outputOffset, outputHeight, outputWidth, kernelHeight,
                        activationMin, activationMax);
                }
                else if (kernelHeight == 1)
                {
                    PoolRowPairs(input, inputOffset, planes * inputHeight, inputWidth, output, outputOffset, outputWidth);
                }
                else
                {
                    PoolSquares(input, inputOffset, planes, inputPlaneSize, inputWidth, output, outputOffset, outputHeight, outputWidth);
                }

                return;
            }

            int dilatedRowStep = dilationHeight * inputWidth;
            int outputIndex = outputOffset;
            for (int plane = 0; plane < planes; plane++)
            {
                int planeStart = inputOffset + plane * inputPlaneSize;
                for (int outputY = 0; outputY < outputHeight; outputY++)
                {
                    int inputYOrigin = outputY * strideHeight - padTop;
                    int kernelYStart = WindowBounds.FirstInside(inputYOrigin, dilationHeight);
                    int kernelYEnd = WindowBounds.EndInside(inputYOrigin, inputHeight, kernelHeight, dilationHeight);
                    int rowsStart = planeStart + (inputYOrigin + kernelYStart * dilationHeight) * inputWidth;
                    for (int outputX = 0; outputX < outputWidth; outputX++)
                    {
                        int inputXOrigin = outputX * strideWidth - padLeft;
                        int kernelXStart = WindowBounds.FirstInside(inputXOrigin, dilationWidth);
                        int kernelXEnd = WindowBounds.EndInside(inputXOrigin, inputWidth, kernelWidth, dilationWidth);
                        int clippedWidth = kernelXEnd - kernelXStart;

                        // Starting from activationMin instead of TFLM's -128 folds the lower clamp
                        // into the search; the result is the same, including for an empty window.
                        int maximum = activationMin;
                        int rowStart = rowsStart + inputXOrigin + kernelXStart * dilationWidth;
                        for (int kernelY = kernelYStart; kernelY < kernelYEnd; kernelY++)
                        {
                            int inputIndex = rowStart;
                            for (int column = 0; column < clippedWidth; column++)
                            {
                                int value = input[inputIndex];
                                if (value > maximum)
                                {
                                    maximum = value;
                                }

                                inputIndex += dilationWidth;
                            }

                            rowStart += dilatedRowStep;
                        }

                        if (maximum > activationMax)
                        {
                            maximum = activationMax;
                        }

                        output[outputIndex] = (sbyte)maximum;
                        outputIndex++;
                    }
                }
            }
        }

        // 2x2 windows at stride 2 (kernelHeight 2) or 1x2 windows at stride 2 along rows
        // (kernelHeight 1), every window inside the input, at rows kernelHeight·y .. and columns
        // 2x, 2x + 1; the result clamped to the activation range.
        private static void PoolPairs(sbyte[] input, int inputOffset, int planes, int inputPlaneSize, int inputWidth, sbyte[] output, int outputIndex,
            int outputHeight, int outputWidth, int kernelHeight, int activationMin, int activationMax)
        {
            int below = inputWidth;
            int belowNext = inputWidth + 1;
            int rowStep = kernelHeight * inputWidth;
            for (int plane = 0; plane < planes; plane++)
            {
                int rowStart = inputOffset + plane * inputPlaneSize;
                for (int outputY = 0; outputY < outputHeight; outputY++)
                {
                    int inputIndex = rowStart;
                    int rowEnd = outputIndex + outputWidth;
                    while (outputIndex < rowEnd)
                    {
                        int maximum = input[inputIndex];
                        int value = input[inputIndex + 1];
                        if (value > maximum)
                        {
                            maximum = value;
                        }

                        if (kernelHeight == 2)
                        {
                            value = input[inputIndex + below];
                            if (value > maximum)
                            {
                                maximum = value;
                            }

                            value = input[inputIndex + belowNext];
                            if (value > maximum)
                            {
                                maximum = value;
                            }
                        }

                        output[outputIndex] = (sbyte)(maximum < activationMin ? activationMin : maximum > activationMax ? activationMax : maximum);
                        inputIndex += 2;
                        outputIndex++;
                    }

                    rowStart += rowStep;
                }
            }
        }

        // 1x2 windows at stride 2 along `rows` rows (every row of every plane: stride 1 down), no
        // clamp (the full int8 range): output = the larger of two neighbours; a row of odd width
        // leaves its last value out. Rows of even width are one run.
        private static void PoolRowPairs(sbyte[] input, int inputIndex, int rows, int inputWidth, sbyte[] output, int outputIndex, int outputWidth)
        {
            int rowSkip = inputWidth - 2 * outputWidth;
            int runLength = rowSkip == 0 ? rows * outputWidth : outputWidth;
            int runs = rowSkip == 0 ? 1 : rows;
            for (int run = 0; run < runs; run++)
            {
                int runEnd = outputIndex + runLength;
                while (outputIndex < runEnd)
                {
                    int left = input[inputIndex];
                    int right = input[inputIndex + 1];
                    output[outputIndex] = (sbyte)(left > right ? left : right);
                    inputIndex += 2;
                    outputIndex++;
                }

                inputIndex += rowSkip;
            }
        }

        // 2x2 windows at stride 2, every window inside the input, no clamp (the full int8 range):
        // the larger of the two rows' larger neighbours.
        private static void PoolSquares(sbyte[] input, int inputOffset, int planes, int inputPlaneSize, int inputWidth, sbyte[] output, int outputIndex,
            int outputHeight, int outputWidth)
        {
            int belowNext = inputWidth + 1;
            int rowStep = 2 * inputWidth;
            for (int plane = 0; plane < planes; plane++)
            {
                int rowStart = inputOffset + plane * inputPlaneSize;
                for (int outputY = 0; outputY < outputHeight; outputY++)
                {
                    int inputIndex = rowStart;
                    int rowEnd = outputIndex + outputWidth;
                    while (outputIndex < rowEnd)
                    {
                        int top = input[inputIndex];
                        int value = input[inputIndex + 1];
                        if (value > top)
                        {
                            top = value;
                        }

                        int bottom = input[inputIndex + inputWidth];
                        value = input[inputIndex + belowNext];
                        if (value > bottom)
                        {
                            bottom = value;
                        }

                        output[outputIndex] = (sbyte)(top > bottom ? top : bottom);
                        inputIndex += 2;
                        outputIndex++;
                    }

                    rowStart += rowStep;
                }
            }
        }
    }
}

using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 average pooling over NCHW tensors with a change of scale (docs/model-format.md,
    /// "AveragePool"). TFLM's reference_integer_ops AveragePool divides by the count with rounding
    /// and keeps the input scale; here the host stores multiplier[count - 1], shift[count - 1] for
    /// inputScale / (outputScale · count), so the division and the rescale are one
    /// MultiplyByQuantizedMultiplier.
    /// </summary>
    public static class AveragePoolKernel
    {
        /// <summary>
        /// Computes output[n, c, y, x] = clamp(zo + MBQM(Σ (x - zi), multiplier[count - 1],
        /// shift[count - 1])), the sum over the window positions inside the input; count is the
        /// number of those positions, or with countIncludePad the number of window positions inside
        /// the padded input (ONNX count_include_pad).
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="AveragePoolOperator"/>), read once.</param>
        public static void Eval(AveragePoolOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int channels = op.Channels;
            int inputHeight = op.InputHeight;
            int inputWidth = op.InputWidth;
            int inputZeroPoint = op.InputZeroPoint;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputHeight = op.OutputHeight;
            int outputWidth = op.OutputWidth;
            int outputZeroPoint = op.OutputZeroPoint;
            int kernelHeight = op.KernelHeight;
            int kernelWidth = op.KernelWidth;
            int strideHeight = op.StrideHeight;
            int strideWidth = op.StrideWidth;
            int padTop = op.PadTop;
            int padLeft = op.PadLeft;
            int padBottom = op.PadBottom;
            int padRight = op.PadRight;
            bool countIncludePad = op.CountIncludePad;
            int[] multiplier = op.Multiplier;
            int multiplierOffset = op.MultiplierOffset;
            int[] shift = op.Shift;
            int shiftOffset = op.ShiftOffset;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

            int inputPlaneSize = inputHeight * inputWidth;
            int planes = batches * channels;
            int paddedBottom = inputHeight + padBottom;
            int paddedRight = inputWidth + padRight;
            int outputIndex = outputOffset;
            for (int plane = 0; plane < planes; plane++)
            {
                int planeStart = inputOffset + plane * inputPlaneSize;
                for (int outputY = 0; outputY < outputHeight; outputY++)
                {
                    int inputYOrigin = outputY * strideHeight - padTop;
                    int kernelYStart = WindowBounds.FirstInside(inputYOrigin, 1);
                    int kernelYEnd = WindowBounds.EndInside(inputYOrigin, inputHeight, kernelHeight, 1);
                    int insideRows = kernelYEnd > kernelYStart ? kernelYEnd - kernelYStart : 0;
                    int paddedRows = PaddedExtent(inputYOrigin, kernelHeight, -padTop, paddedBottom);
                    int rowsStart = planeStart + (inputYOrigin + kernelYStart) * inputWidth;
                    for (int outputX = 0; outputX < outputWidth; outputX++)
                    {
                        int inputXOrigin = outputX * strideWidth - padLeft;
                        int kernelXStart = WindowBounds.FirstInside(inputXOrigin, 1);
                        int kernelXEnd = WindowBounds.EndInside(inputXOrigin, inputWidth, kernelWidth, 1);
                        int insideColumns = kernelXEnd > kernelXStart ? kernelXEnd - kernelXStart : 0;

                        // |x| <= 128 and |x - zi| <= 255: int32 is exact for windows below 2^23
                        // positions, far beyond any pooling window.
                        int sum = 0;
                        int rowStart = rowsStart + inputXOrigin + kernelXStart;
                        for (int row = 0; row < insideRows; row++)
                        {
                            int rowEnd = rowStart + insideColumns;
                            for (int inputIndex = rowStart; inputIndex < rowEnd; inputIndex++)
                            {
                                sum += input[inputIndex];
                            }

                            rowStart += inputWidth;
                        }

                        int insideCount = insideRows * insideColumns;
                        int count = countIncludePad
                            ? paddedRows * PaddedExtent(inputXOrigin, kernelWidth, -padLeft, paddedRight)
                            : insideCount;
                        int accumulator = sum - insideCount * inputZeroPoint;
                        int value = outputZeroPoint + Requantization.Apply(
                            accumulator, multiplier[multiplierOffset + count - 1], shift[shiftOffset + count - 1], mode);
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

        /// <summary>How many of the window positions origin .. origin + size - 1 lie in [low, high).</summary>
        private static int PaddedExtent(int origin, int size, int low, int high)
        {
            int start = origin > low ? origin : low;
            int end = origin + size < high ? origin + size : high;
            return end > start ? end - start : 0;
        }
    }
}

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
        /// <param name="input">Input [batches, channels, inputHeight, inputWidth].</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="batches">Batch count.</param>
        /// <param name="channels">Channel count.</param>
        /// <param name="inputHeight">Input height.</param>
        /// <param name="inputWidth">Input width.</param>
        /// <param name="inputZeroPoint">Input zero point zi.</param>
        /// <param name="output">Output [batches, channels, outputHeight, outputWidth].</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputHeight">Output height.</param>
        /// <param name="outputWidth">Output width.</param>
        /// <param name="outputZeroPoint">Output zero point zo.</param>
        /// <param name="kernelHeight">Window height.</param>
        /// <param name="kernelWidth">Window width.</param>
        /// <param name="strideHeight">Vertical stride.</param>
        /// <param name="strideWidth">Horizontal stride.</param>
        /// <param name="padTop">Rows of padding above the input.</param>
        /// <param name="padLeft">Columns of padding left of the input.</param>
        /// <param name="padBottom">Rows of padding below the input (bounds the padded input).</param>
        /// <param name="padRight">Columns of padding right of the input (bounds the padded input).</param>
        /// <param name="countIncludePad">Whether padding positions count in the divisor.</param>
        /// <param name="multiplier">kernelHeight·kernelWidth multipliers, indexed by count - 1.</param>
        /// <param name="multiplierOffset">Index of multiplier[0].</param>
        /// <param name="shift">kernelHeight·kernelWidth shifts, indexed by count - 1.</param>
        /// <param name="shiftOffset">Index of shift[0].</param>
        /// <param name="activationMin">Lower clamp bound.</param>
        /// <param name="activationMax">Upper clamp bound.</param>
        /// <param name="mode">Requantization mode of the model (<see cref="Requantization"/>).</param>
        public static void Eval(sbyte[] input, int inputOffset, int batches, int channels, int inputHeight, int inputWidth, int inputZeroPoint,
            sbyte[] output, int outputOffset, int outputHeight, int outputWidth, int outputZeroPoint,
            int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight,
            bool countIncludePad, int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset, int activationMin, int activationMax, int mode)
        {
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

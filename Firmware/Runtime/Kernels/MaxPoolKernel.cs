namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 max pooling over NCHW tensors: TensorFlow Lite Micro's reference_integer_ops MaxPool,
    /// with ONNX's dilation (docs/model-format.md, "MaxPool"). Input and output share their
    /// quantization, so no rescaling is needed.
    /// </summary>
    public static class MaxPoolKernel
    {
        /// <summary>
        /// Computes output[n, c, y, x] = clamp(max of the window positions that lie inside the input);
        /// padding never wins. Each window is clipped to the input once, so the inner loop has no
        /// bounds checks.
        /// </summary>
        /// <param name="input">Input [batches, channels, inputHeight, inputWidth].</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="batches">Batch count.</param>
        /// <param name="channels">Channel count.</param>
        /// <param name="inputHeight">Input height.</param>
        /// <param name="inputWidth">Input width.</param>
        /// <param name="output">Output [batches, channels, outputHeight, outputWidth].</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputHeight">Output height.</param>
        /// <param name="outputWidth">Output width.</param>
        /// <param name="kernelHeight">Window height.</param>
        /// <param name="kernelWidth">Window width.</param>
        /// <param name="strideHeight">Vertical stride.</param>
        /// <param name="strideWidth">Horizontal stride.</param>
        /// <param name="dilationHeight">Vertical dilation.</param>
        /// <param name="dilationWidth">Horizontal dilation.</param>
        /// <param name="padTop">Rows of padding above the input.</param>
        /// <param name="padLeft">Columns of padding left of the input.</param>
        /// <param name="activationMin">Lower clamp bound.</param>
        /// <param name="activationMax">Upper clamp bound.</param>
        public static void Eval(sbyte[] input, int inputOffset, int batches, int channels, int inputHeight, int inputWidth,
            sbyte[] output, int outputOffset, int outputHeight, int outputWidth,
            int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
            int padTop, int padLeft, int activationMin, int activationMax)
        {
            int inputPlaneSize = inputHeight * inputWidth;
            int planes = batches * channels;
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
    }
}

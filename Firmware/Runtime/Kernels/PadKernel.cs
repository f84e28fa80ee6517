using System;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Constant padding of a 4-D int8 tensor (docs/model-format.md, "Pad"; ONNX Pad with
    /// mode "constant" and non-negative pads).
    /// </summary>
    public static class PadKernel
    {
        /// <summary>
        /// Writes output element (i0, i1, i2, i3) = input element (i0 - padBefore[0], ...) where
        /// that lies inside the input, padValue elsewhere. Output dim k is padBefore[k] +
        /// inputShape[k] + padAfter[k]; the pads are non-negative.
        /// </summary>
        /// <param name="input">The input tensor.</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="inputShape">4 input dims, right-aligned.</param>
        /// <param name="inputShapeOffset">Index of the first input dim.</param>
        /// <param name="output">The output tensor (not overlapping the input).</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputShape">4 output dims, right-aligned.</param>
        /// <param name="outputShapeOffset">Index of the first output dim.</param>
        /// <param name="padBefore">4 leading pads.</param>
        /// <param name="padBeforeOffset">Index of the first leading pad.</param>
        /// <param name="padValue">Value of the new elements (-128 .. 127).</param>
        public static void Eval(sbyte[] input, int inputOffset, int[] inputShape, int inputShapeOffset,
            sbyte[] output, int outputOffset, int[] outputShape, int outputShapeOffset, int[] padBefore, int padBeforeOffset, int padValue)
        {
            int inputSize0 = inputShape[inputShapeOffset];
            int inputSize1 = inputShape[inputShapeOffset + 1];
            int inputSize2 = inputShape[inputShapeOffset + 2];
            int inputSize3 = inputShape[inputShapeOffset + 3];
            int outputSize0 = outputShape[outputShapeOffset];
            int outputSize1 = outputShape[outputShapeOffset + 1];
            int outputSize2 = outputShape[outputShapeOffset + 2];
            int outputSize3 = outputShape[outputShapeOffset + 3];
            int before0 = padBefore[padBeforeOffset];
            int before1 = padBefore[padBeforeOffset + 1];
            int before2 = padBefore[padBeforeOffset + 2];
            int before3 = padBefore[padBeforeOffset + 3];
            int after3 = outputSize3 - before3 - inputSize3;
            sbyte fill = (sbyte)padValue;

            // Each output row (fixed i0, i1, i2) is either all padding or padding, one input row
            // copied natively with Array.Copy, and padding again.
            int outputIndex = outputOffset;
            for (int index0 = 0; index0 < outputSize0; index0++)
            {
                int inputIndex0 = index0 - before0;
                bool inside0 = inputIndex0 >= 0 && inputIndex0 < inputSize0;
                for (int index1 = 0; index1 < outputSize1; index1++)
                {
                    int inputIndex1 = index1 - before1;
                    bool inside1 = inside0 && inputIndex1 >= 0 && inputIndex1 < inputSize1;
                    for (int index2 = 0; index2 < outputSize2; index2++)
                    {
                        int inputIndex2 = index2 - before2;
                        int rowEnd = outputIndex + outputSize3;
                        if (inside1 && inputIndex2 >= 0 && inputIndex2 < inputSize2)
                        {
                            int beforeEnd = outputIndex + before3;
                            while (outputIndex < beforeEnd)
                            {
                                output[outputIndex] = fill;
                                outputIndex++;
                            }

                            int inputRowStart = inputOffset + ((inputIndex0 * inputSize1 + inputIndex1) * inputSize2 + inputIndex2) * inputSize3;
                            Array.Copy(input, inputRowStart, output, outputIndex, inputSize3);
                            outputIndex += inputSize3;
                            int afterEnd = outputIndex + after3;
                            while (outputIndex < afterEnd)
                            {
                                output[outputIndex] = fill;
                                outputIndex++;
                            }
                        }
                        else
                        {
                            while (outputIndex < rowEnd)
                            {
                                output[outputIndex] = fill;
                                outputIndex++;
                            }
                        }
                    }
                }
            }
        }
    }
}

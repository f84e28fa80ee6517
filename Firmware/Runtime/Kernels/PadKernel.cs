using System;
using NanoInt8.Runtime.Operators;

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
        /// <param name="op">The operator's resolved arguments (<see cref="PadOperator"/>), read once.</param>
        public static void Eval(PadOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int[] inputShape = op.InputShape;
            int inputShapeOffset = op.InputShapeOffset;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int[] outputShape = op.OutputShape;
            int outputShapeOffset = op.OutputShapeOffset;
            int[] padBefore = op.PadBefore;
            int padBeforeOffset = op.PadBeforeOffset;
            int padValue = op.PadValue;

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

using System;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Strided copy of a 4-D int8 tensor, which covers any Transpose permutation
    /// (docs/model-format.md, "Transpose").
    /// </summary>
    public static class TransposeKernel
    {
        /// <summary>
        /// Writes output element (i0, i1, i2, i3) of outputShape, in order, from
        /// input[inputOffset + Σ ik·inputStrides[k]]. For NCHW to NHWC the strides are
        /// [C·H·W, W, 1, H·W].
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="TransposeOperator"/>), read once.</param>
        public static void Eval(TransposeOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int[] outputShape = op.OutputShape;
            int outputShapeOffset = op.OutputShapeOffset;
            int[] inputStrides = op.InputStrides;
            int inputStridesOffset = op.InputStridesOffset;

            int size0 = outputShape[outputShapeOffset];
            int size1 = outputShape[outputShapeOffset + 1];
            int size2 = outputShape[outputShapeOffset + 2];
            int size3 = outputShape[outputShapeOffset + 3];
            int stride0 = inputStrides[inputStridesOffset];
            int stride1 = inputStrides[inputStridesOffset + 1];
            int stride2 = inputStrides[inputStridesOffset + 2];
            int stride3 = inputStrides[inputStridesOffset + 3];

            // When the innermost dim stays innermost, every output row is a contiguous input row:
            // Array.Copy does it natively.
            bool contiguousRows = stride3 == 1;
            int outputIndex = outputOffset;
            for (int index0 = 0; index0 < size0; index0++)
            {
                int inputStart0 = inputOffset + index0 * stride0;
                for (int index1 = 0; index1 < size1; index1++)
                {
                    int inputStart1 = inputStart0 + index1 * stride1;
                    for (int index2 = 0; index2 < size2; index2++)
                    {
                        int inputIndex = inputStart1 + index2 * stride2;
                        if (contiguousRows)
                        {
                            Array.Copy(input, inputIndex, output, outputIndex, size3);
                            outputIndex += size3;
                            continue;
                        }

                        int outputRowEnd = outputIndex + size3;
                        while (outputIndex < outputRowEnd)
                        {
                            output[outputIndex] = input[inputIndex];
                            inputIndex += stride3;
                            outputIndex++;
                        }
                    }
                }
            }
        }
    }
}

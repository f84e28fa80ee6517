using System;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Slice (docs/model-format.md, code 21): a strided window of an int8 tensor copied as it is
    /// (input and output share their quantization). Output element (i0, i1, i2, i3) is input
    /// element InputStart + Σ ik·InputStride_k, the record having folded each axis's start and
    /// step into those (a negative step gives a negative stride).
    /// </summary>
    public static class SliceKernel
    {
        /// <summary>Copies the window described by <paramref name="op"/>.</summary>
        /// <param name="op">The operator's resolved arguments (<see cref="SliceOperator"/>), read once.</param>
        public static void Eval(SliceOperator op)
        {
            sbyte[] input = op.Input;
            sbyte[] output = op.Output;
            int[] shape = op.OutputShape;
            int shapeOffset = op.OutputShapeOffset;
            int size0 = shape[shapeOffset];
            int size1 = shape[shapeOffset + 1];
            int size2 = shape[shapeOffset + 2];
            int size3 = shape[shapeOffset + 3];
            int stride0 = op.InputStride0;
            int stride1 = op.InputStride1;
            int stride2 = op.InputStride2;
            int stride3 = op.InputStride3;

            int outputIndex = op.OutputOffset;
            int start0 = op.InputStart;
            for (int index0 = 0; index0 < size0; index0++)
            {
                int start1 = start0;
                for (int index1 = 0; index1 < size1; index1++)
                {
                    int start2 = start1;
                    for (int index2 = 0; index2 < size2; index2++)
                    {
                        if (stride3 == 1)
                        {
                            // A contiguous run: Array.Copy is native code on nanoCLR.
                            Array.Copy(input, start2, output, outputIndex, size3);
                            outputIndex += size3;
                        }
                        else
                        {
                            int inputIndex = start2;
                            for (int index3 = 0; index3 < size3; index3++)
                            {
                                output[outputIndex] = input[inputIndex];
                                outputIndex++;
                                inputIndex += stride3;
                            }
                        }

                        start2 += stride2;
                    }

                    start1 += stride1;
                }

                start0 += stride0;
            }
        }
    }
}

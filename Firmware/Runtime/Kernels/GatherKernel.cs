using System;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Gather (docs/model-format.md, code 22): an int8 tensor gathered axis by axis through
    /// constant index maps and copied as it is (input and output share their quantization).
    /// Output element (i0, i1, i2, i3) is input element (map0[i0], map1[i1], map2[i2], map3[i3])
    /// of the right-aligned 4-D views: ONNX Gather with constant indices maps one axis, a nearest
    /// Resize maps each axis through its coordinate transform, the other axes map i to i.
    /// </summary>
    public static class GatherKernel
    {
        /// <summary>Copies the gathered elements described by <paramref name="op"/>.</summary>
        /// <param name="op">The operator's resolved arguments (<see cref="GatherOperator"/>), read once.</param>
        public static void Eval(GatherOperator op)
        {
            sbyte[] input = op.Input;
            sbyte[] output = op.Output;
            int[] indices = op.Indices;
            int[] shape = op.OutputShape;
            int shapeOffset = op.OutputShapeOffset;
            int size0 = shape[shapeOffset];
            int size1 = shape[shapeOffset + 1];
            int size2 = shape[shapeOffset + 2];
            int size3 = shape[shapeOffset + 3];
            int stride0 = op.InputStride0;
            int stride1 = op.InputStride1;
            int stride2 = op.InputStride2;
            bool contiguousRows = op.ContiguousRows;
            int inputOffset = op.InputOffset;

            // The four maps follow one another in the constants.
            int map0 = op.IndicesOffset;
            int map1 = map0 + size0;
            int map2 = map1 + size1;
            int map3 = map2 + size2;
            int map3End = map3 + size3;

            int outputIndex = op.OutputOffset;
            for (int index0 = 0; index0 < size0; index0++)
            {
                int start0 = inputOffset + indices[map0 + index0] * stride0;
                for (int index1 = 0; index1 < size1; index1++)
                {
                    int start1 = start0 + indices[map1 + index1] * stride1;
                    for (int index2 = 0; index2 < size2; index2++)
                    {
                        int rowStart = start1 + indices[map2 + index2] * stride2;
                        if (contiguousRows)
                        {
                            // Consecutive indices along the row: Array.Copy is native code on nanoCLR.
                            Array.Copy(input, rowStart + indices[map3], output, outputIndex, size3);
                            outputIndex += size3;
                            continue;
                        }

                        for (int entry = map3; entry < map3End; entry++)
                        {
                            output[outputIndex] = input[rowStart + indices[entry]];
                            outputIndex++;
                        }
                    }
                }
            }
        }
    }
}

using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 elementwise multiply with broadcasting: TensorFlow Lite Micro's reference_integer_ops
    /// Mul (docs/model-format.md, "Mul").
    /// </summary>
    public static class MulKernel
    {
        /// <summary>
        /// For every output index (i0, i1, i2, i3) of outputShape:
        /// output = clamp(zo + MBQM((a - za)·(b - zb), outputMultiplier, outputShift)), where the a
        /// element is a[aOffset + Σ ik·aStrides[k]] (stride 0 along a broadcast dimension), likewise b.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="MulOperator"/>), read once.</param>
        public static void Eval(MulOperator op)
        {
            sbyte[] a = op.A;
            int aOffset = op.AOffset;
            int aZeroPoint = op.AZeroPoint;
            sbyte[] b = op.B;
            int bOffset = op.BOffset;
            int bZeroPoint = op.BZeroPoint;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputZeroPoint = op.OutputZeroPoint;
            int[] outputShape = op.OutputShape;
            int outputShapeOffset = op.OutputShapeOffset;
            int[] aStrides = op.AStrides;
            int aStridesOffset = op.AStridesOffset;
            int[] bStrides = op.BStrides;
            int bStridesOffset = op.BStridesOffset;
            int outputMultiplier = op.OutputMultiplier;
            int outputShift = op.OutputShift;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

            int size0 = outputShape[outputShapeOffset];
            int size1 = outputShape[outputShapeOffset + 1];
            int size2 = outputShape[outputShapeOffset + 2];
            int size3 = outputShape[outputShapeOffset + 3];
            int aStride0 = aStrides[aStridesOffset];
            int aStride1 = aStrides[aStridesOffset + 1];
            int aStride2 = aStrides[aStridesOffset + 2];
            int aStride3 = aStrides[aStridesOffset + 3];
            int bStride0 = bStrides[bStridesOffset];
            int bStride1 = bStrides[bStridesOffset + 1];
            int bStride2 = bStrides[bStridesOffset + 2];
            int bStride3 = bStrides[bStridesOffset + 3];

            // The product of two values of magnitude at most 255 is below 2^16: no overflow.
            int outputIndex = outputOffset;
            for (int index0 = 0; index0 < size0; index0++)
            {
                int aStart0 = aOffset + index0 * aStride0;
                int bStart0 = bOffset + index0 * bStride0;
                for (int index1 = 0; index1 < size1; index1++)
                {
                    int aStart1 = aStart0 + index1 * aStride1;
                    int bStart1 = bStart0 + index1 * bStride1;
                    for (int index2 = 0; index2 < size2; index2++)
                    {
                        int aIndex = aStart1 + index2 * aStride2;
                        int bIndex = bStart1 + index2 * bStride2;
                        int outputRowEnd = outputIndex + size3;
                        while (outputIndex < outputRowEnd)
                        {
                            int product = (a[aIndex] - aZeroPoint) * (b[bIndex] - bZeroPoint);
                            int value = outputZeroPoint + Requantization.Apply(product, outputMultiplier, outputShift, mode);
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
                            aIndex += aStride3;
                            bIndex += bStride3;
                        }
                    }
                }
            }
        }
    }
}

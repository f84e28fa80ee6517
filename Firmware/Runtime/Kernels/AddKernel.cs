using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 elementwise add or subtract with broadcasting: TensorFlow Lite Micro's
    /// reference_integer_ops Add (docs/model-format.md, "Add"). Both operands are brought to a
    /// common scale with leftShift bits of headroom, added, and rescaled to the output.
    /// </summary>
    public static class AddKernel
    {
        /// <summary>
        /// For every output index (i0, i1, i2, i3) of outputShape:
        /// a' = MBQM((a - za) &lt;&lt; leftShift, aMultiplier, aShift), likewise b';
        /// output = clamp(zo + MBQM(a' ± b', outputMultiplier, outputShift)), where the a element is
        /// a[aOffset + Σ ik·aStrides[k]] (stride 0 along a broadcast dimension), likewise b.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="AddOperator"/>), read once.</param>
        public static void Eval(AddOperator op)
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
            int leftShift = op.LeftShift;
            int aMultiplier = op.AMultiplier;
            int aShift = op.AShift;
            int bMultiplier = op.BMultiplier;
            int bShift = op.BShift;
            int outputMultiplier = op.OutputMultiplier;
            int outputShift = op.OutputShift;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            bool subtract = op.Subtract;
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

            // An operand broadcast along the innermost dimension is rescaled once per row.
            bool aRowConstant = aStride3 == 0;
            bool bRowConstant = bStride3 == 0;

            // |x - z| <= 255 < 2^8 and the reader keeps leftShift at most 22 (TFLite's converter
            // uses 20 for int8), so (x - z) << leftShift stays below 2^30; the input multipliers are
            // below one (shift <= 0), so |a'| and |b'| stay below 2^30 and a' ± b' fits int32.
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
                        int aScaled = 0;
                        int bScaled = 0;
                        if (aRowConstant)
                        {
                            aScaled = Requantization.Apply((a[aIndex] - aZeroPoint) << leftShift, aMultiplier, aShift, mode);
                        }

                        if (bRowConstant)
                        {
                            bScaled = Requantization.Apply((b[bIndex] - bZeroPoint) << leftShift, bMultiplier, bShift, mode);
                        }

                        for (int index3 = 0; index3 < size3; index3++)
                        {
                            if (!aRowConstant)
                            {
                                aScaled = Requantization.Apply((a[aIndex] - aZeroPoint) << leftShift, aMultiplier, aShift, mode);
                                aIndex += aStride3;
                            }

                            if (!bRowConstant)
                            {
                                bScaled = Requantization.Apply((b[bIndex] - bZeroPoint) << leftShift, bMultiplier, bShift, mode);
                                bIndex += bStride3;
                            }

                            int sum = subtract ? aScaled - bScaled : aScaled + bScaled;
                            int value = outputZeroPoint + Requantization.Apply(sum, outputMultiplier, outputShift, mode);
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
        }
    }
}

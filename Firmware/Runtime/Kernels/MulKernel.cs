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
        /// <param name="a">First operand.</param>
        /// <param name="aOffset">Index of a's first element.</param>
        /// <param name="aZeroPoint">Zero point of a.</param>
        /// <param name="b">Second operand.</param>
        /// <param name="bOffset">Index of b's first element.</param>
        /// <param name="bZeroPoint">Zero point of b.</param>
        /// <param name="output">Output tensor.</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputZeroPoint">Output zero point.</param>
        /// <param name="outputShape">4 dims of the output, right-aligned.</param>
        /// <param name="outputShapeOffset">Index of the first dim.</param>
        /// <param name="aStrides">4 element strides of a along the output dims.</param>
        /// <param name="aStridesOffset">Index of the first stride.</param>
        /// <param name="bStrides">4 element strides of b along the output dims.</param>
        /// <param name="bStridesOffset">Index of the first stride.</param>
        /// <param name="outputMultiplier">Multiplier for aScale·bScale / outputScale.</param>
        /// <param name="outputShift">Shift for aScale·bScale / outputScale.</param>
        /// <param name="activationMin">Lower clamp bound.</param>
        /// <param name="activationMax">Upper clamp bound.</param>
        /// <param name="mode">Requantization mode of the model (<see cref="Requantization"/>).</param>
        public static void Eval(sbyte[] a, int aOffset, int aZeroPoint, sbyte[] b, int bOffset, int bZeroPoint,
            sbyte[] output, int outputOffset, int outputZeroPoint,
            int[] outputShape, int outputShapeOffset, int[] aStrides, int aStridesOffset, int[] bStrides, int bStridesOffset,
            int outputMultiplier, int outputShift, int activationMin, int activationMax, int mode)
        {
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

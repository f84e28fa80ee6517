namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 average over the whole spatial extent of each channel (docs/model-format.md,
    /// "GlobalAveragePool"); the host folds 1 / spatialSize and the change of scale into one multiplier.
    /// </summary>
    public static class GlobalAveragePoolKernel
    {
        /// <summary>
        /// Computes output[n, c] = clamp(zo + MBQM(Σ_spatial (x - zi), multiplier, shift)) for every
        /// batch n and channel c.
        /// </summary>
        /// <param name="input">Input [batches, channels, spatialSize].</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="batches">Batch count.</param>
        /// <param name="channels">Channel count.</param>
        /// <param name="spatialSize">Elements per channel (H·W).</param>
        /// <param name="inputZeroPoint">Input zero point zi.</param>
        /// <param name="output">Output [batches, channels].</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputZeroPoint">Output zero point zo.</param>
        /// <param name="multiplier">Multiplier for inputScale / (outputScale · spatialSize).</param>
        /// <param name="shift">Shift for the same ratio.</param>
        /// <param name="activationMin">Lower clamp bound.</param>
        /// <param name="activationMax">Upper clamp bound.</param>
        /// <param name="mode">Requantization mode of the model (<see cref="Requantization"/>).</param>
        public static void Eval(sbyte[] input, int inputOffset, int batches, int channels, int spatialSize, int inputZeroPoint,
            sbyte[] output, int outputOffset, int outputZeroPoint, int multiplier, int shift, int activationMin, int activationMax, int mode)
        {
            int planes = batches * channels;
            int zeroPointTerm = spatialSize * inputZeroPoint;
            int inputIndex = inputOffset;
            int outputIndex = outputOffset;
            for (int plane = 0; plane < planes; plane++)
            {
                // |x - zi| <= 255, so the int32 sum is exact for planes below 2^23 elements, more
                // than any device heap holds.
                int sum = 0;
                int planeEnd = inputIndex + spatialSize;
                while (inputIndex < planeEnd)
                {
                    sum += input[inputIndex];
                    inputIndex++;
                }

                int value = outputZeroPoint + Requantization.Apply(sum - zeroPointTerm, multiplier, shift, mode);
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

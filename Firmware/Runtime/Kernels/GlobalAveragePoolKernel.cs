using NanoInt8.Runtime.Operators;

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
        /// <param name="op">The operator's resolved arguments (<see cref="GlobalAveragePoolOperator"/>), read once.</param>
        public static void Eval(GlobalAveragePoolOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int channels = op.Channels;
            int spatialSize = op.SpatialSize;
            int inputZeroPoint = op.InputZeroPoint;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputZeroPoint = op.OutputZeroPoint;
            int multiplier = op.Multiplier;
            int shift = op.Shift;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

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

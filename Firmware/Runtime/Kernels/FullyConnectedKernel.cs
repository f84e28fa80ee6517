using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 fully connected layer with per-output-channel requantization: TensorFlow Lite Micro's
    /// reference_integer_ops FullyConnected with the input zero point folded into the bias on the
    /// host (docs/model-format.md, "FullyConnected").
    /// </summary>
    public static class FullyConnectedKernel
    {
        /// <summary>
        /// Computes output[r, o] = clamp(zo + MBQM(bias[o] + Σ_k input[r, k]·filter[o, k],
        /// multiplier[o], shift[o])) for every row r and output channel o.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="FullyConnectedOperator"/>), read once.</param>
        public static void Eval(FullyConnectedOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int rows = op.Rows;
            int depth = op.Depth;
            sbyte[] filter = op.Filter;
            int filterOffset = op.FilterOffset;
            int outputDepth = op.OutputDepth;
            int[] bias = op.Bias;
            int biasOffset = op.BiasOffset;
            int[] multiplier = op.Multiplier;
            int multiplierOffset = op.MultiplierOffset;
            int[] shift = op.Shift;
            int shiftOffset = op.ShiftOffset;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputZeroPoint = op.OutputZeroPoint;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

            // Unrolled by 4 (about 14 instead of 17 interpreted IL instructions per
            // multiply-accumulate on nanoCLR); the remainder is done one by one.
            int unrolledDepth = depth & ~3;
            int outputIndex = outputOffset;
            for (int row = 0; row < rows; row++)
            {
                int inputRowStart = inputOffset + row * depth;
                int inputUnrolledEnd = inputRowStart + unrolledDepth;
                int inputRowEnd = inputRowStart + depth;
                int filterIndex = filterOffset;
                for (int outputChannel = 0; outputChannel < outputDepth; outputChannel++)
                {
                    // int32 accumulator as in TFLM: the reader limits depth to 65535 and the bias to
                    // ±2^30, and each product is at most 2^14 in magnitude, so it cannot overflow.
                    int accumulator = bias[biasOffset + outputChannel];
#if NANOINT8_COUNTERS
                    RuntimeCounters.AddMultiplyAccumulates(depth);
#endif
                    int inputIndex = inputRowStart;
                    while (inputIndex < inputUnrolledEnd)
                    {
                        accumulator += input[inputIndex] * filter[filterIndex]
                            + input[inputIndex + 1] * filter[filterIndex + 1]
                            + input[inputIndex + 2] * filter[filterIndex + 2]
                            + input[inputIndex + 3] * filter[filterIndex + 3];
                        inputIndex += 4;
                        filterIndex += 4;
                    }

                    while (inputIndex < inputRowEnd)
                    {
                        accumulator += input[inputIndex] * filter[filterIndex];
                        inputIndex++;
                        filterIndex++;
                    }

                    int value = outputZeroPoint + Requantization.Apply(
                        accumulator, multiplier[multiplierOffset + outputChannel], shift[shiftOffset + outputChannel], mode);
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

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
        /// <param name="input">Input [rows, depth].</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="rows">Number of input rows.</param>
        /// <param name="depth">Elements per input row (K).</param>
        /// <param name="filter">Filter [outputDepth, depth], zero point 0.</param>
        /// <param name="filterOffset">Index of the filter's first element.</param>
        /// <param name="outputDepth">Output channel count (O).</param>
        /// <param name="bias">Per-output-channel bias with the input zero point folded in.</param>
        /// <param name="biasOffset">Index of bias[0].</param>
        /// <param name="multiplier">Per-output-channel quantized multiplier.</param>
        /// <param name="multiplierOffset">Index of multiplier[0].</param>
        /// <param name="shift">Per-output-channel shift.</param>
        /// <param name="shiftOffset">Index of shift[0].</param>
        /// <param name="output">Output [rows, outputDepth].</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputZeroPoint">Output zero point zo.</param>
        /// <param name="activationMin">Lower clamp bound.</param>
        /// <param name="activationMax">Upper clamp bound.</param>
        /// <param name="mode">Requantization mode of the model (<see cref="Requantization"/>).</param>
        public static void Eval(sbyte[] input, int inputOffset, int rows, int depth,
            sbyte[] filter, int filterOffset, int outputDepth,
            int[] bias, int biasOffset, int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int outputOffset, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
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

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 softmax along the last dimension with a host-made exponential table
    /// (docs/model-format.md, "Softmax"). The probabilities are formed in Q16 with one 64-bit
    /// division per row, then rescaled to the output like any other int32 value.
    /// </summary>
    public static class SoftmaxKernel
    {
        /// <summary>
        /// For each row: m = max x; e_j = expTable[m - x_j]; S = Σ e_j; R = floor(2^47 / S);
        /// p_j = (e_j·R + 2^30) &gt;&gt; 31; output_j = clamp(zo + MBQM(p_j, outputMultiplier,
        /// outputShift)) to [-128, 127]. Each element is read before its output is written, so the
        /// output may be the input itself.
        /// </summary>
        /// <param name="input">Input [rows, depth].</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="rows">Number of rows.</param>
        /// <param name="depth">Elements per row.</param>
        /// <param name="expTable">256 entries round(2^20 · exp(-d · inputScale · beta)), 1 .. 2^20, non-increasing.</param>
        /// <param name="expTableOffset">Index of the entry for d = 0.</param>
        /// <param name="output">Output [rows, depth].</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputZeroPoint">Output zero point zo.</param>
        /// <param name="outputMultiplier">Multiplier for 2^-16 / outputScale.</param>
        /// <param name="outputShift">Shift for 2^-16 / outputScale.</param>
        /// <param name="mode">Requantization mode of the model (<see cref="Requantization"/>).</param>
        public static void Eval(sbyte[] input, int inputOffset, int rows, int depth, int[] expTable, int expTableOffset,
            sbyte[] output, int outputOffset, int outputZeroPoint, int outputMultiplier, int outputShift, int mode)
        {
            for (int row = 0; row < rows; row++)
            {
                int rowStart = inputOffset + row * depth;
                int rowEnd = rowStart + depth;

                int maximum = -128;
                for (int inputIndex = rowStart; inputIndex < rowEnd; inputIndex++)
                {
                    int value = input[inputIndex];
                    if (value > maximum)
                    {
                        maximum = value;
                    }
                }

                // Indexing the table at (expTableOffset + m) - x gives expTable[m - x] with one
                // subtraction per element.
                int tableBase = expTableOffset + maximum;
                long sum = 0;
                for (int inputIndex = rowStart; inputIndex < rowEnd; inputIndex++)
                {
                    sum += expTable[tableBase - input[inputIndex]];
                }

                // S >= 1 (the maximum contributes expTable[0] >= 1) and every e_j <= S, so
                // e_j·R <= 2^47 and p_j <= 2^16: no 64-bit overflow, and p_j fits int32.
                long reciprocal = (1L << 47) / sum;
                int outputIndex = outputOffset + row * depth;
                for (int inputIndex = rowStart; inputIndex < rowEnd; inputIndex++)
                {
                    int probability = (int)((expTable[tableBase - input[inputIndex]] * reciprocal + (1L << 30)) >> 31);
                    int value = outputZeroPoint + Requantization.Apply(probability, outputMultiplier, outputShift, mode);
                    if (value < -128)
                    {
                        value = -128;
                    }
                    else if (value > 127)
                    {
                        value = 127;
                    }

                    output[outputIndex] = (sbyte)value;
                    outputIndex++;
                }
            }
        }
    }
}

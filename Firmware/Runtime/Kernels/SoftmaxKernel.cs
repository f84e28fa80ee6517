using NanoInt8.Runtime.Operators;

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
        /// <param name="op">The operator's resolved arguments (<see cref="SoftmaxOperator"/>), read once.</param>
        public static void Eval(SoftmaxOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int rows = op.Rows;
            int depth = op.Depth;
            int[] expTable = op.ExpTable;
            int expTableOffset = op.ExpTableOffset;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputZeroPoint = op.OutputZeroPoint;
            int outputMultiplier = op.OutputMultiplier;
            int outputShift = op.OutputShift;
            int mode = op.Mode;

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

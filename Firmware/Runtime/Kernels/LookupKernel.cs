using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Elementwise function through a 256-entry table (docs/model-format.md, "Lookup"): the host
    /// tabulates Sigmoid, Tanh, HardSwish, LeakyRelu, ... including the change of scale.
    /// </summary>
    public static class LookupKernel
    {
        /// <summary>
        /// Computes output[i] = table[input[i] + 128] for count elements. Works in place (output and
        /// input the same array and offset): each element is read before it is written.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="LookupOperator"/>), read once.</param>
        public static void Eval(LookupOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int count = op.Count;
            sbyte[] table = op.Table;
            int tableOffset = op.TableOffset;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;

            int tableMiddle = tableOffset + 128;
            int inputIndex = inputOffset;
            int inputEnd = inputOffset + count;
            int outputIndex = outputOffset;
            while (inputIndex < inputEnd)
            {
                output[outputIndex] = table[tableMiddle + input[inputIndex]];
                inputIndex++;
                outputIndex++;
            }
        }
    }
}

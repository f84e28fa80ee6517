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
        /// <param name="input">The input tensor.</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="count">Number of elements.</param>
        /// <param name="table">256 output values, indexed by input + 128.</param>
        /// <param name="tableOffset">Index of the table's first entry (the value for input -128).</param>
        /// <param name="output">The output tensor.</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        public static void Eval(sbyte[] input, int inputOffset, int count, sbyte[] table, int tableOffset, sbyte[] output, int outputOffset)
        {
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

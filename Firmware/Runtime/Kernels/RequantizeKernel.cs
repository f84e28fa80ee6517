namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Change of scale and zero point (docs/model-format.md, "Requantize"): TensorFlow Lite
    /// Micro's int8 Quantize-to-int8 / Requantize.
    /// </summary>
    public static class RequantizeKernel
    {
        /// <summary>
        /// Computes output[i] = clamp(zo + MBQM(input[i] - zi, multiplier, shift)) for count
        /// elements. Works in place (output and input the same array and offset): each element is
        /// read before it is written.
        /// </summary>
        /// <param name="input">The input tensor.</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="inputZeroPoint">Input zero point zi.</param>
        /// <param name="count">Number of elements.</param>
        /// <param name="output">The output tensor.</param>
        /// <param name="outputOffset">Index of the output's first element.</param>
        /// <param name="outputZeroPoint">Output zero point zo.</param>
        /// <param name="multiplier">Multiplier for inputScale / outputScale.</param>
        /// <param name="shift">Shift for inputScale / outputScale.</param>
        /// <param name="activationMin">Lower clamp bound.</param>
        /// <param name="activationMax">Upper clamp bound.</param>
        /// <param name="mode">Requantization mode of the model (<see cref="Requantization"/>).</param>
        public static void Eval(sbyte[] input, int inputOffset, int inputZeroPoint, int count,
            sbyte[] output, int outputOffset, int outputZeroPoint, int multiplier, int shift, int activationMin, int activationMax, int mode)
        {
            int inputIndex = inputOffset;
            int inputEnd = inputOffset + count;
            int outputIndex = outputOffset;
            while (inputIndex < inputEnd)
            {
                int value = outputZeroPoint + Requantization.Apply(input[inputIndex] - inputZeroPoint, multiplier, shift, mode);
                if (value < activationMin)
                {
                    value = activationMin;
                }
                else if (value > activationMax)
                {
                    value = activationMax;
                }

                output[outputIndex] = (sbyte)value;
                inputIndex++;
                outputIndex++;
            }
        }
    }
}

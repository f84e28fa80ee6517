using NanoInt8.Runtime.Operators;

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
        /// <param name="op">The operator's resolved arguments (<see cref="RequantizeOperator"/>), read once.</param>
        public static void Eval(RequantizeOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int inputZeroPoint = op.InputZeroPoint;
            int count = op.Count;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputZeroPoint = op.OutputZeroPoint;
            int multiplier = op.Multiplier;
            int shift = op.Shift;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

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

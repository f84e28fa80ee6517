using System;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 concatenation, one input at a time (docs/model-format.md, "Concat"): the interpreter
    /// calls <see cref="CopyInput"/> for each input with the output position advanced along the axis.
    /// </summary>
    public static class ConcatKernel
    {
        /// <summary>
        /// Copies one Concat input: for each of outerCount blocks, inputInnerSize elements from
        /// input[inputOffset + block·inputInnerSize] to output[outputOffset + block·outputInnerSize].
        /// With multiplier 0 the values are copied unchanged (the input's quantization equals the
        /// output's); otherwise out = clamp(zo + MBQM(x - zi, multiplier, shift)) to [-128, 127].
        /// </summary>
        /// <param name="input">The input tensor.</param>
        /// <param name="inputOffset">Index of the input's first element.</param>
        /// <param name="inputZeroPoint">Input zero point zi.</param>
        /// <param name="outerCount">Product of the dims before the axis.</param>
        /// <param name="inputInnerSize">Input elements per block: the product of the input's dims from the axis on.</param>
        /// <param name="output">The output tensor.</param>
        /// <param name="outputOffset">Index of this input's first element in the output.</param>
        /// <param name="outputInnerSize">Output elements per block: the product of the output's dims from the axis on.</param>
        /// <param name="outputZeroPoint">Output zero point zo.</param>
        /// <param name="multiplier">0 for a plain copy, else the multiplier for inputScale / outputScale.</param>
        /// <param name="shift">Shift for inputScale / outputScale.</param>
        /// <param name="mode">Requantization mode of the model (<see cref="Requantization"/>).</param>
        public static void CopyInput(sbyte[] input, int inputOffset, int inputZeroPoint, int outerCount, int inputInnerSize,
            sbyte[] output, int outputOffset, int outputInnerSize, int outputZeroPoint, int multiplier, int shift, int mode)
        {
            if (multiplier == 0)
            {
                // Array.Copy is native code on nanoCLR: far cheaper than an interpreted loop.
                for (int block = 0; block < outerCount; block++)
                {
                    Array.Copy(input, inputOffset + block * inputInnerSize, output, outputOffset + block * outputInnerSize, inputInnerSize);
                }

                return;
            }

            int inputIndex = inputOffset;
            for (int block = 0; block < outerCount; block++)
            {
                int outputIndex = outputOffset + block * outputInnerSize;
                int blockEnd = inputIndex + inputInnerSize;
                while (inputIndex < blockEnd)
                {
                    int value = outputZeroPoint + Requantization.Apply(input[inputIndex] - inputZeroPoint, multiplier, shift, mode);
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
                    inputIndex++;
                }
            }
        }
    }
}

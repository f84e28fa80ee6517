using System;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 concatenation (docs/model-format.md, "Concat"): each input copied, or requantized when
    /// its scale or zero point differs, into its slice of the output along the axis.
    /// </summary>
    public static class ConcatKernel
    {
        /// <summary>Copies every input of <paramref name="op"/> into the output, in input order.</summary>
        /// <param name="op">The operator's resolved arguments (<see cref="ConcatOperator"/>), read once.</param>
        public static void Eval(ConcatOperator op)
        {
            sbyte[] output = op.Output;
            int outputZeroPoint = op.OutputZeroPoint;
            int outerCount = op.OuterCount;
            int outputInnerSize = op.OutputInnerSize;
            int mode = op.Mode;
            ConcatInput[] inputs = op.Inputs;
            for (int i = 0; i < inputs.Length; i++)
            {
                ConcatInput input = inputs[i];
                CopyInput(input.Input, input.InputOffset, input.InputZeroPoint, outerCount, input.InnerSize,
                    output, input.OutputOffset, outputInnerSize, outputZeroPoint, input.Multiplier, input.Shift, mode);
            }
        }

        // One input: for each of outerCount blocks, inputInnerSize elements from
        // input[inputOffset + block·inputInnerSize] to output[outputOffset + block·outputInnerSize].
        // With multiplier 0 the values are copied unchanged (the input's quantization equals the
        // output's); otherwise out = clamp(zo + MBQM(x - zi, multiplier, shift)) to [-128, 127].
        private static void CopyInput(sbyte[] input, int inputOffset, int inputZeroPoint, int outerCount, int inputInnerSize,
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

using System;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Reshape (docs/model-format.md, "Reshape"): the elements keep their order, so the output is
    /// the input's bytes, copied unless the memory plan put both on the same bytes.
    /// </summary>
    public static class ReshapeKernel
    {
        /// <summary>Copies the input to the output unless they are the same bytes.</summary>
        /// <param name="op">The operator's resolved arguments (<see cref="ReshapeOperator"/>).</param>
        public static void Eval(ReshapeOperator op)
        {
            if (op.Input != op.Output || op.InputOffset != op.OutputOffset)
            {
                // Array.Copy is native code on nanoCLR: far cheaper than an interpreted loop.
                Array.Copy(op.Input, op.InputOffset, op.Output, op.OutputOffset, op.Count);
            }
        }
    }
}

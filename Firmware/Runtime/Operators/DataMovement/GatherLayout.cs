namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The words of Gather (docs/model-format.md, code 22): the operands only. The index maps are
    /// a constant: for each right-aligned axis k of the output, one input index per output index
    /// along k, the four maps one after the other (axis 0's first), so the constant has
    /// dim0 + dim1 + dim2 + dim3 of the output elements.
    /// </summary>
    [OperatorLayout(OpCode.Gather)]
    public static class GatherLayout
    {
        /// <summary>Parameter words.</summary>
        public const int Count = 0;

        /// <summary>The operands.</summary>
        public static class Operands
        {
            /// <summary>Input, int8, quantized as the output (same scale and zero point).</summary>
            public const int Input = 0;
            /// <summary>Index maps, int32 constant: output dim0 + dim1 + dim2 + dim3 input indices, axis by axis.</summary>
            public const int Indices = 1;
            /// <summary>Number of inputs.</summary>
            public const int Count = 2;
        }
    }
}

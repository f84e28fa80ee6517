namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Transpose (docs/model-format.md, code 13).</summary>
    [OperatorLayout(OpCode.Transpose)]
    public static class TransposeLayout
    {
        /// <summary>Four input element strides, one per right-aligned output dim.</summary>
        public const int InputStrides = 0;
        /// <summary>Parameter words.</summary>
        public const int Count = 4;

        /// <summary>The operands.</summary>
        public static class Operands
        {
            /// <summary>Input, int8, as many elements as the output.</summary>
            public const int Input = 0;
            /// <summary>Number of inputs.</summary>
            public const int Count = 1;
        }
    }
}

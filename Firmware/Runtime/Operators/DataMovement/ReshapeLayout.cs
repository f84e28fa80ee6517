namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Reshape (docs/model-format.md, code 10): the operands only.</summary>
    [OperatorLayout(OpCode.Reshape)]
    public static class ReshapeLayout
    {
        /// <summary>Parameter words.</summary>
        public const int Count = 0;

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

namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Lookup (docs/model-format.md, code 11): the operands only.</summary>
    [OperatorLayout(OpCode.Lookup)]
    public static class LookupLayout
    {
        /// <summary>Parameter words.</summary>
        public const int Count = 0;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input, int8.</summary>
            public const int Input = 0;
            /// <summary>Table, int8 constant [256]: out = table[x + 128].</summary>
            public const int Table = 1;
            /// <summary>Number of inputs.</summary>
            public const int Count = 2;
        }
    }
}

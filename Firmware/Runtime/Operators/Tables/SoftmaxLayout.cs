namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Softmax (docs/model-format.md, code 12).</summary>
    [OperatorLayout(OpCode.Softmax)]
    public static class SoftmaxLayout
    {
        /// <summary>Multiplier for 2^-16 / outputScale.</summary>
        public const int OutputMultiplier = 0;
        /// <summary>Shift of the same ratio.</summary>
        public const int OutputShift = 1;
        /// <summary>Parameter words.</summary>
        public const int Count = 2;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input, int8; softmax along its last dim.</summary>
            public const int Input = 0;
            /// <summary>Exponential table, int32 constant [256], entries 1 .. 2^20.</summary>
            public const int ExpTable = 1;
            /// <summary>Number of inputs.</summary>
            public const int Count = 2;
        }
    }
}

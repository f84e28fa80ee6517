namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Requantize (docs/model-format.md, code 14).</summary>
    [OperatorLayout(OpCode.Requantize)]
    public static class RequantizeLayout
    {
        /// <summary>Multiplier for inputScale / outputScale.</summary>
        public const int Multiplier = 0;
        /// <summary>Shift of the same ratio.</summary>
        public const int Shift = 1;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = 2;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = 3;
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

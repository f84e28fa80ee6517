namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of GlobalAveragePool (docs/model-format.md, code 7).</summary>
    [OperatorLayout(OpCode.GlobalAveragePool)]
    public static class GlobalAveragePoolLayout
    {
        /// <summary>Multiplier for inputScale / (outputScale · H·W).</summary>
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
            /// <summary>Input [N, C, H, W], int8.</summary>
            public const int Input = 0;
            /// <summary>Number of inputs.</summary>
            public const int Count = 1;
        }
    }
}

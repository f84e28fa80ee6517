namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Add (docs/model-format.md, code 3).</summary>
    [OperatorLayout(OpCode.Add)]
    public static class AddLayout
    {
        /// <summary>Headroom bits both operands get before rescaling (at most 22).</summary>
        public const int LeftShift = 0;
        /// <summary>Multiplier of a to the common scale.</summary>
        public const int AMultiplier = 1;
        /// <summary>Shift of a to the common scale (at most 0).</summary>
        public const int AShift = 2;
        /// <summary>Multiplier of b to the common scale.</summary>
        public const int BMultiplier = 3;
        /// <summary>Shift of b to the common scale (at most 0).</summary>
        public const int BShift = 4;
        /// <summary>Multiplier from the common scale to the output.</summary>
        public const int OutputMultiplier = 5;
        /// <summary>Shift from the common scale to the output.</summary>
        public const int OutputShift = 6;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = 7;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = 8;
        /// <summary>1 for a - b, 0 for a + b.</summary>
        public const int Subtract = 9;
        /// <summary>Four element strides of a along the output's dims (0 where broadcast).</summary>
        public const int AStrides = 10;
        /// <summary>Four element strides of b along the output's dims (0 where broadcast).</summary>
        public const int BStrides = 14;
        /// <summary>Parameter words.</summary>
        public const int Count = 18;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>First operand, int8 (arena or constant).</summary>
            public const int A = 0;
            /// <summary>Second operand, int8 (arena or constant).</summary>
            public const int B = 1;
            /// <summary>Number of inputs.</summary>
            public const int Count = 2;
        }
    }
}

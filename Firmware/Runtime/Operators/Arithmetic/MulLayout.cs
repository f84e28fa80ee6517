namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Mul (docs/model-format.md, code 4).</summary>
    [OperatorLayout(OpCode.Mul)]
    public static class MulLayout
    {
        /// <summary>Multiplier from aScale·bScale to the output scale.</summary>
        public const int OutputMultiplier = 0;
        /// <summary>Shift of the same ratio.</summary>
        public const int OutputShift = 1;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = 2;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = 3;
        /// <summary>Four element strides of a along the output's dims (0 where broadcast).</summary>
        public const int AStrides = 4;
        /// <summary>Four element strides of b along the output's dims (0 where broadcast).</summary>
        public const int BStrides = 8;
        /// <summary>Parameter words.</summary>
        public const int Count = 12;

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

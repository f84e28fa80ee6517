namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of AveragePool (docs/model-format.md, code 6).</summary>
    [OperatorLayout(OpCode.AveragePool)]
    public static class AveragePoolLayout
    {
        /// <summary>Window height.</summary>
        public const int KernelHeight = 0;
        /// <summary>Window width.</summary>
        public const int KernelWidth = 1;
        /// <summary>Vertical stride.</summary>
        public const int StrideHeight = 2;
        /// <summary>Horizontal stride.</summary>
        public const int StrideWidth = 3;
        /// <summary>Rows of padding above the input.</summary>
        public const int PadTop = 4;
        /// <summary>Columns of padding left of the input.</summary>
        public const int PadLeft = 5;
        /// <summary>Rows of padding below the input.</summary>
        public const int PadBottom = 6;
        /// <summary>Columns of padding right of the input.</summary>
        public const int PadRight = 7;
        /// <summary>1 when padding counts as real zeros in the divisor, else 0.</summary>
        public const int CountIncludePad = 8;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = 9;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = 10;
        /// <summary>Parameter words.</summary>
        public const int Count = 11;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input [N, C, H, W], int8.</summary>
            public const int Input = 0;
            /// <summary>Multiplier per window count, int32 constant [KH·KW].</summary>
            public const int Multiplier = 1;
            /// <summary>Shift per window count, int32 constant [KH·KW].</summary>
            public const int Shift = 2;
            /// <summary>Number of inputs.</summary>
            public const int Count = 3;
        }
    }
}

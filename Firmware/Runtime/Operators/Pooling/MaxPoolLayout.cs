namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of MaxPool (docs/model-format.md, code 5).</summary>
    [OperatorLayout(OpCode.MaxPool)]
    public static class MaxPoolLayout
    {
        /// <summary>Window height.</summary>
        public const int KernelHeight = 0;
        /// <summary>Window width.</summary>
        public const int KernelWidth = 1;
        /// <summary>Vertical stride.</summary>
        public const int StrideHeight = 2;
        /// <summary>Horizontal stride.</summary>
        public const int StrideWidth = 3;
        /// <summary>Vertical dilation.</summary>
        public const int DilationHeight = 4;
        /// <summary>Horizontal dilation.</summary>
        public const int DilationWidth = 5;
        /// <summary>Rows of padding above the input.</summary>
        public const int PadTop = 6;
        /// <summary>Columns of padding left of the input.</summary>
        public const int PadLeft = 7;
        /// <summary>Rows of padding below the input.</summary>
        public const int PadBottom = 8;
        /// <summary>Columns of padding right of the input.</summary>
        public const int PadRight = 9;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = 10;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = 11;
        /// <summary>Parameter words.</summary>
        public const int Count = 12;

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

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The words of Conv2DLanes (code 24, docs/model-format.md): Conv2D's eleven at their places,
    /// then the filter's size, the packing and the clamp table's zero; six operands, the clamp
    /// table last.
    /// </summary>
    [OperatorLayout(OpCode.Conv2DLanes)]
    public static class Conv2DLanesLayout
    {
        /// <summary>Vertical stride.</summary>
        public const int StrideHeight = Conv2DLayout.StrideHeight;
        /// <summary>Horizontal stride.</summary>
        public const int StrideWidth = Conv2DLayout.StrideWidth;
        /// <summary>Vertical dilation (1).</summary>
        public const int DilationHeight = Conv2DLayout.DilationHeight;
        /// <summary>Horizontal dilation (1).</summary>
        public const int DilationWidth = Conv2DLayout.DilationWidth;
        /// <summary>Rows of padding above the input.</summary>
        public const int PadTop = Conv2DLayout.PadTop;
        /// <summary>Columns of padding left of the input.</summary>
        public const int PadLeft = Conv2DLayout.PadLeft;
        /// <summary>Rows of padding below the input.</summary>
        public const int PadBottom = Conv2DLayout.PadBottom;
        /// <summary>Columns of padding right of the input.</summary>
        public const int PadRight = Conv2DLayout.PadRight;
        /// <summary>Group count (1).</summary>
        public const int Groups = Conv2DLayout.Groups;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = Conv2DLayout.ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = Conv2DLayout.ActivationMax;
        /// <summary>Filter height KH.</summary>
        public const int FilterHeight = Conv2DLayout.Count;
        /// <summary>Filter width KW.</summary>
        public const int FilterWidth = FilterHeight + 1;
        /// <summary>How the input is packed into words (Conv2DLanesKernel.PackChannels, PackTaps, PackRows).</summary>
        public const int Packing = FilterWidth + 1;
        /// <summary>Index of the clamp table's entry for the value 0.</summary>
        public const int TableZero = Packing + 1;
        /// <summary>1 when the bias starts the lane sum (one block a window, every channel's accumulator within ±2^20), else 0.</summary>
        public const int BiasInLane = TableZero + 1;
        /// <summary>Parameter words.</summary>
        public const int Count = BiasInLane + 1;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input [N, C, H, W], int8.</summary>
            public const int Input = Conv2DLayout.Operands.Input;
            /// <summary>Filter lanes, int8 [⌈O/8⌉, WindowRows, R, 24].</summary>
            public const int Filter = Conv2DLayout.Operands.Filter;
            /// <summary>Bias, int32 constant [O], the input zero point folded in.</summary>
            public const int Bias = Conv2DLayout.Operands.Bias;
            /// <summary>Multiplier per output channel, int32 constant [O] (q31).</summary>
            public const int Multiplier = Conv2DLayout.Operands.Multiplier;
            /// <summary>Shift per output channel, int32 constant [O].</summary>
            public const int Shift = Conv2DLayout.Operands.Shift;
            /// <summary>Clamp table, int8 constant [L]: entry i is clamp(i - TableZero, min, max).</summary>
            public const int Table = Conv2DLayout.Operands.Count;
            /// <summary>Number of inputs.</summary>
            public const int Count = Table + 1;
        }
    }
}

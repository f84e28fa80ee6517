namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The words of DepthwiseConv3x3Lanes (code 25, docs/model-format.md): Conv2D's eleven at their
    /// places, then the clamp table's zero; six operands, the clamp table last.
    /// </summary>
    [OperatorLayout(OpCode.DepthwiseConv3x3Lanes)]
    public static class DepthwiseConv3x3LanesLayout
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
        /// <summary>Group count (the input's channel count).</summary>
        public const int Groups = Conv2DLayout.Groups;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = Conv2DLayout.ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = Conv2DLayout.ActivationMax;
        /// <summary>Index of the clamp table's entry for the value 0.</summary>
        public const int TableZero = Conv2DLayout.Count;
        /// <summary>Parameter words.</summary>
        public const int Count = TableZero + 1;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input [N, C, H, W], int8.</summary>
            public const int Input = Conv2DLayout.Operands.Input;
            /// <summary>Filter, int8 [C, 1, 3, 3].</summary>
            public const int Filter = Conv2DLayout.Operands.Filter;
            /// <summary>Bias, int32 constant [C], the input zero point folded in.</summary>
            public const int Bias = Conv2DLayout.Operands.Bias;
            /// <summary>Multiplier per channel, int32 constant [C] (q31).</summary>
            public const int Multiplier = Conv2DLayout.Operands.Multiplier;
            /// <summary>Shift per channel, int32 constant [C].</summary>
            public const int Shift = Conv2DLayout.Operands.Shift;
            /// <summary>Clamp table, int8 constant [L]: entry i is clamp(i - TableZero, min, max).</summary>
            public const int Table = Conv2DLayout.Operands.Count;
            /// <summary>Number of inputs.</summary>
            public const int Count = Table + 1;
        }
    }
}
